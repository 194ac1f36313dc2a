"""Stage 3, once per split (a foreach stage): the model of stage 2 scored on data/prepared/<split>.csv, written to
eval/<split>.json."""
import json
import math
import os
import sys

split = sys.argv[1]
with open("model.json") as f:
    w = json.load(f)["weights"]
with open(f"data/prepared/{split}.csv") as f:
    next(f)
    rows = [tuple(float(v) for v in line.split(",")) for line in f]
scores = [w[0] + w[1] * x1 + w[2] * x2 for x1, x2, _ in rows]
accuracy = sum((s > 0) == bool(y) for s, (_, _, y) in zip(scores, rows)) / len(rows)
log_loss = -sum(y * math.log(1 / (1 + math.exp(-s))) + (1 - y) * math.log(1 / (1 + math.exp(s))) for s, (_, _, y) in zip(scores, rows))
os.makedirs("eval", exist_ok=True)
with open(f"eval/{split}.json", "w") as f:
    json.dump({"split": split, "rows": len(rows), "accuracy": accuracy, "log_loss": log_loss / len(rows)}, f, indent=2)
print(f"{split}: accuracy={accuracy:.4f}")
