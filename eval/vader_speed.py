#!/usr/bin/env python3
"""VADER's speed on the same texts as feltsense's `examples/throughput`, for
bench/goemotions.sh: the latency of one journal entry (p50 and p99 of 2,000
calls of SentimentIntensityAnalyzer().polarity_scores, after 200 to warm up)
and MB/s over a corpus of entries, one a line (median of 5 runs). Run it on
one core (`taskset -c 1`), as the Rust side is.

Usage:
    python3 eval/vader_speed.py --make-corpus TRAIN.tsv OUT   # entries of >= 1,000 bytes
    python3 eval/vader_speed.py ENTRY.txt CORPUS.txt

--make-corpus joins GoEmotions comments (the text column, in file order) with
a space until an entry reaches 1,000 bytes of UTF-8, and writes one entry a
line; the last, shorter entry is dropped. Beside wall-clock figures it gives
the same per second of this thread's CPU time (time.thread_time), as the
Rust side does, since a shared machine lends the core to others. Exit status 2 on unusable input.
"""

import statistics
import sys
import time


def make_corpus(train, out):
    entries, current = [], []
    size = 0
    with open(train, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            parts = line.rstrip("\r\n").rsplit("\t", 2)
            if len(parts) != 3:
                raise ValueError(f"{train}:{lineno}: expected text<TAB>labels<TAB>id")
            current.append(parts[0].strip())
            size += len(parts[0].strip().encode("utf-8")) + 1
            if size >= 1000:
                entries.append(" ".join(current))
                current, size = [], 0
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(entries) + "\n")
    print(f"wrote {out}: {len(entries)} entries", file=sys.stderr)


def measure(entry_path, corpus_path):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    with open(entry_path, encoding="utf-8") as f:
        entry = f.read()
    for _ in range(200):
        sia.polarity_scores(entry)
    times = []
    cpu0 = time.thread_time()
    for _ in range(2000):
        t0 = time.perf_counter()
        sia.polarity_scores(entry)
        times.append((time.perf_counter() - t0) * 1e6)
    cpu_mean = (time.thread_time() - cpu0) / 2000 * 1e6
    times.sort()
    print(f"VADER entry of {len(entry.encode('utf-8'))} bytes, 2,000 calls: "
          f"p50 {times[1000]:.1f} µs, p99 {times[1980]:.1f} µs (mean on the CPU {cpu_mean:.1f} µs)")
    with open(corpus_path, encoding="utf-8") as f:
        entries = [l for l in f.read().split("\n") if l.strip()]
    nbytes = sum(len(e.encode("utf-8")) for e in entries)
    rates, cpu_rates = [], []
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.thread_time()
        for e in entries:
            sia.polarity_scores(e)
        rates.append(nbytes / 1e6 / (time.perf_counter() - t0))
        cpu_rates.append(nbytes / 1e6 / (time.thread_time() - c0))
    print(f"VADER corpus of {len(entries)} entries, {nbytes / 1e6:.2f} MB, median of 5 runs: "
          f"wall {statistics.median(rates):.3f} MB/s ({min(rates):.3f} to {max(rates):.3f}), "
          f"on the CPU {statistics.median(cpu_rates):.3f} MB/s ({min(cpu_rates):.3f} to {max(cpu_rates):.3f})")


def main(argv):
    try:
        if len(argv) == 3 and argv[0] == "--make-corpus":
            make_corpus(argv[1], argv[2])
        elif len(argv) == 2:
            measure(argv[0], argv[1])
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except (OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except ImportError:
        print("error: vaderSentiment is not installed: pip install vaderSentiment", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
