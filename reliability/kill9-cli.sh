#!/usr/bin/env bash
# Kill -9 loop over `feltsense checkin` (issue 10's reliability suite).
#
# Each cycle starts a check-in with a unique marker and SIGKILLs it at a
# random moment aimed at the write window: the first runs measure how long a
# check-in takes (T, mostly key derivation), then each kill lands uniformly
# in [0.6 T, 1.2 T], so most kills fall after the key is derived, while the
# row is written and committed. A check-in counts as acknowledged when the
# command exited 0 (it printed its thanks). At the end every acknowledged
# marker must be in `feltsense log --json`, and the store must open.
#
# Prints: cycles, acknowledged, killed, lost (must be 0), and exits 1 if any
# acknowledged check-in was lost or the store does not open.
# Usage: reliability/kill9-cli.sh [--quick] [CYCLES]   (default 1000; --quick 60)
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=1000
[ "${1:-}" = "--quick" ] && { cycles=60; shift; }
[ -n "${1:-}" ] && cycles=$1
bin=${FELTSENSE_BIN:-$PWD/target/debug/feltsense}
[ -x "$bin" ] || cargo build --quiet -p feltsense
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FELTSENSE_DATA_DIR=$work/data FELTSENSE_PASSPHRASE=kill9-passphrase FELTSENSE_CONFIG=$work/none.toml
"$bin" init >/dev/null

# T: the median of five uninterrupted check-ins, in milliseconds.
times=()
for i in 1 2 3 4 5; do
  start=$(date +%s%N)
  "$bin" checkin --feel calm:3 --note "warmup-$i" >/dev/null
  times+=($(( ($(date +%s%N) - start) / 1000000 )))
done
t=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)

acked=$work/acked
: >"$acked"
killed=0
RANDOM=20261201
for ((i = 1; i <= cycles; i++)); do
  delay_ms=$(( t * 6 / 10 + RANDOM % (t * 6 / 10 + 1) ))
  "$bin" checkin --feel calm:3 --note "k9-$i" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '0.%03d' "$delay_ms")" 2>/dev/null || sleep 1
  kill -9 "$pid" 2>/dev/null || true
  if wait "$pid" 2>/dev/null; then
    echo "k9-$i" >>"$acked"
  else
    killed=$((killed + 1))
  fi
done

if ! "$bin" log --json >"$work/log.json" 2>"$work/log.err"; then
  echo "kill9-cli: the store does not open after $cycles kills:"
  cat "$work/log.err"
  exit 1
fi
lost=0
while read -r marker; do
  grep -q "\"$marker\"" "$work/log.json" || { lost=$((lost + 1)); echo "lost: $marker"; }
done <"$acked"
echo "kill9-cli: cycles $cycles, check-in time ${t} ms, kills aimed at [0.6 T, 1.2 T]," \
  "acknowledged $(wc -l <"$acked"), killed mid-way $killed, lost $lost"
[ "$lost" -eq 0 ]
