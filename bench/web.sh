#!/usr/bin/env bash
# Benchmarks the web app's heaviest pages (issue 4): the year calendar and
# the insights page over ten years of check-ins (18,250), served by
# `feltsense serve` (release build), under load from wrk in a second process
# on loopback: 2 threads, 8 connections, 15 s per page after a warm-up.
# Needs: wrk, python3. Usage: bench/web.sh  (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet -p feltsense  # only the binary it runs
bin=$PWD/target/release/feltsense
work=$(mktemp -d)
export FELTSENSE_DATA_DIR=$work/data FELTSENSE_PASSPHRASE=bench-passphrase
# Ten years ending yesterday, so the current year's calendar and the default
# 28-day insights window are full.
python3 bench/gen_checkins.py 10 "$work/ten-years.json" "$(date -d '-3651 days' +%F)"
"$bin" init >/dev/null
"$bin" import "$work/ten-years.json"
"$bin" serve --port 0 > "$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q token= "$work/serve.log" && break; sleep 0.1; done
link=$(grep -o 'http://[a-z0-9-]*\.localhost:[0-9]*/?token=[0-9a-f]*' "$work/serve.log")
authority=${link#http://}; authority=${authority%%/*}
# wrk does not resolve *.localhost: connect to 127.0.0.1 and name the host.
base=http://127.0.0.1:${authority##*:}
host="Host: $authority"
# The link's secret opens feltsense once, for a session cookie.
token=$(curl -s -o /dev/null -D - -H "$host" "$base/?token=${link##*token=}" | sed -n 's/^set-cookie: feltsense_session=\([0-9a-f]*\);.*/\1/ip')
mkdir -p bench/out
for page in "/calendar" "/calendar?year=2020" "/insights" "/insights?days=3650"; do
  curl -s -o /dev/null -H "$host" -H "Cookie: feltsense_session=$token" "$base$page"  # warm the cache
  echo "== $page ($(curl -s -H "$host" -H "Cookie: feltsense_session=$token" "$base$page" | wc -c) bytes)"
  wrk -t2 -c8 -d15s --latency -H "$host" -H "Cookie: feltsense_session=$token" "$base$page" | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
done
page="/insights?days=3650"
echo "== $page, one connection (server time without queueing)"
wrk -t1 -c1 -d10s --latency -H "$host" -H "Cookie: feltsense_session=$token" "$base$page" | grep -E "50%|90%|99%|Requests/sec"
