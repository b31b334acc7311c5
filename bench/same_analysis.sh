#!/usr/bin/env bash
# Checks that the journal analysis finds exactly what it found before: every
# entry of eval/language/*.tsv, tests/data/crisis.tsv and the GoEmotions test
# split through examples/analysis_dump (the patterns' and heads' analysis,
# its draft, both models' logits as exact bits, digests of their features,
# what the model shows), its sha256 compared with bench/same_analysis.sha256.
# A change made for speed must leave it unchanged; a change meant to change
# what is found (new phrases, retrained heads) records the new digest with
# --update and says so in its commit.
# Usage: bench/same_analysis.sh [--update] [--keep FILE] [DIR]
#   DIR: the GoEmotions data (default ../shared/datasets/goemotions)
#   --keep FILE: also write the full dump there, to diff against another run
set -euo pipefail
cd "$(dirname "$0")/.."
update=false keep="" dir=../shared/datasets/goemotions
while (($#)); do
    case $1 in
        --update) update=true ;;
        --keep) keep=$2; shift ;;
        *) dir=$1 ;;
    esac
    shift
done
[[ -f $dir/test.tsv ]] || { echo "same_analysis: no $dir/test.tsv" >&2; exit 1; }
cargo build --release --quiet -p feltsense-text --example analysis_dump
out=${keep:-$(mktemp)}
[[ -n $keep ]] || trap 'rm -f "$out"' EXIT
target/release/examples/analysis_dump eval/language/*.tsv \
    crates/feltsense-text/tests/data/crisis.tsv --goemotions "$dir/test.tsv" > "$out"
digest="$(sha256sum < "$out" | cut -d' ' -f1)  $(wc -l < "$out") entries"
if $update; then
    echo "$digest" > bench/same_analysis.sha256
    echo "recorded: $digest"
elif [[ $digest == "$(cat bench/same_analysis.sha256)" ]]; then
    echo "same analysis: $digest"
else
    echo "the analysis changed: $digest, recorded $(cat bench/same_analysis.sha256)" >&2
    exit 1
fi
