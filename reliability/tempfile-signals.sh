#!/usr/bin/env bash
# Issue 10, item 5: no journal text written in $EDITOR outlives
# `feltsense journal` when a signal ends it. For each of SIGHUP (the
# terminal closed), SIGTERM, SIGINT and SIGQUIT: a fake editor writes a
# marked text into its file and waits; the signal goes to feltsense; then no
# file holding the text may remain in $XDG_RUNTIME_DIR or /dev/shm, and the
# editor must be gone. SIGKILL cannot be caught: the file stays, and the
# next journal command must save it into the encrypted store and remove it.
# Prints one line per signal; exits 1 on the first failure.
#
# Usage: reliability/tempfile-signals.sh [--quick]   (from anywhere)
#   --quick   one run per signal (CI); otherwise 10 runs per signal
# Needs: `script` (util-linux) for a terminal; builds target/debug/feltsense
# if it is missing (FELTSENSE_BIN overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=10
[ "${1:-}" = --quick ] && runs=1
bin=${FELTSENSE_BIN:-$PWD/target/debug/feltsense}
[ -x "$bin" ] || cargo build --quiet --bin feltsense
work=$(mktemp -d)
epid=
trap '{ [ -z "$epid" ] || kill "$epid" 2>/dev/null; } || true; rm -rf "$work"' EXIT
export XDG_RUNTIME_DIR=$work/run FELTSENSE_DATA_DIR=$work/data
export FELTSENSE_PASSPHRASE="reliability passphrase" FELTSENSE_CONFIG=$work/none.toml
unset VISUAL
export STATE=$work EDITOR=$work/editor.sh
mkdir -m 700 "$XDG_RUNTIME_DIR"
"$bin" init > /dev/null
cat > "$EDITOR" <<'SH'
#!/bin/sh
# A fake editor: writes the text, tells the test who is who, then waits.
printf 'quiet words %s\n' "$MARKER" > "$1"
echo "$PPID $$" > "$STATE/pids.tmp" && mv "$STATE/pids.tmp" "$STATE/pids"
exec sleep 600
SH
chmod +x "$EDITOR"

holding() { # files under the runtime dir or /dev/shm that hold $1
  grep -rlF "$1" "$XDG_RUNTIME_DIR" /dev/shm 2>/dev/null || true
}

fail() { echo "FAIL $*"; exit 1; }

# One run: starts `feltsense journal` in a terminal, waits for the editor,
# sends signal $1; leaves "feltsense-pid editor-pid" in $pids.
one_run() {
  local sig=$1
  rm -f "$STATE/pids"
  script -qec "$bin journal" /dev/null < /dev/null > "$work/out" 2>&1 &
  local term=$!
  for _ in $(seq 200); do [ -s "$STATE/pids" ] && break; sleep 0.05; done
  [ -s "$STATE/pids" ] || fail "SIG$sig: the editor never started: $(cat "$work/out")"
  read -r fpid epid < "$STATE/pids"
  [ -n "$(holding "$MARKER")" ] || fail "SIG$sig: the test cannot see the editor's file"
  kill -"$sig" "$fpid"
  wait "$term" || true
}

for sig in HUP TERM INT QUIT; do
  for run in $(seq "$runs"); do
    export MARKER="marker-$sig-$run-$RANDOM$RANDOM"
    one_run "$sig"
    left=$(holding "$MARKER")
    [ -z "$left" ] || fail "SIG$sig run $run: journal text left in $left"
    ! kill -0 "$epid" 2>/dev/null || fail "SIG$sig run $run: the editor still runs"
  done
  printf 'SIG%-5s %2d of %2d runs: no journal text left, editor stopped\n' "$sig" "$runs" "$runs"
done

recovered=0
for run in $(seq "$runs"); do
  export MARKER="marker-KILL-$run-$RANDOM$RANDOM"
  one_run KILL
  kill "$epid" 2>/dev/null || true
  [ -n "$(holding "$MARKER")" ] || fail "SIGKILL run $run: expected the uncaught leftover"
  "$bin" journal list > "$work/list" 2> "$work/err" || fail "journal list: $(cat "$work/err")"
  grep -qF "$MARKER" "$work/list" || fail "SIGKILL run $run: the leftover was not saved: $(cat "$work/err")"
  left=$(holding "$MARKER")
  [ -z "$left" ] || fail "SIGKILL run $run: journal text left in $left after the next run"
  recovered=$((recovered + 1))
done
printf 'SIGKILL  %2d of %2d runs: the leftover was saved encrypted and removed by the next run\n' "$recovered" "$runs"
