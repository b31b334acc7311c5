#!/usr/bin/env bash
# The server under load (issue 13's figures): PEOPLE seeded people (a year
# of check-ins each, five a day), signed in, each request from a random one
# after a random pause: check-in POSTs, calendar pages and insights pages,
# from wrk (one wrk per kind, so each kind has its own latency figures),
# against one instance and then two (wrk's connections split between the
# two ports; both answer for the same public address).
#
# Usage: bench/server/run.sh [PEOPLE] [SECONDS]   (default 500 60)
# SEEDED=DIR: use a database seeded already (FELTSENSE_DATABASE_URL set), with
# DIR/server.key and DIR/sessions.txt from the seed tool.
# Needs wrk (apt-get install -y wrk), curl, PostgreSQL (scripts/pg.sh).
# Prints RESULT lines (rps, p50, p90, p99, max in ms per kind) and the
# peak memory (VmHWM) of each server.
set -euo pipefail
cd "$(dirname "$0")/../.."
people=${1:-500} seconds=${2:-60}
# Connections per kind and the longest pause (ms): with a mean pause of
# PAUSE/2 ms, 500 connections ask about 500 / (PAUSE/2000) requests a second.
pause=${PAUSE:-4000}
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
. bench/server/common.sh
server_build
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; server_pg_down; rm -rf "$work"; }
trap cleanup EXIT
server_pg_up
echo "machine: $(nproc) cores, $(uname -r); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${SEEDED:-}" ]; then
  # A database seeded before (FELTSENSE_DATABASE_URL), its key and sessions in $SEEDED.
  cp "$SEEDED/server.key" "$SEEDED/sessions.txt" "$work/"
else
  /usr/bin/time -f "seed: %e s elapsed, %M KiB peak" "$seed" "$people" 365 "$work/server.key" "$work/sessions.txt"
fi

# load PORT...: one wrk per kind and port, for SECONDS (or $1 seconds).
load() {
  local length=$1; shift
  local ports=("$@") n=$# outs=() wpids=()
  for kind in checkin:200 calendar:150 insights:150; do
    local name=${kind%%:*} conns=$(( ${kind##*:} / n ))
    for port in "${ports[@]}"; do
      wrk -t1 -c"$conns" -d"${length}s" --timeout 10s --latency -s bench/server/person.lua \
        "http://127.0.0.1:$port" -- "$work/sessions.txt" "$name" "127.0.0.1:8441" "$pause" \
        >"$work/wrk-$name-$port.out" 2>&1 &
      wpids+=($!)
      outs+=("$work/wrk-$name-$port.out")
    done
  done
  wait "${wpids[@]}" || true
  for out in "${outs[@]}"; do
    echo "$(basename "$out" .out | cut -d- -f3) $(grep RESULT "$out" || cat "$out")"
  done
}

server_start 8441 8441 "$work/server.key" "$work/one.log"
one=$server_pid; pids+=("$one")
echo "== one instance: warm-up (each session's app opened once), 20 s"
load 20 8441 >/dev/null
echo "== one instance: $people people, ${seconds} s"
load "$seconds" 8441
echo "peak memory: instance 8441 $(peak_mib "$one") MiB"

server_start 8442 8441 "$work/server.key" "$work/two.log"
two=$server_pid; pids+=("$two")
echo "== two instances: warm-up, 20 s"
load 20 8441 8442 >/dev/null
echo "== two instances: $people people, ${seconds} s"
load "$seconds" 8441 8442
echo "peak memory: instance 8441 $(peak_mib "$one") MiB, instance 8442 $(peak_mib "$two") MiB"
