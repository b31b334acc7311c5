#!/usr/bin/env bash
# The whole test suite: every Rust test (unit, integration, store conformance,
# web handlers), the reliability suite in its short form (reliability/), then
# the browser tests (headless Chromium driven by
# playwright-core, with an axe-core accessibility scan). On a fresh machine it
# installs what the browser tests need: Debian's chromium and the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium
fi

cargo test --workspace
cargo build -p feltsense
reliability/run.sh --quick
(cd web-tests && npm ci --no-audit --no-fund --loglevel=error && node --test)
