#!/usr/bin/env bash
# The importers' and the config file's mutation fuzzer (issue 10's
# reliability suite). Seeded mutations of a valid input (bytes replaced,
# inserted and deleted, lines swapped and duplicated, digits changed, huge numbers,
# impossible dates, quotes, BOMs, CRLF, NUL, fields up to 1 MiB) go to every
# importer (feltsense JSON, Daylio, ESM data, ESM mapping) into one real
# store file, and to the config parser. Each input: no panic, no hang (over
# FELTSENSE_FUZZ_SECONDS, default 10, ends the run), a refusal is an input
# message, and the store is byte-identical after every refused import.
# The code is crates/feltsense/src/cmd/import/fuzz.rs.
#
# Prints per target: cases, refused (by the store), accepted, panics,
# unclear refusals, changed-store, slowest input. Exits 1 on any failure.
# Usage: reliability/fuzz-imports.sh [--quick] [CASES]   (default 2000 per target; --quick 100)
set -euo pipefail
cd "$(dirname "$0")/.."
cases=2000
[ "${1:-}" = "--quick" ] && { cases=100; shift; }
[ -n "${1:-}" ] && cases=$1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
FELTSENSE_FUZZ_CASES=$cases cargo test --quiet -p feltsense --bin feltsense fuzz -- \
  --nocapture --test-threads 1 >"$log" 2>&1 || status=$?
grep -E 'fuzz [a-z-]+: |panicked|a hang|not an input message|store changed|^test result' "$log" || true
[ "$status" -eq 0 ] || { echo "fuzz-imports: failed (exit $status)"; exit 1; }
