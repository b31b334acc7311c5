#!/usr/bin/env bash
# PostgreSQL stopped under load (issue 13's faults).
#
# One person is seeded and signed in; the server (release build) runs; a
# poster sends check-ins one after another (each with a unique note). Each
# round stops PostgreSQL (`pg_ctl stop -m fast`) mid-posting, checks that
# /healthz answers 503 and that a check-in POST answers 503 with a page
# that keeps the note that was typed, starts PostgreSQL again and waits for
# the server to recover by itself: the first 200 from /healthz and the
# first saved check-in (303), timed from PostgreSQL's start. At the end
# every acknowledged note must be in the person's export.
#
# Prints: rounds, acknowledged, lost (must be 0), recovery seconds (worst).
# Exits 1 on a lost check-in, an unkind or missing 503, or no recovery
# within 30 s. Usage: reliability/pg-restart.sh [--quick] [ROUNDS]
#   full: 10 rounds; --quick: 2. Always its own throwaway PostgreSQL
#   (scripts/pg.sh), since it stops it. Needs curl.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=10
[ "${1:-}" = "--quick" ] && { rounds=2; shift; }
[ -n "${1:-}" ] && rounds=$1
unset FELTSENSE_DATABASE_URL
. bench/server/common.sh
server_build
work=$(mktemp -d)
server_pid= poster=
cleanup() {
  [ -n "$poster" ] && kill "$poster" 2>/dev/null
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  pg_ctl_ start >/dev/null 2>&1 || true
  server_pg_down
  rm -rf "$work"
}
trap cleanup EXIT
server_pg_up
pg_ctl_() {
  local run=()
  [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
  "${run[@]}" "$FELTSENSE_PG_BIN/pg_ctl" -D "$FELTSENSE_PG_DIR/data" -l "$FELTSENSE_PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $FELTSENSE_PG_PORT -k $FELTSENSE_PG_DIR -c max_connections=300 -c fsync=on" "$@"
}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$seed" 1 0 "$work/server.key" "$work/session.txt" >/dev/null
read -r token csrf _ <"$work/session.txt"
server_start "$port" "$port" "$work/server.key" "$work/server.log"
acked=$work/acked
: >"$acked"
(
  for ((j = 1; ; j++)); do
    code=$(post_checkin "$port" "$port" "$token" "$csrf" "pr-$j")
    [ "$code" = 303 ] && echo "pr-$j" >>"$acked"
    sleep 0.02
  done
) &
poster=$!

fail() { echo "pg-restart: $*"; exit 1; }
worst=0
for ((r = 1; r <= rounds; r++)); do
  sleep 1
  pg_ctl_ stop -m fast >/dev/null
  health=$(healthz "$port")
  [ "$health" = 503 ] || fail "round $r: /healthz answered $health with PostgreSQL stopped, not 503"
  typed="typed-while-down-$r"
  code=$(post_body=$work/down.html post_checkin "$port" "$port" "$token" "$csrf" "$typed")
  [ "$code" = 503 ] || fail "round $r: a check-in with PostgreSQL stopped answered $code, not 503"
  grep -q "$typed" "$work/down.html" || fail "round $r: the 503 page does not keep the note that was typed"
  sleep 2
  pg_ctl_ start >/dev/null
  started=$(date +%s%N)
  healthy= saved=
  while [ -z "$saved" ]; do
    [ $(($(date +%s%N) - started)) -gt 30000000000 ] && fail "round $r: no recovery within 30 s of PostgreSQL's start"
    [ -z "$healthy" ] && [ "$(healthz "$port")" = 200 ] && healthy=$(($(date +%s%N) - started))
    [ -n "$healthy" ] && [ "$(post_checkin "$port" "$port" "$token" "$csrf" "after-$r")" = 303 ] \
      && { saved=$(($(date +%s%N) - started)); echo "after-$r" >>"$acked"; }
    [ -z "$saved" ] && sleep 0.05
  done
  echo "round $r: /healthz 200 after $((healthy / 1000000)) ms, a check-in saved after $((saved / 1000000)) ms"
  [ "$saved" -gt "$worst" ] && worst=$saved
done
kill "$poster"; wait "$poster" 2>/dev/null || true; poster=
export_json "$port" "$port" "$token" >"$work/export.json" || fail "the export could not be read"
lost=0
while read -r note; do
  grep -q "\"$note\"" "$work/export.json" || { lost=$((lost + 1)); echo "lost: $note"; }
done <"$acked"
printf 'pg-restart: rounds %d, acknowledged %d, lost %d, recovery %.2f s (worst, PostgreSQL start to a saved check-in)\n' \
  "$rounds" "$(wc -l <"$acked")" "$lost" "$(echo "$worst / 1000000000" | bc -l)"
[ "$lost" -eq 0 ]
