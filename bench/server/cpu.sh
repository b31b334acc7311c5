#!/usr/bin/env bash
# CPU per request, one kind at a time: the server's and PostgreSQL's CPU
# seconds (utime + stime from /proc, the server pid and every postgres
# process of the cluster, plus what its exited backends left in the
# postmaster's cutime + cstime) over a run of one kind, divided by the
# requests served. CPU time, unlike latency, hardly moves when other
# engineers compile on the same cores, so a change can be judged on a
# busy machine.
#
# Usage: bench/server/cpu.sh [PEOPLE] [SECONDS]   (default 100 30)
# ONLY_KIND="insights calendar": only those kinds (default: checkin
# calendar insights healthz mixed; mixed: the first three at once, as in
# run.sh, so pages are read while their person's check-ins change them). SEEDED=DIR as in run.sh. CONNS: connections
# for the kind under test (default 100), PAUSE as in run.sh.
# Prints a CPU line per kind: requests, req/s, and server, postgres and
# both in CPU ms per request.
set -euo pipefail
cd "$(dirname "$0")/../.."
people=${1:-100} seconds=${2:-30}
pause=${PAUSE:-4000} conns=${CONNS:-100}
kinds=${ONLY_KIND:-checkin calendar insights healthz mixed}
. bench/server/common.sh
server_build
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; server_pg_down; rm -rf "$work"; }
trap cleanup EXIT
server_pg_up
echo "machine: $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg); binary: $bin"
if [ -n "${SEEDED:-}" ]; then
  cp "$SEEDED/server.key" "$SEEDED/sessions.txt" "$work/"
else
  /usr/bin/time -f "seed: %e s elapsed, %M KiB peak" "$seed" "$people" 365 "$work/server.key" "$work/sessions.txt"
fi
server_start 8441 8441 "$work/server.key" "$work/one.log"
server=$server_pid; pids+=("$server")
ticks=$(getconf CLK_TCK)

# The ticks PID has used (utime + stime; with cut=1, also its exited
# children's cutime + cstime). Fields after the parenthesised name.
ticks_of() {
  local rest
  rest=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  set -- $rest
  if [ "${cut:-0}" = 1 ]; then echo $(( ${12} + ${13} + ${14} + ${15} )); else echo $(( ${12} + ${13} )); fi
}

# Every postgres process of the cluster, and the postmaster's children
# that have exited.
postgres_ticks() {
  local master total=0 p
  master=$(head -1 "$FELTSENSE_PG_DIR/data/postmaster.pid")
  total=$(cut=1 ticks_of "$master")
  for p in $(pgrep -P "$master"); do total=$(( total + $(ticks_of "$p") )); done
  echo "$total"
}

# run KIND SECONDS CONNECTIONS: wrk for one kind; prints its RESULT line.
# KIND mixed: check-ins, calendars and insights at once, in run.sh's
# proportions (200 : 150 : 150 connections), one RESULT line for all.
run() {
  [ "$1" = mixed ] && { mixed "$2" "$3"; return; }
  wrk -t1 -c"$3" -d"$2s" --timeout 10s --latency -s bench/server/person.lua \
    "http://127.0.0.1:8441" -- "$work/sessions.txt" "$1" "127.0.0.1:8441" "$pause" 0/1 \
    | grep RESULT
}

mixed() {
  local outs=() wpids=() kind share
  for kind in checkin:4 calendar:3 insights:3; do
    share=$(( $2 * ${kind##*:} / 10 ))
    run "${kind%%:*}" "$1" "$share" >"$work/mixed-${kind%%:*}" &
    wpids+=($!) outs+=("$work/mixed-${kind%%:*}")
  done
  wait "${wpids[@]}"
  cat "${outs[@]}" | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] += kv[2] } }
    END { printf "RESULT kind=mixed requests=%d rps=%.1f\n", v["requests"], v["rps"] }'
  sed 's/^/    /' "${outs[@]}" >&2
}

echo "warm-up: every kind, 15 s (each session's app opened)"
warm=()
for kind in checkin calendar insights; do run "$kind" 15 50 >/dev/null & warm+=($!); done
wait "${warm[@]}"
for kind in $kinds; do
  s0=$(ticks_of "$server") p0=$(postgres_ticks)
  result=$(run "$kind" "$seconds" "$conns")
  s1=$(ticks_of "$server") p1=$(postgres_ticks)
  requests=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$result")
  rps=$(sed 's/.* rps=\([0-9.]*\).*/\1/' <<<"$result")
  awk -v k="$kind" -v n="$requests" -v r="$rps" -v s=$((s1 - s0)) -v p=$((p1 - p0)) -v t="$ticks" \
    'BEGIN { printf "CPU kind=%s requests=%d rps=%s server=%.2f postgres=%.2f both=%.2f ms/request\n",
      k, n, r, s / t * 1000 / n, p / t * 1000 / n, (s + p) / t * 1000 / n }'
  echo "  $result"
done
echo "peak memory: $(peak_mib "$server") MiB; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
