"""Generates the small bundled example datasets for drift-check (run with /usr/bin/python3; numpy only).

reference.csv: 1,500 loan applications from the training period.
current.csv:   1,200 applications from production, where income shifted up, a new region appeared and the
               model's accuracy dropped: the README's main command shows drift-check finding exactly that.
"""
import numpy as np

WORDS = "fast loan approval needed for my home renovation car purchase small business education medical bills".split()


def make(n, rng, shifted):
    age = rng.normal(41, 11, n).clip(18, 90).round()
    income = rng.lognormal(10.9 + (0.35 if shifted else 0.0), 0.45, n).round(2)
    credit = rng.normal(690, 55, n).clip(300, 850).round()
    regions = ["north", "south", "east", "west"] + (["overseas"] if shifted else [])
    weights = [0.3, 0.3, 0.2, 0.2] if not shifted else [0.22, 0.22, 0.18, 0.18, 0.2]
    region = rng.choice(regions, n, p=weights)
    channel = rng.choice(["web", "branch", "partner"], n, p=[0.6, 0.3, 0.1])
    score = 1 / (1 + np.exp(-((credit - 680) / 40 + (income / 60000 - 1))))
    default = (rng.random(n) > score).astype(int)
    noise = 0.35 if shifted else 0.12
    flip = rng.random(n) < noise
    prediction = np.where(flip, 1 - default, default)
    prob = np.clip(np.where(prediction == 1, 0.5 + rng.random(n) / 2, rng.random(n) / 2), 0, 1).round(4)
    purpose = [" ".join(rng.choice(WORDS, rng.integers(3, 9))) for _ in range(n)]
    missing = rng.random(n) < 0.03
    rows = []
    for i in range(n):
        rows.append([
            f"2026-{'10' if shifted else '06'}-{1 + i % 28:02d}",
            int(age[i]), "" if missing[i] else f"{income[i]:.2f}", int(credit[i]), region[i], channel[i],
            f'"{purpose[i]}"', int(default[i]), int(prediction[i]), f"{prob[i]:.4f}",
        ])
    return rows


HEADER = "application_date,age,income,credit_score,region,channel,purpose,defaulted,predicted_default,default_probability"

for name, n, shifted, seed in [("reference.csv", 1500, False, 7), ("current.csv", 1200, True, 11)]:
    rng = np.random.default_rng(seed)
    with open(name, "w") as f:
        f.write(HEADER + "\n")
        for row in make(n, rng, shifted):
            f.write(",".join(str(v) for v in row) + "\n")
