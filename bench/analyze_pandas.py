#!/usr/bin/env python3
"""Per-participant emotion-dynamics metrics in plain pandas/numpy.

An independent implementation of the definitions used by feltsense, kept as
the reference for the Rust integration test (tests/data/*_expected.csv) and
as the peer in the speed benchmark.  Needs only pandas and numpy.

Usage:
  python3 bench/analyze_pandas.py DATA.csv --id COL --time COL \\
      --positive "a,b,c" --negative "d,e,f" [--scale-min V] [--scale-max V] \\
      [--missing CODES] [--delimiter ,|;|tab] [--within-day] [--out metrics.csv]

The separator is found from the header line unless --delimiter gives it
(a tab or ';' when it outnumbers commas there).

Output columns (one row per participant, in order of first appearance in the
file; undefined figures are empty cells; floats at repr precision):
  id,n,pa_mean,pa_sd,na_mean,na_sd,pa_mssd,na_mssd,pa_ar1,na_ar1,
  pos_granularity,neg_granularity,pos_icc_z,neg_icc_z,emodiversity,
  pa_pairs,na_pairs

Definitions (per participant):
  * Prompts are ordered by time, stable (ties keep file order).  With --day
    and --beep instead of --time, by day (a whole number or a date
    YYYY-MM-DD), then beep number; --within-day then pairs within a day of
    the day column; an empty day or beep cell leaves the prompt out, as an
    empty time does.  The time
    column is numeric (e.g. a beep index) if every non-empty value parses as a
    number, otherwise an ISO-8601 timestamp (parsed by pandas; values with a
    UTC offset are compared as instants).  A prompt whose time cell is empty
    (or only spaces) has no place in the order: it is left out before
    anything else (its participant appears only if they have a timed prompt),
    and the number left out is reported on stderr.  Its ratings are still
    checked.  Every other prompt is a position in the sequence, fully skipped
    ones too.
  * An item cell is missing if it is empty or the text NA, NaN or nan (no
    other spellings: "null", "N/A" and so on are errors, as is any other
    non-numeric text).  A rating must be finite and at most 1e12 either side
    of 0 (inf, or a 1e308 that would overflow the sums, is an error naming
    its line and column).  --missing CODES adds codes for "no answer" (as
    written, or for a number by value, so 9999 matches 9999.0); a rating
    above --scale-max is an error naming its line and column.
  * PA / NA of a prompt = mean of its present positive / negative items.
  * n = prompts with at least one item present.
  * pa_mean/na_mean over prompts where present (empty if none); pa_sd/na_sd
    sample SD, ddof=1 (empty if fewer than 2 values).
  * Pairs = positions (i, i+1) of the sorted sequence, both values present; a
    missing value breaks the pair, it is not stepped over.  With --within-day
    both prompts must also have the same calendar date as written in the
    timestamp (its first 10 characters; a prompt without a time pairs with
    nothing; --within-day is refused for a numeric time column).
    mssd = mean of squared successive differences (empty if < 2 pairs);
    ar1 = Pearson r of (x_i, x_i+1) over the pairs (empty if < 3 pairs or if
    either side has zero variance, tested exactly as "all values equal").
    pa_pairs/na_pairs = the number of pairs (integers, always present).
  * Granularity: prompts where all k items of the valence are present give a
    k x m matrix; ICC(3,k) = (MS_rows - MS_error) / MS_rows with the SS
    decomposition around the grand mean (SS_error = SS_total - SS_rows -
    SS_cols).  granularity = 1 - ICC, icc_z = atanh(ICC).  Both empty with
    fewer than 3 complete prompts, when MS_rows is 0 (tested exactly as "all
    row means equal") or when the valence has a single item (MS_error is
    0/0); icc_z also empty when |ICC| >= 1.
  * Emodiversity = -sum p_i ln p_i over all items, p_i = sum over present
    cells of (rating - scale_min) for item i / the same sum over all items;
    p_i = 0 contributes 0; empty when the total is 0.  (Ratings below
    --scale-min can make a p_i negative; the log is then undefined and the
    cell is empty.)
"""
import argparse
import sys

import numpy as np
import pandas as pd

