#!/usr/bin/env bash
# The whole test suite: every Rust test (unit, integration, store conformance
# on SQLite and on PostgreSQL, web handlers), the reliability suite in its
# short form (reliability/), then the browser tests (headless Chromium driven
# by playwright-core, with an axe-core accessibility scan). On a fresh machine
# it installs what the tests need: Debian's chromium and postgresql, and the
# npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium
fi

# The server's tests run against a throwaway PostgreSQL on loopback
# (scripts/pg.sh), removed when this script ends, whether the tests pass
# or not. They read its URLs from the environment and migrate it themselves.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "Installing Debian's postgresql for the server's tests..."
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq postgresql
fi
pg_env=$(scripts/pg.sh start)
eval "$pg_env"
trap 'scripts/pg.sh stop "$FELTSENSE_PG_DIR"' EXIT

cargo test --workspace
cargo build -p feltsense
reliability/run.sh --quick
(cd web-tests && npm ci --no-audit --no-fund --loglevel=error && node --test)
