# Writes focus-sample.csv: a small FOCUS 1.2-style export (18 days of November 2026) used by the examples and tests.
# Deterministic: amounts come from a fixed formula, not a random generator.
import csv, json

rows = []
services = [
    # ServiceName, ServiceCategory, SubAccountId, ResourceId, tags, base daily cost
    ("Amazon SageMaker", "AI and Machine Learning", "111111111111", "arn:aws:sagemaker:us-east-1:111111111111:training-job/resnet-50-train", {"team": "vision", "model": "resnet-50", "project": "catalog-images"}, "41.2371"),
    ("Amazon SageMaker", "AI and Machine Learning", "111111111111", "arn:aws:sagemaker:us-east-1:111111111111:endpoint/bert-serving", {"team": "nlp", "model": "bert-base", "project": "search"}, "18.5043"),
    ("Amazon EC2", "Compute", "222222222222", "i-0a1b2c3d4e5f60001", {"team": "nlp", "project": "search"}, "9.8765432"),
    ("Amazon S3", "Storage", "222222222222", "arn:aws:s3:::feature-store", {"cost-center": "platform"}, "3.3333333"),
    ("Amazon EKS", "Compute", "333333333333", "arn:aws:eks:us-east-1:333333333333:cluster/shared-gpu", {"cluster": "shared-gpu"}, "27.0001"),
    ("AWS Support", "Management and Governance", "111111111111", "", {}, "1.0000001"),
]
for day in range(1, 19):
    date = f"2026-11-{day:02d}"
    for i, (svc, cat, acct, res, tags, base) in enumerate(services):
        whole, frac = base.split(".")
        # deterministic day-to-day variation; weekends cheaper for training
        weekday = (day + 5) % 7  # Monday 0; 2026-11-01 is a Sunday -> 6
        factor = 60 if weekday >= 5 and i == 0 else 100
        cents_var = (day * 37 + i * 11) % 23
        micro = (int(whole) * 10**len(frac) + int(frac)) * factor // 100 + cents_var * 10**(len(frac) - 2)
        if i == 0 and day == 12:
            micro *= 4  # a runaway training job
        cost = f"{micro // 10**len(frac)}.{str(micro % 10**len(frac)).zfill(len(frac))}"
        rows.append({
            "BilledCost": cost, "EffectiveCost": cost, "BillingCurrency": "USD", "BillingAccountId": "999999999999",
            "ChargeCategory": "Usage", "ChargeClass": "", "ChargePeriodStart": f"{date}T00:00:00Z", "ChargePeriodEnd": f"{date}T23:59:59Z",
            "ServiceName": svc, "ServiceCategory": cat, "SubAccountId": acct, "ResourceId": res, "RegionId": "us-east-1",
            "ProviderName": "AWS", "Tags": json.dumps(tags, separators=(",", ":")) if tags else "",
        })
# A commitment purchase: billed on the 1st, amortised (EffectiveCost 0 on the purchase row, as FOCUS defines it).
rows.append({"BilledCost": "720.00", "EffectiveCost": "0", "BillingCurrency": "USD", "BillingAccountId": "999999999999",
             "ChargeCategory": "Purchase", "ChargeClass": "", "ChargePeriodStart": "2026-11-01T00:00:00Z", "ChargePeriodEnd": "2026-12-01T00:00:00Z",
             "ServiceName": "Amazon SageMaker", "ServiceCategory": "AI and Machine Learning", "SubAccountId": "111111111111",
             "ResourceId": "", "RegionId": "", "ProviderName": "AWS", "Tags": ""})
# A correction of an October charge, billed in November.
rows.append({"BilledCost": "-2.50", "EffectiveCost": "-2.50", "BillingCurrency": "USD", "BillingAccountId": "999999999999",
             "ChargeCategory": "Usage", "ChargeClass": "Correction", "ChargePeriodStart": "2026-11-03T00:00:00Z", "ChargePeriodEnd": "2026-11-04T00:00:00Z",
             "ServiceName": "Amazon EC2", "ServiceCategory": "Compute", "SubAccountId": "222222222222",
             "ResourceId": "i-0a1b2c3d4e5f60001", "RegionId": "us-east-1", "ProviderName": "AWS", "Tags": "{\"team\":\"nlp\",\"project\":\"search\"}"})
with open("focus-sample.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(rows)
