"""The pandas + scipy baseline for the drift-check benchmark: the drift results Evidently's `auto` choice gives for a
reference of more than 1000 rows, computed the way Evidently does.

Numerical columns: scipy.stats.wasserstein_distance(ref, cur) / np.std(ref) (Evidently's normed Wasserstein).
Categorical columns: scipy.spatial.distance.jensenshannon over the category shares aligned on the union of both
samples' categories (natural log, as Evidently calls it).

Usage: /usr/bin/python3 bench/pandas_drift.py REF.csv CUR.csv OUT.json [--exclude timestamp]
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance


def main(argv):
    reference_path, current_path, out_path = argv[1:4]
    exclude = set(argv[argv.index("--exclude") + 1].split(",")) if "--exclude" in argv else set()

    t0 = time.perf_counter()
    reference = pd.read_csv(reference_path)
    current = pd.read_csv(current_path)
    t_read = time.perf_counter()

    columns = []
    for name in reference.columns:
        if name in exclude or name not in current.columns:
            continue
        ref, cur = reference[name].dropna(), current[name].dropna()
        if pd.api.types.is_numeric_dtype(ref):
            std = np.std(ref.to_numpy())
            statistic = wasserstein_distance(ref.to_numpy(), cur.to_numpy()) / max(std, 0.001)
            columns.append({"name": name, "type": "numerical", "method": "wasserstein", "statistic": statistic})
        else:
            keys = sorted(set(ref.unique()) | set(cur.unique()))
            ref_shares = ref.value_counts().reindex(keys, fill_value=0).to_numpy() / len(ref)
            cur_shares = cur.value_counts().reindex(keys, fill_value=0).to_numpy() / len(cur)
            statistic = float(jensenshannon(ref_shares, cur_shares))
            columns.append({"name": name, "type": "categorical", "method": "jensenshannon", "statistic": statistic})
    t_end = time.perf_counter()

    with open(out_path, "w") as out:
        json.dump(
            {
                "reference_rows": len(reference),
                "current_rows": len(current),
                "read_s": t_read - t0,
                "compute_s": t_end - t_read,
                "versions": {"pandas": pd.__version__, "numpy": np.__version__, "scipy": __import__("scipy").__version__},
                "columns": columns,
            },
            out,
        )


if __name__ == "__main__":
    main(sys.argv)
