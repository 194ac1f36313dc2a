"""Stage 2: a seeded logistic regression on data/prepared, writing model.json and metrics.json."""
import json
import math
import random

import yaml_lite

params = yaml_lite.load("params.yaml")["train"]
random.seed(int(params["seed"]))


def read(name):
    with open(f"data/prepared/{name}.csv") as f:
        next(f)
        return [tuple(float(v) for v in line.split(",")) for line in f]


train, test = read("train"), read("test")
w = [random.uniform(-0.1, 0.1) for _ in range(3)]
lr = float(params["lr"])
for _ in range(int(params["epochs"])):
    random.shuffle(train)
    for x1, x2, y in train:
        p = 1 / (1 + math.exp(-(w[0] + w[1] * x1 + w[2] * x2)))
        w = [w[0] - lr * (p - y), w[1] - lr * (p - y) * x1, w[2] - lr * (p - y) * x2]
accuracy = sum(((w[0] + w[1] * x1 + w[2] * x2) > 0) == bool(y) for x1, x2, y in test) / len(test)
with open("model.json", "w") as f:
    json.dump({"weights": w}, f, indent=2)
with open("metrics.json", "w") as f:
    json.dump({"accuracy": accuracy}, f, indent=2)
print(f"accuracy={accuracy:.4f}")
