#!/usr/bin/env bash
# Benchmarks `feltsense analyze` (issue 3) side by side with the pandas
# implementation of the same metrics (bench/analyze_pandas.py) and with the
# plain CSV reader alone (examples/csv_baseline.rs), on a generated data set
# of 10,000 participants x 500 prompts x 12 items (5 million rows), and
# checks that both tools give the same figures.
# Needs: python3 with pandas and numpy (pip install pandas numpy), GNU time.
# Usage: bench/analyze.sh [RUNS]   (from the repository root; default 3 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
data=${ESM_DATA:-/tmp/feltsense-esm5m.csv}
cargo build --release --quiet --bin feltsense --example csv_baseline
[ -f "$data" ] || python3 bench/gen_esm.py --participants 10000 --prompts 500 --items 12 --seed 42 "$data"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
items=(--id pid --time time --positive happy,relaxed,cheerful,content,energetic,grateful
       --negative sad,anxious,angry,lonely,irritated,ashamed --scale-min 1)
mkdir -p bench/out
: > bench/out/analyze.tsv
for i in $(seq "$runs"); do
  for tool in feltsense pandas baseline; do
    case $tool in
      feltsense) cmd=(target/release/feltsense analyze "$data" "${items[@]}" --out "$out/feltsense.csv") ;;
      pandas)    cmd=(python3 bench/analyze_pandas.py "$data" "${items[@]}" --out "$out/pandas.csv") ;;
      baseline)  cmd=(target/release/examples/csv_baseline "$data") ;;
    esac
    /usr/bin/time -f "$tool\t%e\t%M" -a -o bench/out/analyze.tsv "${cmd[@]}" 2>/dev/null
  done
done
python3 - "$data" "$out/feltsense.csv" "$out/pandas.csv" <<'PY'
import csv, math, os, statistics, sys
data, ours, theirs = sys.argv[1:]
rows = [l.split("\t") for l in open("bench/out/analyze.tsv").read().split("\n") if l.strip()]
med = {t: (statistics.median(float(r[1]) for r in rows if r[0] == t),
           statistics.median(int(r[2]) for r in rows if r[0] == t)) for t in {r[0] for r in rows}}
mb = os.path.getsize(data) / 1e6
for t in ("feltsense", "pandas", "baseline"):
    wall, kb = med[t]
    print(f"{t:<10} median {wall:7.2f} s  {mb / wall:7.1f} MB/s  peak {kb / 1024:8.1f} MiB")
f, p, b = med["feltsense"], med["pandas"], med["baseline"]
print(f"pandas / feltsense wall: {p[0] / f[0]:.1f}x   feltsense / pandas peak memory: {f[1] / p[1]:.3f}")
print(f"feltsense throughput / plain single-thread CSV read: {b[0] / f[0]:.2f}")
a = list(csv.DictReader(open(ours))); c = list(csv.DictReader(open(theirs)))
assert [r["id"] for r in a] == [r["id"] for r in c]
worst = 0.0
for ra, rc in zip(a, c):
    for k in rc:
        if k == "id": continue
        assert (ra[k] == "") == (rc[k] == ""), (ra["id"], k)
        if ra[k]:
            x, y = float(ra[k]), float(rc[k])
            worst = max(worst, abs(x - y) / max(1.0, abs(y)))
print(f"same figures for all {len(a)} participants; largest relative difference {worst:.1e}")
PY
