#!/usr/bin/env python3
"""Writes a feltsense JSON export with N years of check-ins, 5 a day.

Usage: gen_checkins.py YEARS OUT.json [START]   (seeded: the same file
every time; START is a year, the 1st of January, or a date YYYY-MM-DD;
it defaults to 2016)
"""
import csv, json, random, sys, uuid, datetime, pathlib

years, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20261125)
vocab_path = pathlib.Path(__file__).resolve().parent.parent / "crates/feltsense-core/data/vocabulary.csv"
words = [row["word"] for row in csv.DictReader(open(vocab_path))]
regions = ["chest", "stomach", "throat", "shoulders", "hands", "head"]
sensations = ["tight", "heavy", "warm", "tingling", "hollow", "restless"]
first = sys.argv[3] if len(sys.argv) > 3 else "2016"
first = datetime.date.fromisoformat(first) if "-" in first else datetime.date(int(first), 1, 1)
start = datetime.datetime(first.year, first.month, first.day, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
records = []
for day in range(365 * years):
    for k in range(5):
        at = start + datetime.timedelta(days=day, hours=3 * k, minutes=rng.randrange(60))
        nothing = rng.random() < 0.2
        feelings = [] if nothing else [
            {"word": w, "intensity": rng.randint(1, 10)} for w in rng.sample(words, rng.randint(1, 3))
        ]
        body = [
            {"region": rng.choice(regions), "sensation": rng.choice(sensations), "intensity": rng.randint(1, 10)}
        ] if rng.random() < 0.5 else []
        records.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128))),
            "at": at.isoformat(),
            "nothing": nothing,
            "feelings": feelings,
            "pleasantness": rng.randint(-5, 5),
            "energy": rng.randint(-5, 5),
            "clarity": rng.randint(0, 10),
            "body": body,
            "body_overall": None,
            "showed": rng.choice([None, "calm", "content"]),
            "context": {"doing": rng.choice(["work", "rest", "walking"])},
            "note": "a short note about the day" if rng.random() < 0.3 else None,
        })
json.dump({"format": "feltsense", "version": 1, "checkins": records}, open(out, "w"))
print(f"{len(records)} check-ins -> {out}")
