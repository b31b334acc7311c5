#!/usr/bin/env python3
"""Writes openesm_like.tsv: a small data set shaped like the openESM
archive's files (tab-separated; `id`, `day` and `beep` columns; 9999 and
N/A for a missing answer; ratings 1..100; an extra text column), seeded.

The expected outputs were made with bench/analyze_pandas.py (pandas 3.1.1,
numpy 2.4.6).  Exact commands, from the repository root:

  python3 crates/feltsense/tests/data/make_openesm.py crates/feltsense/tests/data/openesm_like.tsv
  for w in "" --within-day; do
    python3 bench/analyze_pandas.py crates/feltsense/tests/data/openesm_like.tsv \\
        --id id --day day --beep beep \\
        --positive happy,cheerful,relaxed --negative sad,anxious,irritated \\
        --missing 9999,N/A --scale-min 1 --scale-max 100 $w \\
        --out crates/feltsense/tests/data/openesm_like${w:+_within_day}_expected.csv
  done

What is in it: participants 101, 102 and 103, 4 days of 6 beeps each; 9999
in single cells and one prompt answered 9999 throughout; N/A in one cell;
day 2 of participant 102 written in reverse beep order; a prompt of 103
with an empty beep cell (left out); participant 101's rows after 102's.
"""
import csv
import random
import sys

rng = random.Random(20261201)
POS = ["happy", "cheerful", "relaxed"]
NEG = ["sad", "anxious", "irritated"]


def prompts(pid, level):
    rows, z = [], 0.0
    for day in range(1, 5):
        for beep in range(1, 7):
            z = 0.5 * z + rng.gauss(0, 12)
            items = [min(100, max(1, round(level + z + rng.gauss(0, 8)))) for _ in POS]
            items += [min(100, max(1, round(100 - level - z + rng.gauss(0, 8)))) for _ in NEG]
            rows.append([pid, str(day), str(beep)] + [str(v) for v in items] + [rng.choice(["", "bus", "work"])])
    return rows


p101, p102, p103 = prompts("101", 60), prompts("102", 45), prompts("103", 70)
p101[3][4] = "9999"
p101[10][3:9] = ["9999"] * 6
p102[8][7] = "N/A"
p102[6:12] = p102[6:12][::-1]
p103[14][2] = ""
p103[20][6] = "9999"
rows = p102 + p101 + p103

with open(sys.argv[1], "w", newline="") as f:
    w = csv.writer(f, delimiter="\t", lineterminator="\n")
    w.writerow(["id", "day", "beep"] + POS + NEG + ["note"])
    w.writerows(rows)
print(f"{len(rows)} rows -> {sys.argv[1]}")
