"""Benchmarks model/model.json: scores the current data in batches and writes benchmark/result.json with the
throughput (rows per second) and every batch's latency, the shape gpu-benchmark.yml reads. Standard library only
(a real model would use its GPU framework here; the workflow captures nvidia-smi around this command).
Run: python3 benchmark/bench.py [--batches N] [--batch-size N]"""
import argparse
import csv
import json
import math
import os
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="model/model.json")
    parser.add_argument("--data", default="data/current.csv")
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--out", default="benchmark/result.json")
    args = parser.parse_args()
    model = json.load(open(args.model))
    with open(args.data, newline="") as f:
        rows = [[float(r["age"]), math.log(float(r["income"])), float(r["tenure_months"]),
                 1.0 if r["channel"] == "app" else 0.0, 1.0 if r["channel"] == "branch" else 0.0] for r in csv.DictReader(f)]
    w, b, mean, std = model["weights"], model["bias"], model["mean"], model["std"]
    latencies, scored = [], 0
    start = time.perf_counter()
    for i in range(args.batches):
        batch = [rows[(i * args.batch_size + k) % len(rows)] for k in range(args.batch_size)]
        t0 = time.perf_counter()
        for x in batch:
            z = sum(wj * (xj - mj) / sj for wj, xj, mj, sj in zip(w, x, mean, std)) + b
            1 / (1 + math.exp(-z))
        latencies.append((time.perf_counter() - t0) * 1000)
        scored += len(batch)
    elapsed = time.perf_counter() - start
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump({"throughput": scored / elapsed, "latencies_ms": latencies, "batch_size": args.batch_size}, f)


if __name__ == "__main__":
    main()
