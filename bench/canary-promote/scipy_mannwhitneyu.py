#!/usr/bin/env python3
"""The peer of the canary-promote bench: scipy.stats.mannwhitneyu(canary, baseline) on each metric column.
Reading the CSVs (pandas) is timed apart; the figure compared is the Mann-Whitney time alone.
usage: scipy_mannwhitneyu.py baseline.csv canary.csv out.json col1,col2,...
"""
import json
import sys
import time

import pandas as pd
import scipy
from scipy.stats import mannwhitneyu

baseline_path, canary_path, out, columns = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(',')
t0 = time.perf_counter()
baseline = pd.read_csv(baseline_path, usecols=columns)
canary = pd.read_csv(canary_path, usecols=columns)
read_s = time.perf_counter() - t0
results = {}
t1 = time.perf_counter()
for c in columns:
    r = mannwhitneyu(canary[c].to_numpy(), baseline[c].to_numpy())
    results[c] = {'statistic': float(r.statistic), 'p_value': float(r.pvalue)}
mwu_s = time.perf_counter() - t1
json.dump({'scipy': scipy.__version__, 'read_s': read_s, 'mannwhitneyu_s': mwu_s, 'results': results}, open(out, 'w'))
