#!/usr/bin/env python3
"""Polarity (and feeling-family) evaluation on a GoEmotions-format data set:
VADER as the baseline, feltsense's predictions beside it.

Usage:
    pip install vaderSentiment
    python3 eval/vader_polarity.py DIR [--feltsense PRED.jsonl] [--json OUT.json]

DIR holds `test.tsv` (text<TAB>comma-separated label ids<TAB>comment id) and
`emotions.txt` (label names, line k = label id k), as the GoEmotions test split
does (and eval/sample/, a 30-comment hand-made sample for testing this script).

Gold polarity of a comment comes from its labels through
eval/goemotions_polarity.tsv (pleasant, unpleasant, ambiguous, neutral):
  * its pleasant/unpleasant labels all agree   -> that polarity
    (ambiguous and neutral labels next to them do not vote; with
    `--ambiguous skip` any ambiguous label skips the comment instead);
  * both pleasant and unpleasant labels         -> skipped ("mixed");
  * only ambiguous labels (maybe with neutral)  -> skipped ("ambiguous only");
  * only neutral                                -> neutral.
VADER's compound score gives pleasant (>= 0.05), unpleasant (<= -0.05) or
neutral (the thresholds of the VADER authors).

`--feltsense FILE` reads JSON lines, one per comment,
    {"id": "...", "polarity": "pleasant|unpleasant|neutral", "families": ["joy", ...]}
A comment with no line counts as a neutral prediction with no families; a line
with a missing or unknown polarity counts as neutral too; unknown family names
are ignored. All of these are counted and printed. With it, the per-family
evaluation is also made, on every comment of DIR (not only those with a gold
polarity): gold families are the comment's labels mapped through
eval/goemotions_families.tsv, `none` left out; for each family TP = in both gold
and predicted, FP = predicted only, FN = gold only.

Precision of a class never predicted, or recall of a class with no gold
comment, is reported as 0 (as scikit-learn does with zero_division=0).
Macro-F1 for polarity averages the three classes; for families it averages the
families with gold support > 0.

Prints a markdown report to stdout; `--json OUT` writes every number.
Exit status: 0 on success, 2 on unusable input (missing files, bad maps).
"""

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter

POLARITIES = ("pleasant", "unpleasant", "neutral")
GOLD_POLARITY_VALUES = ("pleasant", "unpleasant", "neutral", "ambiguous")
FAMILIES = (
    "joy",
    "love",
    "calm",
    "interest",
    "surprise",
    "sadness",
    "fear",
    "anger",
    "disgust",
    "shame",
    "numb",
)
VADER_POS = 0.05
VADER_NEG = -0.05

HERE = os.path.dirname(os.path.abspath(__file__))


class InputError(Exception):
    pass


def warn(msg):
    print(f"warning: {msg}", file=sys.stderr)


def read_map(path, allowed):
    """label<TAB>value lines; # comments and blank lines ignored."""
    out = {}
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot read {path}: {e}")
    with f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2:
                raise InputError(f"{path}:{lineno}: expected label<TAB>value, got {line!r}")
            label, value = parts[0].strip(), parts[1].strip()
            if value not in allowed:
                raise InputError(
                    f"{path}:{lineno}: {value!r} is not one of {', '.join(allowed)}"
                )
            if label in out:
                raise InputError(f"{path}:{lineno}: label {label!r} mapped twice")
            out[label] = value
    return out


def read_emotions(path):
    try:
        with open(path, encoding="utf-8") as f:
            names = [line.strip() for line in f]
    except OSError as e:
        raise InputError(f"cannot read {path}: {e}")
    while names and not names[-1]:
        names.pop()
    if not names or any(not n for n in names):
        raise InputError(f"{path}: expected one label name a line, no blank lines")
    return names


