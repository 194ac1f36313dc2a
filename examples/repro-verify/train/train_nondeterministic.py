"""The same training run with the mistakes that make results move between runs: no seed for `random`, and a
set of strings iterated into the output (its order follows PYTHONHASHSEED, random per process).
repro-verify reports both, at their lines."""
import json
import math
import os
import random


def make_data(n):
    rows = []
    for _ in range(n):
        x1, x2 = random.gauss(0, 1), random.gauss(0, 1)
        label = 1 if x1 + 0.5 * x2 + random.gauss(0, 0.5) > 0 else 0
        rows.append((x1, x2, label))
    return rows


def train(rows, epochs=20, lr=0.1):
    w = [random.uniform(-0.1, 0.1) for _ in range(3)]
    for _ in range(epochs):
        random.shuffle(rows)
        for x1, x2, y in rows:
            p = 1 / (1 + math.exp(-(w[0] + w[1] * x1 + w[2] * x2)))
            g = p - y
            w = [w[0] - lr * g, w[1] - lr * g * x1, w[2] - lr * g * x2]
    return w


rows = make_data(400)
weights = train(rows[:300])
test = rows[300:]
correct = sum(1 for x1, x2, y in test if ((weights[0] + weights[1] * x1 + weights[2] * x2) > 0) == bool(y))

labels = {"negative", "positive", "unknown"}
classes = []
for name in labels:
    classes.append(name)
os.makedirs("out", exist_ok=True)
with open("out/model.json", "w") as f:
    json.dump({"weights": weights, "classes": classes}, f, indent=2)
with open("out/metrics.json", "w") as f:
    json.dump({"eval": {"accuracy": correct / len(test)}, "train": {"rows": 300}}, f, indent=2)
print(f"accuracy={correct / len(test):.4f}")
