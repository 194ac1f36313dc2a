"""Trains a churn model (logistic regression by batch gradient descent) on data/reference.csv.
Standard library only and deterministic: a fixed seed, a fixed row order and no threads, so repro-verify finds two
runs bit for bit equal. Writes out/model.json (weights and feature scaling) and out/metrics.json.
Run: python3 train.py [--epochs N] [--out DIR]"""
import argparse
import csv
import json
import math
import os
import random

FEATURES = ["age", "income", "tenure_months", "channel_app", "channel_branch"]


def load(path):
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            x = [float(row["age"]), math.log(float(row["income"])), float(row["tenure_months"]),
                 1.0 if row["channel"] == "app" else 0.0, 1.0 if row["channel"] == "branch" else 0.0]
            yield x, int(row["churned"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="data/reference.csv")
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--lr", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", default="out")
    args = parser.parse_args()

    rows = list(load(args.data))
    random.Random(args.seed).shuffle(rows)
    split = int(len(rows) * 0.8)
    train, test = rows[:split], rows[split:]
    n = len(FEATURES)
    mean = [sum(x[j] for x, _ in train) / len(train) for j in range(n)]
    std = [math.sqrt(sum((x[j] - mean[j]) ** 2 for x, _ in train) / len(train)) or 1.0 for j in range(n)]
    scale = lambda x: [(x[j] - mean[j]) / std[j] for j in range(n)]
    train_s = [(scale(x), y) for x, y in train]

    w, b = [0.0] * n, 0.0
    for _ in range(args.epochs):
        gw, gb = [0.0] * n, 0.0
        for x, y in train_s:
            p = 1 / (1 + math.exp(-(sum(wj * xj for wj, xj in zip(w, x)) + b)))
            for j in range(n):
                gw[j] += (p - y) * x[j]
            gb += p - y
        w = [wj - args.lr * g / len(train_s) for wj, g in zip(w, gw)]
        b -= args.lr * gb / len(train_s)

    def prob(x):
        return 1 / (1 + math.exp(-(sum(wj * xj for wj, xj in zip(w, scale(x))) + b)))

    correct = sum((prob(x) >= 0.5) == (y == 1) for x, y in test)
    loss = -sum(math.log(max(1e-12, prob(x) if y else 1 - prob(x))) for x, y in test) / len(test)
    os.makedirs(args.out, exist_ok=True)
    model = {"type": "logistic-regression", "features": FEATURES, "mean": mean, "std": std, "weights": w, "bias": b}
    with open(os.path.join(args.out, "model.json"), "w") as f:
        json.dump(model, f, indent=2, sort_keys=True)
    with open(os.path.join(args.out, "metrics.json"), "w") as f:
        json.dump({"eval": {"accuracy": correct / len(test), "loss": loss}, "rows": {"train": len(train), "test": len(test)}}, f, indent=2, sort_keys=True)


if __name__ == "__main__":
    main()
