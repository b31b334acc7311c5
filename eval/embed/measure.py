"""Does a small sentence-embedding model buy crisis recall? (issue 15)

Compares, for the writer's own present crisis risk, out of fold over every
labelled set in eval/language/ (crisis.tsv rows always training):

  A  today's system: patterns + learned heads, the heads retrained per fold
     with their own inner CV (examples/embed_folds.rs writes folds.tsv);
  B  all-MiniLM-L6-v2 sentence embeddings read by logistic regression
     (whole entry; mean and max over sentences; max of a whole-entry model
     over the sentences), by nearest neighbours among the training entries
     and by a small network;
  C  a static distillation of the same model (each wordpiece's output
     embedding alone, PCA, SIF-weighted mean), model2vec style, read by
     logistic regression and nearest neighbours;
  D  A or an embedding head, which adds only where the patterns did not
     say the words are someone else's, past, media or denied, at the
     lowest threshold keeping look-alike alarms <= 0.13 and adding no
     ordinary alarm.

Seeded and deterministic (lbfgs, a seeded network, fixed folds; only the
speed figures vary). Embeddings are cached under --cache (not in the
repository). eval/embed/run.sh runs everything.
"""

import argparse
import csv
import hashlib
import json
import os
import re
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, os.path.dirname(__file__))
from minilm import MiniLM  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
SETS = ["dev.tsv", "blind.tsv", "train_extra.tsv", "train3.tsv", "blind3.tsv"]
CRISIS_TSV = os.path.join(ROOT, "crates", "feltsense-text", "tests", "data", "crisis.tsv")
# GoEmotions train, beside the checkout (../shared) or beside a worktree's parent.
GOEMOTIONS = next(
    (
        p
        for p in (os.path.join(ROOT, *up, "shared", "datasets", "goemotions", "train.tsv") for up in ([".."], ["..", ".."]))
        if os.path.exists(p)
    ),
    os.path.join(ROOT, "..", "shared", "datasets", "goemotions", "train.tsv"),
)
LOOKALIKE_ALARMS = 0.13
ORDINARY_WEIGHT = 3.0
SIF_A = 1e-3
csv.field_size_limit(1 << 24)


def sentences(text):
    """The sentences as feltsense_text::learned splits them."""
    parts = [p.strip() for p in re.split(r"(?<=[.!?\n])", text)]
    return [p for p in parts if p] or [text.strip() or "."]


def load_rows(folds_tsv):
    folds = {}
    with open(folds_tsv) as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            folds[(r["set"], r["id"])] = r
    rows = []
    for name in SETS:
        with open(os.path.join(ROOT, "eval", "language", name)) as f:
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                a = folds[(name, r["id"])]
                rows.append(
                    dict(
                        set=name,
                        id=r["id"],
                        kind=r["kind"],
                        crisis=r["crisis"] == "1",
                        text=r["text"],
                        fold=int(a["fold"]),
                        patterns=a["patterns"] == "1",
                        veto=a["veto"] == "1",
                        system=a["system"] == "1",
                    )
                )
    with open(CRISIS_TSV) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            label, text = line.split("\t", 1)
            rows.append(dict(set="crisis.tsv", id="", kind="", crisis=label == "risk", text=text, fold=-1))
    return rows


def cached(path, texts, compute):
    """Vectors of `texts`, computed once per distinct text set."""
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    file = f"{path}-{key}.npy"
    if os.path.exists(file):
        return np.load(file)
    start = time.time()
    out = compute(texts)
    print(f"  {os.path.basename(path)}: {len(texts)} texts in {time.time() - start:.1f} s", file=sys.stderr)
    np.save(file, out)
    return out


# ---------------------------------------------------------------- static (C)


