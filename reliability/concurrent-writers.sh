#!/usr/bin/env bash
# Concurrent writers (issue 10's reliability suite): two CLI check-in loops,
# the web app's check-in POSTs and a 20,000-record import, all at once on one
# store. Every write must succeed (exit 0, or a redirect from the web app)
# and every acknowledged write must be there at the end.
#
# Prints the counts per writer, failures (must be 0) and lost (must be 0);
# exits 1 otherwise. Usage: reliability/concurrent-writers.sh [--quick]
# (the full form: 200 CLI check-ins per loop and 400 POSTs; quick: 20 and 60).
set -euo pipefail
cd "$(dirname "$0")/.."
cli_n=200 web_n=400
[ "${1:-}" = "--quick" ] && { cli_n=20; web_n=60; }
bin=${FELTSENSE_BIN:-$PWD/target/debug/feltsense}
[ -x "$bin" ] || cargo build --quiet -p feltsense
work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export FELTSENSE_DATA_DIR=$work/data FELTSENSE_PASSPHRASE=concurrent-passphrase FELTSENSE_CONFIG=$work/none.toml
"$bin" init >/dev/null
python3 bench/gen_checkins.py 11 "$work/import.json" 2010
records=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["checkins"]))' "$work/import.json")

. reliability/web-session.sh
web_start "$bin" "$work"

cli_loop() { # $1: loop name
  local fails=0
  for ((i = 1; i <= cli_n; i++)); do
    "$bin" checkin --feel calm:3 --note "$1-$i" >/dev/null 2>>"$work/$1.err" || fails=$((fails + 1))
  done
  echo "$fails" >"$work/$1.fails"
}
web_loop() {
  local fails=0 code
  for ((i = 1; i <= web_n; i++)); do
    code=$(web_post /checkin "feel=calm&int_calm=3&note=web-$i") || code=000
    [ "$code" = 303 ] || fails=$((fails + 1))
  done
  echo "$fails" >"$work/web.fails"
}
import_run() {
  if "$bin" import "$work/import.json" >/dev/null 2>"$work/import.err"; then echo 0; else echo 1; fi >"$work/import.fails"
}

start=$(date +%s%N)
cli_loop cli-a & a=$!
cli_loop cli-b & b=$!
web_loop & w=$!
import_run & m=$!
wait $a $b $w $m
secs=$(( ($(date +%s%N) - start) / 1000000 ))

"$bin" log --json >"$work/log.json"
count() { grep -c "\"$1-[0-9]*\"" "$work/log.json" || true; }
stored_import=$(python3 -c 'import json,sys; print(sum(1 for c in json.load(open(sys.argv[1])) if not (c.get("note") or "").startswith(("cli-", "web-"))))' "$work/log.json")
fails=$(( $(cat "$work/cli-a.fails") + $(cat "$work/cli-b.fails") + $(cat "$work/web.fails") + $(cat "$work/import.fails") ))
lost=$(( cli_n - $(count cli-a) + cli_n - $(count cli-b) + web_n - $(count web) + records - stored_import ))
echo "concurrent-writers: ${secs} ms; cli-a $(count cli-a)/$cli_n, cli-b $(count cli-b)/$cli_n," \
  "web $(count web)/$web_n, import $stored_import/$records; failures $fails, lost $lost"
[ -s "$work/import.err" ] && sed 's/^/  import: /' "$work/import.err"
[ "$fails" -eq 0 ] && [ "$lost" -eq 0 ]
