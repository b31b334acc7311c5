#!/usr/bin/env bash
# Evaluates the journal analysis on GoEmotions (issues 5 and 15) beside VADER,
# in one run:
#  1. feltsense's lexicon (feelings named) and model (feelings shown) on the
#     test split: P/R/F1 per family, family macro-F1 over families with >= 50
#     gold comments, polarity macro-F1 (examples/goemotions);
#  2. VADER's polarity on the same comments, beside the model's, with the
#     gold polarity computed independently in Python (eval/vader_polarity.py);
#  3. speed on one core (taskset -c 1), feltsense then VADER on the same
#     texts: a 1,000-byte journal entry at p50/p99, and MB/s over a corpus of
#     ~1,000-byte entries made of train.tsv comments (examples/throughput,
#     eval/vader_speed.py).
# Needs: python3 with vaderSentiment (pip install vaderSentiment), taskset.
# Usage: bench/goemotions.sh [DIR]   (default ../shared/datasets/goemotions;
#        eval/sample has test.tsv only, so it runs parts 1 and 2)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/datasets/goemotions}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
one_core=(taskset -c 1)
cargo build --release --quiet -p feltsense-text --examples
echo "# $(date -u +%FT%TZ) on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
target/release/examples/goemotions "$dir" --predictions "$out/lexicon.jsonl" \
    --model-predictions "$out/model.jsonl"
python3 eval/vader_polarity.py "$dir" --feltsense "$out/model.jsonl"
echo
if [[ -f "$dir/train.tsv" ]]; then
    echo "## speed on one core (load $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
    python3 eval/vader_speed.py --make-corpus "$dir/train.tsv" "$out/entries.txt"
    "${one_core[@]}" target/release/examples/throughput --corpus "$out/entries.txt" \
        --entry-out "$out/entry.txt"
    "${one_core[@]}" python3 eval/vader_speed.py "$out/entry.txt" "$out/entries.txt"
fi
