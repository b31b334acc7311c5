#!/usr/bin/env bash
# Kill -9 loop over the web app (issue 10's reliability suite).
#
# Each cycle starts `feltsense serve`, signs in as a browser would, posts
# check-ins with curl one after another (each with a unique note), and
# SIGKILLs the server at a random moment 0-400 ms into the posting; then
# starts it again. A check-in counts as acknowledged when its POST was
# answered with the redirect (303) that follows a saved check-in. At the
# end every acknowledged note must be in `feltsense log --json`, and the
# store must open.
#
# Prints: cycles, POSTs sent, acknowledged, lost (must be 0); exits 1 if
# any acknowledged check-in was lost or the store does not open.
# Usage: reliability/kill9-web.sh [--quick] [CYCLES]
#   full: 1,000 cycles with the release build; --quick: 100 cycles with the
#   debug build that reliability/run.sh builds. FELTSENSE_BIN overrides.
# Needs curl.
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=1000 profile=release
[ "${1:-}" = "--quick" ] && { cycles=100; profile=debug; shift; }
[ -n "${1:-}" ] && cycles=$1
bin=${FELTSENSE_BIN:-$PWD/target/$profile/feltsense}
if [ ! -x "$bin" ]; then
  if [ "$profile" = release ]; then cargo build --quiet --release -p feltsense; else cargo build --quiet -p feltsense; fi
fi
work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill -9 "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export FELTSENSE_DATA_DIR=$work/data FELTSENSE_PASSPHRASE=kill9-web-passphrase FELTSENSE_CONFIG=$work/none.toml
"$bin" init >/dev/null
# shellcheck source=reliability/web-session.sh
. reliability/web-session.sh

acked=$work/acked sent=$work/sent
: >"$acked"
: >"$sent"
RANDOM=20261201
for ((c = 1; c <= cycles; c++)); do
  # The last server's output goes first, so its dead link is never read.
  : >"$work/serve.out"
  web_start "$bin" "$work" || { echo "kill9-web: cycle $c could not sign in"; exit 1; }
  # Post until the server is gone; the loop ends on a refused connection.
  (
    for ((j = 1; ; j++)); do
      note="kw-$c-$j"
      echo "$note" >>"$sent"
      code=$(web_post /checkin "feel=calm&int_calm=3&note=$note") || code=000
      [ "$code" = 303 ] && echo "$note" >>"$acked"
      [ "$code" = 000 ] && break
    done
  ) &
  poster=$!
  sleep "$(printf '0.%03d' $((RANDOM % 400)))"
  kill -9 "$server"
  wait "$server" 2>/dev/null || true
  wait "$poster" || true
  server=
done

if ! "$bin" log --json >"$work/log.json" 2>"$work/log.err"; then
  echo "kill9-web: the store does not open after $cycles kills:"
  cat "$work/log.err"
  exit 1
fi
lost=0
while read -r note; do
  grep -q "\"$note\"" "$work/log.json" || { lost=$((lost + 1)); echo "lost: $note"; }
done <"$acked"
echo "kill9-web: cycles $cycles, POSTs sent $(wc -l <"$sent"), acknowledged $(wc -l <"$acked"), lost $lost"
[ "$lost" -eq 0 ]
