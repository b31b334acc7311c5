#!/usr/bin/env bash
# The server under load (issue 13's figures): PEOPLE seeded people (a year
# of check-ins each, five a day), signed in, each request from a random one
# after a random pause: check-in POSTs, calendar pages and insights pages,
# from wrk (one wrk per kind, so each kind has its own latency figures),
# against one instance and then two (wrk's connections split between the
# two ports; both answer for the same public address).
#
# Usage: bench/server/run.sh [PEOPLE] [SECONDS]   (default 500 60)
# ONLY=one|two: only that phase. WRITES=N: also time N check-in writes of
# the checkin_write example under the load. STICKY=0: with two instances,
# every person's requests go to both (else each to one).
# SEEDED=DIR: use a database seeded already (FELTSENSE_DATABASE_URL set), with
# DIR/server.key and DIR/sessions.txt from the seed tool.
# CLINICIANS=N: also N clinicians opening their caseload and person pages
# beside the person load, then the same with the audit write off, then CPU
# ms per page (bench/server/clinicians.sh; with SEEDED, DIR/clinicians.txt).
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
[ -z "${CLINICIANS:-}" ] || { . bench/server/clinicians.sh; clinicians_build; }
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
  [ -z "${CLINICIANS:-}" ] || cp "$SEEDED/clinicians.txt" "$work/"
else
  /usr/bin/time -f "seed: %e s elapsed, %M KiB peak" "$seed" "$people" 365 "$work/server.key" "$work/sessions.txt" \
    ${CLINICIANS:+"$CLINICIANS" "$work/clinicians.txt"}
fi

# load SECONDS PORT...: one wrk per kind and port, for SECONDS. With two
# ports each person's requests go to one of them (SHARD i/n), unless
# STICKY=0, when every instance serves everyone.
load() {
  local length=$1; shift
  local ports=("$@") n=$# outs=() wpids=() i
  for kind in checkin:200 calendar:150 insights:150 healthz:20; do
    local name=${kind%%:*} conns=$(( ${kind##*:} / n ))
    i=0
    for port in "${ports[@]}"; do
      local shard="$i/$n"
      [ "${STICKY:-1}" = 1 ] || shard=0/1
      wrk -t1 -c"$conns" -d"${length}s" --timeout 10s --latency -s bench/server/person.lua \
        "http://127.0.0.1:$port" -- "$work/sessions.txt" "$name" "127.0.0.1:8441" "$pause" "$shard" \
        >"$work/wrk-$name-$port.out" 2>&1 &
      wpids+=($!)
      outs+=("$work/wrk-$name-$port.out")
      i=$((i + 1))
    done
  done
  # The server's own time for a check-in write (PgStore::add_checkin and
  # the summaries, a person with a year stored), under this load.
  if [ -n "${WRITES:-}" ] && [ -x "$checkin_write" ]; then
    (sleep 5; "$checkin_write" "$WRITES" year | tail -1 | sed 's/^/server time: /') &
    wpids+=($!)
  fi
  [ -z "${CLINICIANS:-}" ] || clinicians_start "$length" "${ports[0]}"
  wait "${wpids[@]}" || true
  for out in "${outs[@]}"; do
    echo "$(basename "$out" .out | cut -d- -f3) $(grep RESULT "$out" || cat "$out")"
  done
  [ -z "${CLINICIANS:-}" ] || clinicians_done
}

loadavg() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }

if [ "${ONLY:-}" != two ]; then
  server_start 8441 8441 "$work/server.key" "$work/one.log"
  one=$server_pid; pids+=("$one")
  echo "== one instance: warm-up (each session's app opened once), 20 s"
  load 20 8441 >/dev/null
  echo "== one instance: $people people, ${seconds} s; $(loadavg)"
  load "$seconds" 8441
  echo "after: $(loadavg)"
  echo "peak memory: instance 8441 $(peak_mib "$one") MiB"
  kill "$one"; wait "$one" 2>/dev/null || true
  [ -z "${CLINICIANS:-}" ] || clinicians_side_by_side "$seconds"
fi

[ "${ONLY:-}" = one ] && exit 0
server_start 8441 8441 "$work/server.key" "$work/one-b.log"
one=$server_pid; pids+=("$one")
server_start 8442 8441 "$work/server.key" "$work/two.log"
two=$server_pid; pids+=("$two")
echo "== two instances (STICKY=${STICKY:-1}): warm-up, 20 s"
load 20 8441 8442 >/dev/null
echo "== two instances: $people people, ${seconds} s; $(loadavg)"
load "$seconds" 8441 8442
echo "after: $(loadavg)"
echo "peak memory: instance 8441 $(peak_mib "$one") MiB, instance 8442 $(peak_mib "$two") MiB"
