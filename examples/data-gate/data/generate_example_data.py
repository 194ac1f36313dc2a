"""Writes orders.csv: 2,000 e-commerce orders with a handful of planted problems for data-gate's examples.

Planted: 2 negative amounts, 1 amount over the limit, 3 malformed emails, 1 duplicated order_id (two rows),
1 unknown status, 1 quantity written as a word, 2 missing amounts, 1 shipped_at before created_at.
Run with python3 (standard library only): python3 generate_example_data.py
"""
import csv
import os
import random
from datetime import datetime, timedelta

random.seed(7)
HERE = os.path.dirname(os.path.abspath(__file__))
COUNTRIES = ["US", "DE", "FR", "GB", "IN", "BR", "JP", "CA", "ES", "IT"]
STATUSES = ["placed", "paid", "shipped", "delivered", "returned"]
start = datetime(2026, 10, 1)
rows = []
for i in range(2000):
    created = start + timedelta(minutes=31 * i + random.randint(0, 20))
    shipped = created + timedelta(hours=random.randint(4, 96))
    rows.append({
        "order_id": f"ord-{100000 + i}",
        "customer_id": f"cus-{random.randint(1, 600):04d}",
        "amount": f"{random.lognormvariate(4, 0.8):.2f}",
        "quantity": str(random.randint(1, 8)),
        "country": random.choice(COUNTRIES),
        "status": random.choices(STATUSES, weights=[10, 30, 30, 25, 5])[0],
        "email": f"user{random.randint(1, 9999)}@example.com",
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "shipped_at": shipped.strftime("%Y-%m-%dT%H:%M:%SZ"),
    })
for i in (57, 1433):
    rows[i]["amount"] = "-12.50"
rows[902]["amount"] = "18250.00"
for i in (120, 777, 1999):
    rows[i]["email"] = rows[i]["email"].replace("@", " at ")
rows[1500]["order_id"] = rows[1499]["order_id"]
rows[640]["status"] = "lost"
rows[333]["quantity"] = "three"
for i in (410, 1210):
    rows[i]["amount"] = ""
rows[888]["shipped_at"] = (datetime.strptime(rows[888]["created_at"], "%Y-%m-%dT%H:%M:%SZ") - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")

with open(os.path.join(HERE, "orders.csv"), "w", newline="") as f:
    writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
