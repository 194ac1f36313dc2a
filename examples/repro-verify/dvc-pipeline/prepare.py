"""Stage 1: split data/raw.csv into data/prepared/{train,test}.csv by params.yaml's prepare.test_share."""
import os

import yaml_lite

params = yaml_lite.load("params.yaml")["prepare"]
with open("data/raw.csv", newline="") as f:
    header, *rows = [line.rstrip("\r\n") for line in f]
cut = int(len(rows) * (1 - float(params["test_share"])))
os.makedirs("data/prepared", exist_ok=True)
for name, part in (("train", rows[:cut]), ("test", rows[cut:])):
    with open(f"data/prepared/{name}.csv", "w") as f:
        f.write("\n".join([header, *part]) + "\n")