NA_TEXT = ["", "NA", "NaN", "nan"]
MAX_RATING = 1e12
COLUMNS = ["id", "n", "pa_mean", "pa_sd", "na_mean", "na_sd", "pa_mssd", "na_mssd",
           "pa_ar1", "na_ar1", "pos_granularity", "neg_granularity", "pos_icc_z",
           "neg_icc_z", "emodiversity", "pa_pairs", "na_pairs"]
COUNTS = ["n", "pa_pairs", "na_pairs"]


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description="Per-participant emotion-dynamics metrics (pandas).")
    ap.add_argument("data")
    ap.add_argument("--id", required=True, dest="id_col")
    ap.add_argument("--time", dest="time_col")
    ap.add_argument("--day", dest="day_col")
    ap.add_argument("--beep", dest="beep_col")
    ap.add_argument("--positive", required=True)
    ap.add_argument("--negative", required=True)
    ap.add_argument("--scale-min", type=float, default=0.0)
    ap.add_argument("--scale-max", type=float)
    ap.add_argument("--missing", default="")
    ap.add_argument("--delimiter", choices=[",", ";", "|", "tab"])
    ap.add_argument("--within-day", action="store_true")
    ap.add_argument("--out")
    a = ap.parse_args(argv)
    a.positive = [s.strip() for s in a.positive.split(",") if s.strip()]
    a.negative = [s.strip() for s in a.negative.split(",") if s.strip()]
    a.missing = [s.strip() for s in a.missing.split(",") if s.strip()]
    if (a.time_col is None) == (a.day_col is None) or (a.day_col is None) != (a.beep_col is None):
        ap.error("give --time COL, or --day COL and --beep COL")
    a.clock = [a.time_col] if a.time_col else [a.day_col, a.beep_col]
    if not a.positive or not a.negative:
        ap.error("--positive and --negative each need at least one column")
    return a


def detect(path):
    """The separator the header line uses most outside quotes: a tab or ';'
    only when it outnumbers commas."""
    with open(path, encoding="utf-8-sig") as f:
        line = f.readline()
    counts = {",": 0, "\t": 0, ";": 0}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch in counts and not quoted:
            counts[ch] += 1
    if counts["\t"] > counts[","] and counts["\t"] >= counts[";"]:
        return "\t"
    return ";" if counts[";"] > counts[","] else ","


def read(a):
    items = list(dict.fromkeys(a.positive + a.negative))
    sep = {"tab": "\t", None: None}.get(a.delimiter, a.delimiter) or detect(a.data)
    df = pd.read_csv(
        a.data,
        sep=sep,
        usecols=[a.id_col] + a.clock + items,
        dtype={c: str for c in [a.id_col] + a.clock},
        keep_default_na=False,
        na_values={c: NA_TEXT + a.missing for c in items},
    )
    codes = []
    for m in a.missing:
        try:
            codes.append(float(m))
        except ValueError:
            pass
    for c in items:
        if not pd.api.types.is_numeric_dtype(df[c]):
            df[c] = pd.to_numeric(df[c], errors="raise")  # anything else non-numeric is an error
        df[c] = df[c].astype("float64")
        df.loc[df[c].isin(codes), c] = np.nan
        v = df[c].to_numpy()
        bad = ~np.isnan(v) & ~(np.abs(v) <= MAX_RATING)
        if bad.any():
            i = int(np.argmax(bad))
            sys.exit(f"line {i + 2}, column {c!r}: {v[i]!r} is not a finite rating "
                     f"within {MAX_RATING:g} of 0")
        if a.scale_max is not None and (v > a.scale_max).any():
            i = int(np.argmax(v > a.scale_max))
            sys.exit(f"line {i + 2}, column {c!r}: {v[i]!r} is above --scale-max {a.scale_max:g}")
    return df, items


def drop_untimed(df, clock):
    """Leaves out prompts with an empty time (or day, or beep) cell, and says
    how many."""
    untimed = np.zeros(len(df), dtype=bool)
    for c in clock:
        untimed |= (df[c].str.strip() == "").to_numpy()
    if untimed.any():
        first = int(np.argmax(untimed)) + 2
        n = int(untimed.sum())
        print(f"Left out {n} prompt{'' if n == 1 else 's'} with an empty time cell "
              f"(the first on line {first})", file=sys.stderr)
    return df[~untimed].reset_index(drop=True)