def distil(model, cache, dims):
    """Each wordpiece alone through the model ([CLS] piece [SEP], mean
    pooled), then PCA to `dims`; rows weighted by SIF over GoEmotions train
    wordpiece frequencies. Returns (table, weights)."""
    vocab = model.tok.get_vocab_size()
    file = os.path.join(cache, "static-384.npy")
    if os.path.exists(file):
        table = np.load(file)
    else:
        table = np.zeros((vocab, 384), dtype=np.float32)
        for s in range(0, vocab, 512):
            ids = [[101, i, 102] for i in range(s, min(s + 512, vocab))]
            x, mask = model.forward(ids)
            table[s : s + len(ids)] = x.mean(1)
        np.save(file, table)
    centred = table - table.mean(0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ vt[:dims].T
    counts = np.ones(vocab)
    with open(GOEMOTIONS) as f:
        comments = [line.split("\t", 1)[0] for line in f]
    for ids in model.ids(comments):
        np.add.at(counts, ids[1:-1], 1)
    p = counts / counts.sum()
    return reduced.astype(np.float32), (SIF_A / (SIF_A + p)).astype(np.float32)


def static_embed(model, table, weights, texts):
    out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    for n, ids in enumerate(model.ids(texts)):
        ids = ids[1:-1] or [100]
        v = (table[ids] * weights[ids, None]).sum(0) / weights[ids].sum()
        out[n] = v / max(np.linalg.norm(v), 1e-12)
    return out


# ---------------------------------------------------------------- features


def per_entry(rows, sent_vectors, index):
    """Mean and element-wise max of each entry's sentence vectors."""
    out = []
    for r in rows:
        v = sent_vectors[[index[s] for s in sentences(r["text"])]]
        out.append(np.concatenate([v.mean(0), v.max(0)]))
    return np.array(out, dtype=np.float32)


def weights_of(rows):
    return np.array(
        [ORDINARY_WEIGHT if (not r["crisis"] and r["kind"] not in ("", "lookalike")) else 1.0 for r in rows]
    )


def cross_validate(rows, x, c, sent=None):
    """Out-of-fold logits. With `sent` (sentence vectors and each entry's
    sentence indices), an entry scores the max of the whole-entry model
    over the entry and each of its sentences."""
    y = np.array([r["crisis"] for r in rows])
    w = weights_of(rows)
    fold = np.array([r["fold"] for r in rows])
    out = np.full(len(rows), np.nan)
    for k in range(5):
        train = fold != k
        model = LogisticRegression(C=c, max_iter=5000)
        model.fit(x[train], y[train], sample_weight=w[train])
        held = np.where(fold == k)[0]
        out[held] = model.decision_function(x[held])
        if sent is not None:
            vectors, members = sent
            s = model.decision_function(vectors)
            for i in held:
                out[i] = max(out[i], s[members[i]].max())
    return out


def nearest(rows, x, k):
    """Out-of-fold scores of a nearest-neighbour reading: the mean cosine
    of an entry to its k nearest risk entries in the training folds, less
    that to its k nearest safe ones."""
    y = np.array([r["crisis"] for r in rows])
    fold = np.array([r["fold"] for r in rows])
    out = np.full(len(rows), np.nan)
    for f in range(5):
        train, held = np.where(fold != f)[0], np.where(fold == f)[0]
        near = lambda ref: np.sort(x[held] @ ref.T, 1)[:, -k:].mean(1)
        out[held] = near(x[train[y[train]]]) - near(x[train[~y[train]]])
    return out


def small_network(rows, x):
    """Out-of-fold logits of a one-hidden-layer network (64 units) over
    standardised features, seeded."""
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler

    x = StandardScaler().fit_transform(x)
    y = np.array([r["crisis"] for r in rows])
    fold = np.array([r["fold"] for r in rows])
    out = np.full(len(rows), np.nan)
    for f in range(5):
        net = MLPClassifier((64,), alpha=1e-2, max_iter=300, random_state=15)
        net.fit(x[fold != f], y[fold != f])
        p = np.clip(net.predict_proba(x[fold == f])[:, 1].astype(np.float64), 1e-9, 1 - 1e-9)
        out[fold == f] = np.log(p) - np.log1p(-p)
    return out


# ---------------------------------------------------------------- scoring


def wilson(hits, total, z=1.96):
    if total == 0:
        return (0.0, 1.0)
    p = hits / total
    d = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / d
    half = z * np.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / d
    return (max(0.0, centre - half), min(1.0, centre + half))


def tally(hits, total):
    low, high = wilson(hits, total)
    return dict(hits=int(hits), total=int(total), rate=hits / max(total, 1), low=low, high=high)


def figures(rows, says):
    def count(gold):
        idx = [i for i, r in enumerate(rows) if gold(r)]
        return tally(sum(bool(says[i]) for i in idx), len(idx))

    return dict(
        recall=count(lambda r: r["crisis"]),
        lookalike=count(lambda r: r["kind"] == "lookalike" and not r["crisis"]),
        ordinary=count(lambda r: r["kind"] == "ordinary"),
    )


def decide(rows, scores, t, combine):
    if not combine:
        return scores >= t
    return np.array([r["system"] or (not r["veto"] and s >= t) for r, s in zip(rows, scores)])


def threshold(rows, scores, combine):
    """The lowest score keeping look-alikes <= LOOKALIKE_ALARMS and adding
    no ordinary alarm (alone: none at all; combined: none beyond A's)."""
    look = np.array([r["kind"] == "lookalike" and not r["crisis"] for r in rows])
    ordinary = np.array([r["kind"] == "ordinary" for r in rows])
    base = np.array([bool(combine and r["system"]) for r in rows])
    free = np.array([not (combine and r["veto"]) for r in rows])
    # An alarm the score can add fires at t when its score is >= t.
    added = lambda mask: np.sort(scores[mask & free & ~base])[::-1]
    look_budget = int(np.floor(LOOKALIKE_ALARMS * look.sum() + 1e-9)) - int((base & look).sum())
    if look_budget < 0:
        return float("inf")
    above = added(look)
    ordinary_top = added(ordinary)
    t = -np.inf
    if len(above) > look_budget:
        t = np.nextafter(above[look_budget], np.inf)
    if len(ordinary_top):
        t = max(t, np.nextafter(ordinary_top[0], np.inf))
    return float(t)


def evaluate(rows, scores, combine):
    """Figures at the threshold chosen on all out-of-fold scores, and at a
    threshold chosen for each fold on the other folds' scores."""
    t = threshold(rows, scores, combine)
    folded = np.zeros(len(rows), dtype=bool)
    fold = np.array([r["fold"] for r in rows])
    for k in range(5):
        others = [i for i in range(len(rows)) if fold[i] != k]
        tk = threshold([rows[i] for i in others], scores[others], combine)
        held = np.where(fold == k)[0]
        folded[held] = decide([rows[i] for i in held], scores[held], tk, combine)
    said = decide(rows, scores, t, combine)
    by_set = {
        name: figures([r for r in rows if r["set"] == name], said[[r["set"] == name for r in rows]])
        for name in SETS
    }
    return dict(threshold=t, pooled=figures(rows, said), threshold_from_other_folds=figures(rows, folded), by_set=by_set)


def line(name, f):
    def fmt(t):
        return f"{t['hits']}/{t['total']} = {t['rate']:.3f} ({t['low']:.3f}-{t['high']:.3f})"

    return f"{name:34s} recall {fmt(f['recall'])}  look-alike {fmt(f['lookalike'])}  ordinary {fmt(f['ordinary'])}"


def speed(model, table, weights, entry, runs=20):
    """Median seconds to read one entry: the whole transformer over the
    entry (truncated at 256 wordpieces), over each sentence, and the static
    table (wordpieces looked up and averaged)."""

    def median(f):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            f()
            times.append(time.perf_counter() - start)
        return float(np.median(times))

    pieces = len(model.ids([entry])[0])
    return dict(
        entry_bytes=len(entry.encode()),
        wordpieces=pieces,
        transformer_whole_s=median(lambda: model.embed([entry])),
        transformer_sentences_s=median(lambda: model.embed(sentences(entry))),
        static_s=median(lambda: static_embed(model, table, weights, [entry])),
        transformer_bytes_f32=int(sum(v.nbytes for k, v in model.w.items() if k != "embeddings.position_ids")),
        static_table_bytes_i8=int(table.shape[0] * table.shape[1]),
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", required=True)
    ap.add_argument("--folds-kind", default="5-fold grouped", help="how folds.tsv was split, for the report")
    ap.add_argument("--cache", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--c", type=float, nargs="+", default=[1.0, 4.0])
    ap.add_argument("--entry", help="a 1 KB entry to time (examples/throughput --entry-out)")
    args = ap.parse_args()
    os.makedirs(args.cache, exist_ok=True)
    np.random.seed(15)
    all_rows = load_rows(args.folds)
    model = MiniLM()
    texts = [r["text"] for r in all_rows]
    sents = sorted({s for t in texts for s in sentences(t)})
    index = {s: i for i, s in enumerate(sents)}
    whole = cached(os.path.join(args.cache, "whole"), texts, model.embed)
    sent = cached(os.path.join(args.cache, "sent"), sents, model.embed)
    members = [np.array([index[s] for s in sentences(t)]) for t in texts]
    options = {}
    for c in args.c:
        options[f"B whole entry, C={c}"] = cross_validate(all_rows, whole, c)
        options[f"B sentences mean+max, C={c}"] = cross_validate(all_rows, per_entry(all_rows, sent, index), c)
        options[f"B whole model, max over sentences, C={c}"] = cross_validate(all_rows, whole, c, (sent, members))
    for k in (3, 5, 10):
        options[f"B nearest {k} entries, whole entry"] = nearest(all_rows, whole, k)
    options["B network 64, whole + sentences mean+max"] = small_network(
        all_rows, np.hstack([whole, per_entry(all_rows, sent, index)])
    )
    for dims in (128, 256):
        table, weights = distil(model, args.cache, dims)
        if dims == 256:
            entry = args.entry and open(args.entry).read()
            timing = speed(model, table, weights, entry) if entry else None
        s_whole = static_embed(model, table, weights, texts)
        s_sent = static_embed(model, table, weights, sents)
        for c in args.c:
            options[f"C static {dims}, whole entry, C={c}"] = cross_validate(all_rows, s_whole, c)
            options[f"C static {dims}, sentences mean+max, C={c}"] = cross_validate(
                all_rows, per_entry(all_rows, s_sent, index), c
            )
            options[f"C static {dims}, whole model, max over sentences, C={c}"] = cross_validate(
                all_rows, s_whole, c, (s_sent, members)
            )
        options[f"C static {dims}, nearest 5 entries"] = nearest(all_rows, s_whole, 5)
    scored = [i for i, r in enumerate(all_rows) if r["fold"] >= 0]
    rows = [all_rows[i] for i in scored]
    report = {
        "folds": args.folds_kind,
        "speed": timing,
        "scored_rows": len(rows),
        "A patterns alone": {"pooled": figures(rows, np.array([r["patterns"] for r in rows]))},
        "A patterns + heads (today)": {
            "pooled": figures(rows, np.array([r["system"] for r in rows])),
            "by_set": {n: figures([r for r in rows if r["set"] == n], [r["system"] for r in rows if r["set"] == n]) for n in SETS},
        },
    }
    print(line("A patterns alone", report["A patterns alone"]["pooled"]))
    print(line("A patterns + heads (today)", report["A patterns + heads (today)"]["pooled"]))
    for name, scores in options.items():
        s = scores[scored]
        alone, combined = evaluate(rows, s, False), evaluate(rows, s, True)
        report[name] = dict(alone=alone, with_a=combined)
        print(line(name + " alone", alone["pooled"]))
        print(line("  A or it", combined["pooled"]), f"t={combined['threshold']:.3f}")
        print(line("  A or it, t from other folds", combined["threshold_from_other_folds"]))
        np.save(os.path.join(args.cache, "oof-" + hashlib.sha256(name.encode()).hexdigest()[:8] + ".npy"), s)
    with open(args.out, "w") as f:
        json.dump(report, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
