#!/usr/bin/env bash
# Evaluates the journal analysis on GoEmotions (issue 5) beside VADER, in one
# run: feltsense's families (P/R/F1 per family, macro-F1) and both tools'
# pleasant/unpleasant/neutral polarity on the same comments; then the
# analysis throughput on one core and the latency of a 300-word entry.
# Needs: python3 with vaderSentiment (pip install vaderSentiment).
# Usage: bench/goemotions.sh [DIR]   (default ../shared/datasets/goemotions;
#        eval/sample runs the same harness on 30 comments labelled here)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/datasets/goemotions}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo build --release --quiet -p feltsense-text --examples
target/release/examples/goemotions "$dir" --predictions "$out/feltsense.jsonl"
echo
python3 eval/vader_polarity.py "$dir" --feltsense "$out/feltsense.jsonl"
echo
target/release/examples/throughput