def read_dataset(path, names):
    """Returns (comments, problems); a comment is (id, text, [label names])."""
    comments = []
    problems = Counter()
    examples = []
    seen = set()
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot read {path}: {e}")
    with f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            # rsplit: a stray tab inside a text stays in the text
            parts = line.rsplit("\t", 2)
            if len(parts) != 3:
                problems["malformed line"] += 1
                examples.append(f"{path}:{lineno}: not text<TAB>labels<TAB>id")
                continue
            text, ids_field, cid = parts
            cid = cid.strip()
            labels = []
            bad = False
            for tok in ids_field.split(","):
                tok = tok.strip()
                if not tok:
                    continue
                if not tok.isdigit() or int(tok) >= len(names):
                    bad = True
                    break
                labels.append(names[int(tok)])
            if bad or not cid:
                problems["malformed line"] += 1
                examples.append(f"{path}:{lineno}: bad label ids {ids_field!r} or empty id")
                continue
            if cid in seen:
                problems["duplicate comment id"] += 1
                examples.append(f"{path}:{lineno}: duplicate comment id {cid!r}")
            seen.add(cid)
            comments.append((cid, text, labels))
    for e in examples[:5]:
        warn(e)
    if len(examples) > 5:
        warn(f"... and {len(examples) - 5} more problems in {path}")
    return comments, problems


def gold_polarity(labels, polmap, ambiguous_mode):
    """Returns (polarity, None) or (None, skip reason)."""
    pols = {polmap[label] for label in labels}
    definite = pols & {"pleasant", "unpleasant"}
    if "ambiguous" in pols and ambiguous_mode == "skip":
        return None, "ambiguous label"
    if len(definite) == 2:
        return None, "mixed pleasant and unpleasant"
    if len(definite) == 1:
        return definite.pop(), None
    if "ambiguous" in pols:
        return None, "ambiguous only"
    if "neutral" in pols:
        return "neutral", None
    return None, "no labels"


def vader_label(compound):
    if compound >= VADER_POS:
        return "pleasant"
    if compound <= VADER_NEG:
        return "unpleasant"
    return "neutral"


def read_feltsense(path, known_ids):
    preds = {}
    stats = {
        "lines": 0,
        "malformed_lines": 0,
        "duplicate_ids": 0,
        "ids_not_in_data": 0,
        "missing_or_invalid_polarity": 0,
        "unknown_families": {},
    }
    unknown = Counter()
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot read {path}: {e}")
    with f:
        for lineno, raw in enumerate(f, 1):
            s = raw.strip()
            if not s:
                continue
            stats["lines"] += 1
            try:
                obj = json.loads(s)
            except json.JSONDecodeError:
                obj = None
            if not isinstance(obj, dict) or obj.get("id") is None:
                stats["malformed_lines"] += 1
                if stats["malformed_lines"] <= 5:
                    warn(f"{path}:{lineno}: not a JSON object with an id, ignored")
                continue
            cid = str(obj["id"]).strip()
            pol = obj.get("polarity")
            if pol not in POLARITIES:
                stats["missing_or_invalid_polarity"] += 1
                if stats["missing_or_invalid_polarity"] <= 5:
                    warn(f"{path}:{lineno}: polarity {pol!r} counted as neutral")
                pol = "neutral"
            fams = obj.get("families") or []
            if not isinstance(fams, list):
                fams = [fams]
            famset = set()
            for fam in fams:
                name = str(fam).strip().lower()
                if name in FAMILIES:
                    famset.add(name)
                else:
                    unknown[str(fam)] += 1
            if cid in preds:
                stats["duplicate_ids"] += 1
            if cid not in known_ids:
                stats["ids_not_in_data"] += 1
            preds[cid] = (pol, famset)  # the last line for an id wins
    stats["unknown_families"] = dict(unknown.most_common())
    if stats["duplicate_ids"]:
        warn(f"{path}: {stats['duplicate_ids']} repeated ids (the last line wins)")
    if stats["ids_not_in_data"]:
        warn(f"{path}: {stats['ids_not_in_data']} lines whose id is not in the data")
    if unknown:
        warn(f"{path}: unknown family names ignored: {dict(unknown.most_common(10))}")
    return preds, stats


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1


def polarity_report(gold, pred):
    confusion = {g: {p: 0 for p in POLARITIES} for g in POLARITIES}
    for g, p in zip(gold, pred):
        confusion[g][p] += 1
    classes = {}
    for c in POLARITIES:
        tp = confusion[c][c]
        fp = sum(confusion[g][c] for g in POLARITIES if g != c)
        fn = sum(confusion[c][p] for p in POLARITIES if p != c)
        p, r, f1 = prf(tp, fp, fn)
        classes[c] = {
            "support": tp + fn,
            "predicted": tp + fp,
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": p,
            "recall": r,
            "f1": f1,
        }
    n = len(gold)
    correct = sum(confusion[c][c] for c in POLARITIES)
    return {
        "n": n,
        "classes": classes,
        "macro_f1": sum(classes[c]["f1"] for c in POLARITIES) / len(POLARITIES),
        "accuracy": correct / n if n else 0.0,
        "confusion_gold_rows_pred_cols": confusion,
    }


