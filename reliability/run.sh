#!/usr/bin/env bash
# The reliability suite (issue 10): every check, each printing its figures.
# `reliability/run.sh --quick` is the shortened form CI runs (seconds per
# check); without --quick each runs in full (minutes; figures in
# BENCHMARKS.md). Exits 1 if any check failed.
set -uo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
[ -x target/debug/feltsense ] || cargo build --quiet -p feltsense
passed=0 failed=0
# kill9-server and pg-restart need PostgreSQL (scripts/pg.sh) and the release
# build (made if missing); their --quick forms take about 15 and 20 s.
for check in kill9-cli kill9-web concurrent-writers connection-flood tempfile-signals fuzz-imports kill9-server pg-restart; do
  script=reliability/$check.sh
  [ -x "$script" ] || continue
  echo "== $check"
  if "$script" $mode; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "!! $check failed"; fi
done
echo "reliability: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