def sort_key(times, within_day):
    """Returns (sort key array, missing-time mask, date labels or None)."""
    t = times.str.strip()
    missing = (t == "").to_numpy()
    present = t[~missing]
    num = pd.to_numeric(present, errors="coerce")
    if num.notna().all():
        if within_day:
            sys.exit("--within-day needs timestamps, but the time column is numeric")
        key = np.zeros(len(t), dtype="float64")
        key[~missing] = num.to_numpy(dtype="float64")
        return key, missing, None
    try:
        dt = pd.to_datetime(present, format="ISO8601", utc=True)
    except (ValueError, TypeError):
        dt = pd.to_datetime(present, format="mixed", utc=True)
    key = np.zeros(len(t), dtype="int64")
    key[~missing] = dt.dt.tz_convert(None).to_numpy(dtype="datetime64[ns]").astype("int64")
    dates = t.str.slice(0, 10).to_numpy(dtype=object) if within_day else None
    return key, missing, dates


def day_beep_key(days, beeps, within_day):
    """--day/--beep: one sort key (day, then beep) as a rank, no missing
    times, and the day as the date label for --within-day.  A day is a
    whole number or a date YYYY-MM-DD (as days since 1970)."""
    d = days.str.strip()
    num = pd.to_numeric(d, errors="coerce")
    if num.notna().all():
        if not (num == np.floor(num)).all():
            sys.exit("--day: every day must be a whole number or a date")
        day = num.to_numpy(dtype="float64")
    else:
        dt = pd.to_datetime(d, format="%Y-%m-%d")
        day = ((dt - pd.Timestamp("1970-01-01")).dt.days).to_numpy(dtype="float64")
    beep = pd.to_numeric(beeps.str.strip(), errors="raise").to_numpy(dtype="float64")
    rank = np.empty(len(d), dtype="int64")
    rank[np.lexsort((beep, day))] = np.arange(len(d))
    return rank, np.zeros(len(d), dtype=bool), (day if within_day else None)


def fmt(v):
    return "" if v is None or not np.isfinite(v) else repr(float(v))


