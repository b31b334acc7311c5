#!/usr/bin/env python3
"""Writes esm_messy.csv: a small, deliberately messy ESM data set (seeded).

The expected outputs were made with bench/analyze_pandas.py (pandas 3.1.1,
numpy 2.4.6, Python 3.11.7).  Exact commands, from the repository root:

  python3 crates/feltsense/tests/data/make_messy.py crates/feltsense/tests/data/esm_messy.csv
  python3 bench/analyze_pandas.py crates/feltsense/tests/data/esm_messy.csv \
      --id participant --time timestamp \
      --positive happy,relaxed,content --negative sad,anxious,lonely --scale-min 1 \
      --out crates/feltsense/tests/data/esm_messy_expected.csv
  python3 bench/analyze_pandas.py crates/feltsense/tests/data/esm_messy.csv \
      --id participant --time timestamp \
      --positive happy,relaxed,content --negative sad,anxious,lonely --scale-min 1 \
      --within-day --out crates/feltsense/tests/data/esm_messy_within_day_expected.csv

Columns: participant,timestamp,happy,relaxed,content,sad,anxious,lonely
(ratings 1..7; positive = happy,relaxed,content; negative = sad,anxious,lonely).

What is messy in it (by participant, in order of first appearance):
  p03  24 prompts over 5 days, one day with a single prompt; rows of two days
       written out of time order; a fully skipped prompt mid-sequence; two
       single empty cells.
  p01  24 prompts, split into two blocks in the file (rows 1-12 near the top,
       the rest near the bottom); the text NA in one cell; a fully skipped
       prompt mid-sequence; a prompt crossing midnight (23:40, then 00:20).
  p07  a single prompt.
  p02  constant ratings: every item always 4 (zero variance everywhere).
  p05  only 2 prompts, the second with one empty cell.
  p04  30 prompts over 7 days, several days with one prompt only; one rating
       of 3.5; two fully skipped prompts in a row mid-sequence; rows shuffled
       within a day; a prompt where all positive items are empty but negative
       ones are present.
  p06  25 prompts; the whole block written newest first; a skipped prompt
       at the start and one at the end of the sequence; a few empty cells.
  p08  20 prompts; one negative item empty in many prompts (so fewer complete
       negative prompts); a prompt with only one item present; a last prompt
       whose time is only spaces.
  p04 also has a prompt with an empty time, and p09 has nothing else: all
  three are left out (p09 gets no output row), and both tools say so.
"""
import csv
import datetime as dt
import random
import sys

SEED = 20261126
POS = ["happy", "relaxed", "content"]
NEG = ["sad", "anxious", "lonely"]
ITEMS = POS + NEG
rng = random.Random(SEED)


def ratings(n, pa_level, na_level, inertia):
    """n prompts of 6 integer ratings 1..7 from two AR(1) latent states."""
    out, zp, zn = [], 0.0, 0.0
    for _ in range(n):
        zp = inertia * zp + rng.gauss(0, 1)
        zn = inertia * zn + rng.gauss(0, 0.8) - 0.3 * zp * 0.2
        row = []
        for j in range(6):
            base, z = (pa_level, zp) if j < 3 else (na_level, zn)
            v = round(base + (0.3 * j - 0.3 if j < 3 else 0.2 * (j - 4)) + 0.8 * z + rng.gauss(0, 0.7))
            row.append(str(min(7, max(1, v))))
        out.append(row)
    return out


def times(start, per_day):
    """Timestamps: per_day[d] prompts on day d, spread 08:00-22:00 with jitter."""
    out = []
    for d, k in enumerate(per_day):
        day = start + dt.timedelta(days=d)
        for s in range(k):
            hour = 8 + 14 * s / k + rng.random() * (14 / k) * 0.8
            out.append(day + dt.timedelta(minutes=int(hour * 60)))
    return out


def fmt(t):
    return t.strftime("%Y-%m-%d %H:%M:%S")


