#!/usr/bin/env python3
"""Writes a synthetic long-format ESM (experience sampling) CSV.

Usage: python3 bench/gen_esm.py --participants P --prompts K --items 12 --seed S OUT.csv

Header: pid,beep,time,<item names>.  Rows are grouped by participant, in time
order; beep is 1..K; time is YYYY-MM-DDTHH:MM:SS, 5 prompts a day (around 9,
12, 15, 18 and 21 h, jittered by up to 59 min 59 s) over consecutive days, each
participant starting on their own day in 2024.  pid is "P" plus a zero-padded
number (P00001 ...).

Item names: the first ceil(items/2) are positive, the rest negative, taken in
order from
  positive: happy,relaxed,cheerful,content,energetic,grateful
  negative: sad,anxious,angry,lonely,irritated,ashamed
and, past 6 of a valence, the same list again with a suffix (_2, _3, ...):
--items 12 gives exactly the 12 names above; --items 4 gives happy,relaxed,
sad,anxious; --items 16 adds happy_2,relaxed_2 and sad_2,anxious_2.  The
positive and negative lists are printed to stderr.

Ratings are integers 1..7: per participant a positive and a negative baseline,
an inertia (AR(1) coefficient 0.1..0.8) and a noise level; a latent positive
and negative state per prompt follow AR(1) processes (negatively correlated
innovations); each item = baseline + per-person item offset + loading x state
+ item noise, rounded and clipped.  About 5% of prompts are fully skipped (all
items empty), and in answered prompts each cell is independently empty with
probability 2%.  Same seed (and arguments) -> the same file.
"""
import argparse
import math
import os
import sys
import time

import numpy as np

POS = ["happy", "relaxed", "cheerful", "content", "energetic", "grateful"]
NEG = ["sad", "anxious", "angry", "lonely", "irritated", "ashamed"]
SLOTS_H = np.array([9, 12, 15, 18, 21])
CHUNK = 1000  # participants generated and written at a time
FILL = 0      # filler byte, removed before writing


def item_names(n):
    def take(pool, k):
        return [pool[i % len(pool)] + ("" if i < len(pool) else f"_{i // len(pool) + 1}") for i in range(k)]
    npos = (n + 1) // 2
    return take(POS, npos), take(NEG, n - npos)


def digits(values, width):
    """uint8 matrix (len(values) x width) of right-aligned ASCII digits, FILL-padded on the left."""
    out = np.full((len(values), width), FILL, dtype=np.uint8)
    v = values.astype(np.int64).copy()
    for j in range(width - 1, -1, -1):
        d = (v % 10).astype(np.uint8) + ord("0")
        out[:, j] = np.where((v > 0) | (j == width - 1), d, FILL)
        v //= 10
    return out


def chunk_bytes(rng, first_pid, n_p, k, npos, nneg, pid_width):
    m = npos + nneg
    rows = n_p * k
    # person-level parameters
    base = np.column_stack([rng.normal(4.6, 0.8, n_p), rng.normal(2.6, 0.8, n_p)])
    inertia = rng.uniform(0.1, 0.8, (n_p, 2))
    sd_state = rng.uniform(0.5, 1.2, (n_p, 2))
    offsets = rng.normal(0.0, 0.5, (n_p, m))
    loadings = rng.uniform(0.5, 1.2, (n_p, m))
    noise_sd = rng.uniform(0.3, 0.9, (n_p, 1))
    # latent states, AR(1) over prompts, vectorised over participants
    z = np.empty((n_p, k, 2))
    innov = rng.standard_normal((n_p, k, 2))
    innov[:, :, 1] = -0.4 * innov[:, :, 0] + math.sqrt(1 - 0.16) * innov[:, :, 1]
    innov *= sd_state[:, None, :] * np.sqrt(1 - inertia**2)[:, None, :]
    z[:, 0] = innov[:, 0] / np.sqrt(1 - inertia**2)
    for t in range(1, k):
        z[:, t] = inertia * z[:, t - 1] + innov[:, t]
    valence = np.r_[np.zeros(npos, int), np.ones(nneg, int)]
    lat = z[:, :, valence]                                 # n_p x k x m
    x = base[:, None, valence] + offsets[:, None, :] + loadings[:, None, :] * lat
    x += noise_sd[:, :, None] * rng.standard_normal((n_p, k, m))
    r = np.clip(np.rint(x), 1, 7).astype(np.uint8).reshape(rows, m)
    missing = rng.random((rows, m)) < 0.02
    missing |= (rng.random(rows) < 0.05)[:, None]
    cells = np.where(missing, FILL, r + ord("0")).astype(np.uint8)

    # timestamps: participant start day + beep's day, slot hour + jitter
    start = np.datetime64("2024-01-01T00:00:00") + rng.integers(0, 366, n_p).astype("timedelta64[D]")
    beep = np.tile(np.arange(k), n_p)
    secs = (beep // len(SLOTS_H)) * 86400 + SLOTS_H[beep % len(SLOTS_H)] * 3600 + rng.integers(0, 3600, rows)
    ts = np.repeat(start, k) + secs.astype("timedelta64[s]")
    tbytes = np.datetime_as_string(ts, unit="s").astype("S19").view(np.uint8).reshape(rows, 19)

    pid = digits(np.repeat(np.arange(first_pid, first_pid + n_p), k), pid_width)
    pid[pid == FILL] = ord("0")                            # zero-padded ids
    bwidth = len(str(k))
    parts = [np.full((rows, 1), ord("P"), np.uint8), pid, comma(rows), digits(beep + 1, bwidth),
             comma(rows), tbytes]
    for j in range(m):
        parts += [comma(rows), cells[:, j:j + 1]]
    parts.append(np.full((rows, 1), ord("\n"), np.uint8))
    buf = np.hstack(parts)
    return buf[buf != FILL].tobytes()


def comma(rows):
    return np.full((rows, 1), ord(","), np.uint8)


def main():
    ap = argparse.ArgumentParser(description="Synthetic long-format ESM CSV.")
    ap.add_argument("--participants", type=int, required=True)
    ap.add_argument("--prompts", type=int, required=True)
    ap.add_argument("--items", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("out")
    a = ap.parse_args()
    if a.items < 2 or a.participants < 1 or a.prompts < 1:
        ap.error("need --items >= 2, --participants >= 1, --prompts >= 1")
    pos, neg = item_names(a.items)
    print("positive: " + ",".join(pos), file=sys.stderr)
    print("negative: " + ",".join(neg), file=sys.stderr)
    rng = np.random.default_rng(a.seed)
    pid_width = len(str(a.participants))
    t0 = time.time()
    with open(a.out, "wb") as f:
        f.write(("pid,beep,time," + ",".join(pos + neg) + "\n").encode())
        for first in range(0, a.participants, CHUNK):
            n_p = min(CHUNK, a.participants - first)
            f.write(chunk_bytes(rng, first + 1, n_p, a.prompts, len(pos), len(neg), pid_width))
    rows = a.participants * a.prompts
    size = os.path.getsize(a.out)
    print(f"{rows} rows, {size} bytes -> {a.out} ({time.time() - t0:.1f} s)")


if __name__ == "__main__":
    main()