def family_report(gold_sets, pred_sets):
    counts = {f: {"tp": 0, "fp": 0, "fn": 0} for f in FAMILIES}
    for g, p in zip(gold_sets, pred_sets):
        for fam in g & p:
            counts[fam]["tp"] += 1
        for fam in p - g:
            counts[fam]["fp"] += 1
        for fam in g - p:
            counts[fam]["fn"] += 1
    fams = {}
    for fam in FAMILIES:
        c = counts[fam]
        p, r, f1 = prf(c["tp"], c["fp"], c["fn"])
        fams[fam] = {
            "support": c["tp"] + c["fn"],
            "predicted": c["tp"] + c["fp"],
            **c,
            "precision": p,
            "recall": r,
            "f1": f1,
        }
    scored = [f for f in FAMILIES if fams[f]["support"] > 0]
    tp = sum(counts[f]["tp"] for f in FAMILIES)
    fp = sum(counts[f]["fp"] for f in FAMILIES)
    fn = sum(counts[f]["fn"] for f in FAMILIES)
    mp, mr, mf = prf(tp, fp, fn)
    no_gold = [i for i, g in enumerate(gold_sets) if not g]
    return {
        "n_comments": len(gold_sets),
        "families": fams,
        "macro_f1_families": scored,
        "macro_f1": sum(fams[f]["f1"] for f in scored) / len(scored) if scored else 0.0,
        "micro": {"tp": tp, "fp": fp, "fn": fn, "precision": mp, "recall": mr, "f1": mf},
        "comments_without_gold_family": len(no_gold),
        "of_which_with_a_predicted_family": sum(1 for i in no_gold if pred_sets[i]),
    }


def time_vader(texts, runs):
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        raise InputError("vaderSentiment is not installed: pip install vaderSentiment")
    try:
        from importlib.metadata import version

        vader_version = version("vaderSentiment")
    except Exception:
        vader_version = "unknown"
    t0 = time.perf_counter()
    sia = SentimentIntensityAnalyzer()
    load_s = time.perf_counter() - t0
    times = []
    compounds = None
    for _ in range(max(1, runs)):
        t0 = time.perf_counter()
        out = [sia.polarity_scores(t)["compound"] for t in texts]
        times.append(time.perf_counter() - t0)
        compounds = out
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    secs = statistics.median(times)
    return compounds, {
        "vaderSentiment_version": vader_version,
        "comments": len(texts),
        "bytes": nbytes,
        "runs": len(times),
        "seconds_each_run": times,
        "seconds_median": secs,
        "comments_per_s": len(texts) / secs if secs > 0 else None,
        "mb_per_s": nbytes / 1e6 / secs if secs > 0 else None,
        "analyser_load_s_excluded": load_s,
    }


def fmt(x):
    return f"{x:.3f}"


