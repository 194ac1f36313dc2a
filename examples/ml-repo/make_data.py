"""Writes data/reference.csv (training data) and data/current.csv (this week's scoring data, slightly shifted).
Standard library only; deterministic (seeded). Run: python3 make_data.py"""
import csv
import random


def rows(seed, n, income_shift=0.0):
    rng = random.Random(seed)
    for i in range(n):
        age = rng.randint(18, 80)
        income = round(rng.lognormvariate(10.5 + income_shift, 0.4), 2)
        tenure = rng.randint(0, 240)
        channel = rng.choices(["web", "app", "branch"], weights=[5, 4, 1])[0]
        score = 0.03 * (age - 45) + 0.00002 * (income - 40000) + 0.01 * tenure - 1.0
        label = 1 if rng.random() < 1 / (1 + 2.718281828 ** -score) else 0
        yield {"customer_id": f"C{seed}{i:05d}", "age": age, "income": income, "tenure_months": tenure,
               "channel": channel, "churned": label}


for name, seed, n, shift in [("reference", 1, 2000, 0.0), ("current", 2, 500, 0.15)]:
    with open(f"data/{name}.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["customer_id", "age", "income", "tenure_months", "channel", "churned"])
        writer.writeheader()
        writer.writerows(rows(seed, n, shift))