def analyze(a):
    df, items = read(a)
    df = drop_untimed(df, a.clock)
    codes, ids = pd.factorize(df[a.id_col], sort=False)  # codes in order of first appearance
    if (codes < 0).any():
        sys.exit(f"missing value in id column {a.id_col!r}")
    if a.time_col:
        key, tmissing, dates = sort_key(df[a.time_col], a.within_day)
    else:
        key, tmissing, dates = day_beep_key(df[a.day_col], df[a.beep_col], a.within_day)
    # primary: participant; then time (missing last); then file row (= stable)
    order = np.lexsort((np.arange(len(df)), key, tmissing, codes))
    df = df.iloc[order].reset_index(drop=True)
    g = codes[order]
    tmissing = tmissing[order]
    if dates is not None:
        dates = dates[order]
    ngroups = len(ids)
    out = pd.DataFrame(index=pd.RangeIndex(ngroups))
    out["id"] = np.asarray(ids, dtype=object)

    pa = df[a.positive].mean(axis=1, skipna=True)  # NaN if no positive item present
    na = df[a.negative].mean(axis=1, skipna=True)
    answered = df[items].notna().any(axis=1)
    out["n"] = answered.groupby(g).sum().reindex(out.index, fill_value=0).astype("int64")

    for name, x in (("pa", pa), ("na", na)):
        grp = x.groupby(g)
        out[f"{name}_mean"] = grp.mean().reindex(out.index)
        out[f"{name}_sd"] = grp.std(ddof=1).reindex(out.index)

    # successive pairs (i, i+1) within a participant, both present
    same = np.zeros(len(df), dtype=bool)
    same[:-1] = g[1:] == g[:-1]
    if dates is not None:
        d0, d1 = dates[:-1], dates[1:]
        same[:-1] &= (d0 == d1) & ~tmissing[:-1] & ~tmissing[1:]
    for name, x in (("pa", pa), ("na", na)):
        xv = x.to_numpy()
        nxt = np.full(len(xv), np.nan)
        nxt[:-1] = xv[1:]
        ok = same & ~np.isnan(xv) & ~np.isnan(nxt)
        p = pd.DataFrame({"g": g[ok], "x": xv[ok], "y": nxt[ok]})
        p["d2"] = (p["y"] - p["x"]) ** 2
        grp = p.groupby("g")
        npairs = grp.size().reindex(out.index, fill_value=0)
        mssd = grp["d2"].mean().reindex(out.index)
        out[f"{name}_mssd"] = mssd.where(npairs >= 2)
        # Pearson r, two-pass: deviations from the per-participant pair means
        p["dx"] = p["x"] - grp["x"].transform("mean")
        p["dy"] = p["y"] - grp["y"].transform("mean")
        p["sxy"] = p["dx"] * p["dy"]
        p["sxx"] = p["dx"] ** 2
        p["syy"] = p["dy"] ** 2
        s = p.groupby("g")[["sxy", "sxx", "syy"]].sum().reindex(out.index)
        const_x = (grp["x"].min() == grp["x"].max()).reindex(out.index, fill_value=True)
        const_y = (grp["y"].min() == grp["y"].max()).reindex(out.index, fill_value=True)
        r = s["sxy"] / np.sqrt(s["sxx"] * s["syy"])
        out[f"{name}_ar1"] = r.where((npairs >= 3) & ~const_x & ~const_y)
        out[f"{name}_pairs"] = npairs.astype("int64")

    # granularity: ICC(3,k) over prompts with every item of the valence present
    for name, cols in (("pos", a.positive), ("neg", a.negative)):
        m = len(cols)
        full = df[cols].notna().all(axis=1).to_numpy()
        sub = df.loc[full, cols].reset_index(drop=True)
        gs = g[full]
        k = pd.Series(gs).value_counts().reindex(out.index, fill_value=0)
        col_means = sub.groupby(gs).mean().reindex(out.index)          # per participant x item
        grand = sub.groupby(gs).sum().sum(axis=1).reindex(out.index) / (k * m)
        row_means = sub.mean(axis=1)
        gr = grand.to_numpy()[gs]
        ss_rows = m * ((row_means - gr) ** 2).groupby(gs).sum().reindex(out.index)
        ss_cols = k * col_means.sub(grand, axis=0).pow(2).sum(axis=1)
        ss_total = sub.sub(gr, axis=0).pow(2).sum(axis=1).groupby(gs).sum().reindex(out.index)
        ss_error = ss_total - ss_rows - ss_cols
        ms_rows = ss_rows / (k - 1)
        ms_error = ss_error / ((k - 1) * (m - 1)) if m > 1 else ss_error * np.nan
        rmg = row_means.groupby(gs)
        rows_vary = (rmg.min() != rmg.max()).reindex(out.index, fill_value=False)
        icc = ((ms_rows - ms_error) / ms_rows).where((k >= 3) & rows_vary)
        out[f"{name}_granularity"] = 1 - icc
        with np.errstate(all="ignore"):
            out[f"{name}_icc_z"] = np.arctanh(icc.where(icc.abs() < 1))

    # emodiversity
    shifted = df[items] - a.scale_min
    s = shifted.groupby(g).sum().reindex(out.index, fill_value=0.0)  # NaN cells skipped
    total = s.sum(axis=1)
    p = s.div(total, axis=0)
    with np.errstate(all="ignore"):
        terms = -p * np.log(p)
    terms = terms.where(p != 0, 0.0)
    out["emodiversity"] = terms.sum(axis=1, skipna=False).where(total != 0)
    return out[COLUMNS]


def write(out, path):
    text = out.copy()
    for c in (c for c in COLUMNS[1:] if c not in COUNTS):
        text[c] = [fmt(v) for v in out[c].to_numpy(dtype="float64")]
    text.to_csv(path if path else sys.stdout, index=False, lineterminator="\n")


def main(argv=None):
    a = parse_args(argv)
    write(analyze(a), a.out)


if __name__ == "__main__":
    main()