def render(result):
    out = []
    d = result["data"]
    pol = result["polarity"]
    has_fs = "feltsense" in pol
    out.append(f"# GoEmotions polarity: VADER{' vs feltsense' if has_fs else ''}")
    out.append("")
    out.append(
        f"Data: `{d['dir']}`: {d['comments']} comments"
        + (f" ({d['skipped_input_lines']} unusable input lines skipped)" if d["skipped_input_lines"] else "")
        + "."
    )
    sk = pol["skipped"]
    reasons = ", ".join(f"{k}: {v}" for k, v in sorted(sk.items())) or "none"
    out.append(
        f"Evaluated: n = {pol['n_evaluated']}; skipped (no single gold polarity): "
        f"{pol['n_skipped']} ({reasons}); ambiguous labels: `{result['settings']['ambiguous']}`."
    )
    gc = pol["gold_counts"]
    out.append("Gold: " + ", ".join(f"{c} {gc[c]}" for c in POLARITIES) + ".")
    if has_fs:
        fi = result["feltsense_input"]
        out.append(
            f"feltsense predictions: `{fi['file']}`: {fi['lines']} lines; "
            f"{fi['evaluated_without_prediction']} of the {pol['n_evaluated']} evaluated comments "
            f"({fi['comments_without_prediction']} of all {d['comments']}) have no prediction line "
            "and count as neutral predictions with no families; "
            f"lines with a missing or invalid polarity (counted as neutral): {fi['missing_or_invalid_polarity']}; "
            f"malformed lines (ignored): {fi['malformed_lines']}; lines whose id is not in the data: "
            f"{fi['ids_not_in_data']}; repeated ids (last line wins): {fi['duplicate_ids']}."
        )
    out.append("")
    systems = [("VADER", pol["vader"])] + ([("feltsense", pol["feltsense"])] if has_fs else [])
    head = "| class | gold n |" + "".join(f" {s} P | {s} R | {s} F1 |" for s, _ in systems)
    out.append(head)
    out.append("|---|---:|" + "---:|---:|---:|" * len(systems))
    for c in POLARITIES:
        row = f"| {c} | {pol['gold_counts'][c]} |"
        for _, rep in systems:
            k = rep["classes"][c]
            row += f" {fmt(k['precision'])} | {fmt(k['recall'])} | {fmt(k['f1'])} |"
        out.append(row)
    row = f"| **macro-F1** | {pol['n_evaluated']} |"
    for _, rep in systems:
        row += f" | | **{fmt(rep['macro_f1'])}** |"
    out.append(row)
    row = f"| accuracy | {pol['n_evaluated']} |"
    for _, rep in systems:
        row += f" | | {fmt(rep['accuracy'])} |"
    out.append(row)
    out.append("")
    for name, rep in systems:
        out.append(f"{name} confusion (rows gold, columns predicted):")
        out.append("")
        out.append("| gold \\ predicted | " + " | ".join(POLARITIES) + " |")
        out.append("|---|" + "---:|" * len(POLARITIES))
        for g in POLARITIES:
            cm = rep["confusion_gold_rows_pred_cols"][g]
            out.append(f"| {g} | " + " | ".join(str(cm[p]) for p in POLARITIES) + " |")
        out.append("")
    t = result["vader_throughput"]
    out.append(
        f"VADER throughput (vaderSentiment {t['vaderSentiment_version']}, one process, "
        f"median of {t['runs']} run{'s' if t['runs'] != 1 else ''}): "
        f"{t['comments_per_s']:,.0f} comments/s, {t['mb_per_s']:.3f} MB/s "
        f"({t['comments']} comments, {t['bytes'] / 1e6:.3f} MB of UTF-8 text in "
        f"{t['seconds_median']:.3f} s; MB = 10^6 bytes; analyser load "
        f"{t['analyser_load_s_excluded']:.3f} s not included)."
    )
    if "families" in result:
        fr = result["families"]
        out.append("")
        out.append("## feltsense families vs gold families")
        out.append("")
        out.append(
            f"All {fr['n_comments']} comments; gold families = labels mapped through "
            f"`{os.path.basename(result['settings']['family_map'])}` (`none` left out). "
            f"{fr['comments_without_gold_family']} comments have no gold family; "
            f"feltsense gave {fr['of_which_with_a_predicted_family']} of them a family (counted as FP)."
        )
        out.append("")
        out.append("| family | support | predicted | TP | FP | FN | P | R | F1 |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for fam in FAMILIES:
            k = fr["families"][fam]
            out.append(
                f"| {fam} | {k['support']} | {k['predicted']} | {k['tp']} | {k['fp']} | {k['fn']} | "
                f"{fmt(k['precision'])} | {fmt(k['recall'])} | {fmt(k['f1'])} |"
            )
        m = fr["micro"]
        out.append(
            f"| **macro-F1** ({len(fr['macro_f1_families'])} families with support) | | | | | | | | "
            f"**{fmt(fr['macro_f1'])}** |"
        )
        out.append(
            f"| micro | | | {m['tp']} | {m['fp']} | {m['fn']} | {fmt(m['precision'])} | "
            f"{fmt(m['recall'])} | {fmt(m['f1'])} |"
        )
    out.append("")
    out.append(
        "Zero-division convention: precision of a class never predicted, or recall of a class "
        "with no gold comment, is 0."
    )
    return "\n".join(out)


def run(args):
    d = args.dir
    names = read_emotions(os.path.join(d, "emotions.txt"))
    polmap = read_map(args.polarity_map, GOLD_POLARITY_VALUES)
    fammap = read_map(args.family_map, FAMILIES + ("none",))
    for path, m in ((args.polarity_map, polmap), (args.family_map, fammap)):
        missing = [n for n in names if n not in m]
        if missing:
            raise InputError(f"{path} has no line for: {', '.join(missing)}")
    comments, problems = read_dataset(os.path.join(d, "test.tsv"), names)
    if not comments:
        raise InputError(f"{os.path.join(d, 'test.tsv')}: no comments")

    compounds, throughput = time_vader([c[1] for c in comments], args.timing_runs)

    preds = None
    fs_stats = None
    if args.feltsense:
        preds, fs_stats = read_feltsense(args.feltsense, {c[0] for c in comments})

    gold, vader_pred, fs_pred = [], [], []
    skipped = Counter()
    no_pred_eval = 0
    for (cid, _text, labels), comp in zip(comments, compounds):
        g, why = gold_polarity(labels, polmap, args.ambiguous)
        if g is None:
            skipped[why] += 1
            continue
        gold.append(g)
        vader_pred.append(vader_label(comp))
        if preds is not None:
            if cid in preds:
                fs_pred.append(preds[cid][0])
            else:
                no_pred_eval += 1
                fs_pred.append("neutral")

    result = {
        "data": {
            "dir": d,
            "comments": len(comments),
            "skipped_input_lines": sum(problems.values()),
            "input_problems": dict(problems),
        },
        "settings": {
            "polarity_map": args.polarity_map,
            "family_map": args.family_map,
            "ambiguous": args.ambiguous,
            "vader_thresholds": {"pleasant_if_compound_ge": VADER_POS, "unpleasant_if_compound_le": VADER_NEG},
            "missing_feltsense_prediction": "neutral polarity, no families",
            "zero_division": 0.0,
        },
        "polarity": {
            "n_evaluated": len(gold),
            "n_skipped": sum(skipped.values()),
            "skipped": dict(skipped),
            "gold_counts": {c: gold.count(c) for c in POLARITIES},
            "vader": polarity_report(gold, vader_pred),
        },
        "vader_throughput": throughput,
    }
    if preds is not None:
        result["polarity"]["feltsense"] = polarity_report(gold, fs_pred)
        fs_stats["file"] = args.feltsense
        fs_stats["comments_without_prediction"] = sum(1 for c in comments if c[0] not in preds)
        fs_stats["evaluated_without_prediction"] = no_pred_eval
        result["feltsense_input"] = fs_stats
        gold_sets = [{fammap[l] for l in c[2]} - {"none"} for c in comments]
        pred_sets = [preds[c[0]][1] if c[0] in preds else set() for c in comments]
        result["families"] = family_report(gold_sets, pred_sets)
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Polarity evaluation of VADER (and feltsense predictions) on a GoEmotions-format directory."
    )
    ap.add_argument("dir", help="directory with test.tsv and emotions.txt")
    ap.add_argument("--feltsense", metavar="FILE", help="feltsense predictions, JSON lines")
    ap.add_argument("--json", metavar="OUT", help="write every number as JSON to OUT")
    ap.add_argument(
        "--polarity-map",
        default=os.path.join(HERE, "goemotions_polarity.tsv"),
        help="label<TAB>polarity file (default: goemotions_polarity.tsv beside this script)",
    )
    ap.add_argument(
        "--family-map",
        default=os.path.join(HERE, "goemotions_families.tsv"),
        help="label<TAB>family file (default: goemotions_families.tsv beside this script)",
    )
    ap.add_argument(
        "--ambiguous",
        choices=("ignore", "skip"),
        default="ignore",
        help="ambiguous labels beside a pleasant/unpleasant one: ignore them (default) or skip the comment",
    )
    ap.add_argument(
        "--timing-runs", type=int, default=1, metavar="N", help="time VADER over N passes, report the median"
    )
    args = ap.parse_args(argv)
    try:
        result = run(args)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(render(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2, sort_keys=False)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
