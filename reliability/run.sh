#!/usr/bin/env bash
# The reliability suite (issue 10): every check, each printing its figures.
# `reliability/run.sh --quick` is the shortened form CI runs (seconds per
# check); without --quick each runs in full (minutes; figures in
# BENCHMARKS.md). Exits 1 if any check failed.
set -uo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
[ -x target/debug/feltsense ] || cargo build --quiet -p feltsense
if [ "$mode" = --quick ]; then
  # The server's checks in their short form run the debug build the tests
  # already made (the full runs, with figures, use the release build), each
  # on a throwaway PostgreSQL of its own: the tests' database holds another
  # server key, which a server rightly refuses.
  cargo build --quiet -p feltsense-server --example seed
  export FELTSENSE_BIN=$PWD/target/debug/feltsense FELTSENSE_SEED=$PWD/target/debug/examples/seed
fi
passed=0 failed=0
# kill9-server and pg-restart need PostgreSQL (scripts/pg.sh start makes one
# each); their --quick forms take about 15 and 20 s.
for check in kill9-cli kill9-web concurrent-writers connection-flood tempfile-signals fuzz-imports kill9-server pg-restart; do
  script=reliability/$check.sh
  [ -x "$script" ] || continue
  echo "== $check"
  if env -u FELTSENSE_DATABASE_URL -u FELTSENSE_OWNER_URL "$script" $mode; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "!! $check failed"; fi
done
echo "reliability: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
