"""The pandas peer for the cost-report benchmark: the same attribution of the same FOCUS CSV, done the way a data
team would in pandas: read the CSV, parse each distinct Tags JSON once, evaluate the rules as vectorised masks
(globs through fnmatch's regex), take the first matching rule with np.select, then group by target and day.
Shared pools are left as their own targets (their split is a few rows of arithmetic after the groupby).

pandas sums EffectiveCost as float64; the figures printed are for timing, not for reconciliation.

Usage: /usr/bin/python3 bench/cost-report/pandas_attribution.py FOCUS.csv RULES.yml OUT.json
"""
import fnmatch
import json
import sys
import time

import numpy as np
import pandas as pd
import yaml

FIELDS = {"service": "ServiceName", "service-category": "ServiceCategory", "account": "SubAccountId", "resource": "ResourceId", "region": "RegionId"}


def main(argv):
    path, rules_path, out = argv[1:4]
    t0 = time.perf_counter()
    df = pd.read_csv(
        path,
        usecols=["EffectiveCost", "BillingCurrency", "ChargePeriodStart", "ServiceName", "ServiceCategory", "SubAccountId", "ResourceId", "RegionId", "Tags"],
        dtype={"SubAccountId": "category", "ServiceName": "category", "ServiceCategory": "category", "RegionId": "category", "Tags": "category", "ResourceId": "category", "BillingCurrency": "category"},
    )
    day = df["ChargePeriodStart"].str.slice(0, 10)
    tags = df["Tags"]
    parsed = {t: json.loads(t) for t in tags.cat.categories}
    rules = yaml.safe_load(open(rules_path))["rules"]
    tag_columns = {}

    def column(key):
        if key.startswith("tag."):
            name = key[4:]
            if name not in tag_columns:
                values = pd.Series([parsed[t].get(name) for t in tags.cat.categories], index=tags.cat.categories)
                tag_columns[name] = tags.map(values)
            return tag_columns[name]
        return df[FIELDS[key]]

    masks, targets = [], []
    for rule in rules:
        mask = np.ones(len(df), dtype=bool)
        for key, value in rule["match"].items():
            col = column(key)
            value = str(value)
            if "*" in value or "?" in value:
                mask &= col.astype("string").str.match(fnmatch.translate(value)).fillna(False).to_numpy(dtype=bool)
            else:
                mask &= (col == value).to_numpy(dtype=bool)
        masks.append(mask)
        targets.append(rule["shared"] if "shared" in rule else "/".join(str(rule.get(d, "")) for d in ("team", "project", "model")))
    target = np.select(masks, targets, default="unallocated")
    grouped = df.assign(target=target, day=day).groupby(["target", "day"], observed=True)["EffectiveCost"].sum()
    seconds = time.perf_counter() - t0
    json.dump({"seconds": seconds, "rows": len(df), "groups": int(grouped.index.get_level_values(0).nunique()), "total": float(grouped.sum())}, open(out, "w"))


if __name__ == "__main__":
    main(sys.argv)