def rows_for(pid, ts, rs):
    assert len(ts) == len(rs) and len(set(ts)) == len(ts), pid
    return [[pid, fmt(t)] + r for t, r in zip(ts, rs)]


def skip(row):
    row[2:] = [""] * 6


# p03: 5 days, day 3 has one prompt
p03 = rows_for("p03", times(dt.datetime(2025, 3, 3), [6, 5, 1, 6, 6]), ratings(24, 4.5, 2.5, 0.5))
skip(p03[8])
p03[3][4] = ""
p03[15][7] = ""
p03 = p03[:6][::-1] + p03[6:12] + p03[12:18][::-1] + p03[18:]   # days 1 and 4 out of order (partly)

# p01: 24 prompts, one crossing midnight
t01 = times(dt.datetime(2025, 3, 1), [5, 5, 4, 5, 5])
t01[4] = dt.datetime(2025, 3, 1, 23, 40, 0)
t01[5] = dt.datetime(2025, 3, 2, 0, 20, 0)
p01 = rows_for("p01", t01, ratings(24, 5.2, 2.0, 0.6))
skip(p01[10])
p01[14][6] = "NA"
p01[2], p01[3] = p01[3], p01[2]

# p07: single prompt
p07 = rows_for("p07", [dt.datetime(2025, 3, 4, 12, 5, 0)], ratings(1, 4, 3, 0.3))

# p02: constant 4s
p02 = rows_for("p02", times(dt.datetime(2025, 3, 2), [5, 5, 5]), [["4"] * 6 for _ in range(15)])
p02[3], p02[7] = p02[7], p02[3]

# p05: two prompts
p05 = rows_for("p05", [dt.datetime(2025, 3, 5, 9, 30, 0), dt.datetime(2025, 3, 5, 13, 45, 0)],
               ratings(2, 3.5, 3.5, 0.3))
p05[1][5] = ""
p05 = p05[::-1]

# p04: 7 days, several with one prompt; a 3.5; two skipped in a row
p04 = rows_for("p04", times(dt.datetime(2025, 3, 1), [6, 1, 6, 1, 6, 1, 9]), ratings(30, 3.8, 3.0, 0.4))
p04[9][3] = "3.5"
skip(p04[16])
skip(p04[17])
p04[21][2:5] = ["", "", ""]
day3 = p04[7:13]
rng.shuffle(day3)
p04[7:13] = day3

# p06: newest first; skipped first and last prompt
p06 = rows_for("p06", times(dt.datetime(2025, 3, 6), [5, 5, 5, 5, 5]), ratings(25, 4.0, 2.8, 0.7))
skip(p06[0])
skip(p06[24])
p06[5][2] = ""
p06[12][6] = ""
p06[13][7] = ""
p06 = p06[::-1]

# p08: lonely often missing; one prompt with a single item
p08 = rows_for("p08", times(dt.datetime(2025, 3, 8), [4, 4, 4, 4, 4]), ratings(20, 4.8, 2.2, 0.5))
for i in (1, 2, 5, 6, 9, 11, 12, 15, 18):
    p08[i][7] = ""
p08[7][2:] = ["", "", "5", "", "", ""]

# Prompts with an empty time cell: left out of every figure (and counted),
# never placed.  No random draws here, so the rows above stay as they were.
p04.insert(4, ["p04", "", "7", "7", "7", "1", "1", "1"])
p08.append(["p08", "  ", "1", "7", "1", "7", "1", "7"])
p09 = [["p09", "", "3", "3", "3", "3", "3", "3"]]   # only untimed: no output row

rows = p03 + p01[:12] + p07 + p02 + p05 + p04 + p06 + p01[12:] + p08 + p09

out = sys.argv[1] if len(sys.argv) > 1 else "esm_messy.csv"
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["participant", "timestamp"] + ITEMS)
    w.writerows(rows)
print(f"{len(rows)} rows -> {out}")
