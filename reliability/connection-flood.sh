#!/usr/bin/env bash
# Connection flood (issue 10, item 4): starts `feltsense serve` under
# `ulimit -n 256`, opens more idle connections than the file limit allows
# (reliability/flood.py), and checks that a normal request is still
# answered with 200 within a second while they are held, round after
# round, and that the server is still running at the end.
#
# Prints: the file limit, rounds, idle connections opened, how many the
# server closed, the slowest normal request, accept errors it reported.
# Usage: reliability/connection-flood.sh [--quick]   (quick: 2 rounds of 400;
# full: 20 rounds of 1,000). Needs curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=20 count=1000
[ "${1:-}" = "--quick" ] && { rounds=2; count=400; }
bin=${FELTSENSE_BIN:-$PWD/target/debug/feltsense}
[ -x "$bin" ] || cargo build --quiet -p feltsense
work=$(mktemp -d)
export FELTSENSE_DATA_DIR=$work/data FELTSENSE_PASSPHRASE=flood-passphrase FELTSENSE_CONFIG=$work/none.toml
"$bin" init >/dev/null
limit=256
( ulimit -n $limit; exec "$bin" serve --port 0 >"$work/serve.out" 2>"$work/serve.err" ) &
server=$!
stop() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap stop EXIT
for _ in $(seq 1 100); do
  grep -q 'token=' "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
authority=$(grep -o 'http://[a-z0-9-]*\.localhost:[0-9]*' "$work/serve.out" | head -1)
authority=${authority#http://}
[ -n "$authority" ] || { echo "feltsense serve printed no link"; cat "$work/serve.err"; exit 1; }
echo "file_limit $limit"
echo "rounds $rounds"
status=0
python3 reliability/flood.py "${authority##*:}" "$authority" "$count" "$rounds" || status=1
errors=$(grep -o '; [0-9]* so far' "$work/serve.err" | tail -1 | grep -o '[0-9]*' || echo 0)
echo "accept_errors_reported_up_to ${errors:-0}"
if ! kill -0 $server 2>/dev/null; then
  echo "the server stopped"; cat "$work/serve.err"; status=1
fi
stop
trap - EXIT
[ $status -eq 0 ] && echo "connection-flood: ok" || echo "connection-flood: FAILED"
exit $status
