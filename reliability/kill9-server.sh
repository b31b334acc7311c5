#!/usr/bin/env bash
# Kill -9 loop over `feltsense server` on PostgreSQL (issue 13's faults).
#
# One person is seeded and signed in (bench/server's seed tool). Each cycle
# starts the server (release build), posts check-ins with curl one after
# another (each with a unique note), and SIGKILLs the server at a random
# moment 0-600 ms into the posting; the next cycle starts it again. A
# check-in counts as acknowledged when its POST was answered with the
# redirect (303) that follows a saved check-in. At the end every
# acknowledged note must be in the person's export, read through the server.
#
# Prints: cycles, POSTs sent, acknowledged, lost (must be 0), and the
# recovery time (SIGKILL to the restarted server's first 200 from /healthz),
# median and worst. Exits 1 if anything acknowledged was lost.
# Usage: reliability/kill9-server.sh [--quick] [CYCLES]
#   full: 200 cycles; --quick: 20. Uses FELTSENSE_DATABASE_URL if set, else
#   a throwaway PostgreSQL (scripts/pg.sh). Needs curl.
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=200
[ "${1:-}" = "--quick" ] && { cycles=20; shift; }
[ -n "${1:-}" ] && cycles=$1
. bench/server/common.sh
server_build
work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null; server_pg_down; rm -rf "$work"; }
trap cleanup EXIT
server_pg_up
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$seed" 1 0 "$work/server.key" "$work/session.txt" >/dev/null
read -r token csrf _ <"$work/session.txt"

acked=$work/acked sent=$work/sent recoveries=$work/recoveries
: >"$acked"
: >"$sent"
: >"$recoveries"
RANDOM=20261201
killed_at=
for ((c = 1; c <= cycles; c++)); do
  server_start "$port" "$port" "$work/server.key" "$work/server.log" \
    || { echo "kill9-server: cycle $c: the server did not start"; exit 1; }
  [ -n "$killed_at" ] && echo "$(($(date +%s%N) - killed_at))" >>"$recoveries"
  (
    for ((j = 1; ; j++)); do
      note="ks-$c-$j"
      echo "$note" >>"$sent"
      code=$(post_checkin "$port" "$port" "$token" "$csrf" "$note")
      [ "$code" = 303 ] && echo "$note" >>"$acked"
      [ "$code" = 000 ] && break
    done
  ) &
  poster=$!
  sleep "$(printf '0.%03d' $((RANDOM % 600)))"
  kill -9 "$server_pid"
  killed_at=$(date +%s%N)
  wait "$server_pid" 2>/dev/null || true
  wait "$poster" || true
  server_pid=
done

server_start "$port" "$port" "$work/server.key" "$work/server.log"
echo "$(($(date +%s%N) - killed_at))" >>"$recoveries"
export_json "$port" "$port" "$token" >"$work/export.json" \
  || { echo "kill9-server: the export could not be read after $cycles kills"; exit 1; }
lost=0
while read -r note; do
  grep -q "\"$note\"" "$work/export.json" || { lost=$((lost + 1)); echo "lost: $note"; }
done <"$acked"
recovery=$(sort -n "$recoveries" | awk '{ a[NR] = $1 / 1e6 } END { printf "median %.0f ms, worst %.0f ms", a[int((NR + 1) / 2)], a[NR] }')
echo "kill9-server: cycles $cycles, POSTs sent $(wc -l <"$sent"), acknowledged $(wc -l <"$acked"), lost $lost, recovery $recovery"
[ "$lost" -eq 0 ] && [ -s "$acked" ]
