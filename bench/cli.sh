#!/usr/bin/env bash
# Benchmarks the everyday commands end to end (issues 2 and 11): one
# check-in from flags, and `log --json` over ten years of check-ins
# (18,250), each locked (the passphrase from FELTSENSE_PASSPHRASE, so the
# key is derived every time) and unlocked (the key from `feltsense unlock`'s
# agent), beside a process that starts but opens no store and the key
# derivation alone (openssl's PBKDF2 with SQLCipher's parameters), in one
# hyperfine run. The two stores are copies, so the agent of one never
# serves the other. Needs: hyperfine, python3, openssl.
# Usage: bench/cli.sh  (from the repository root; PROFILE=profiling to time
# that build, which is release code with symbols, instead of --release)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${PROFILE:-release}
cargo build --profile "$profile" --quiet -p feltsense
bin=$PWD/target/$profile/feltsense
work=$(mktemp -d)
export XDG_RUNTIME_DIR=$work/run FELTSENSE_PASSPHRASE=bench-passphrase
locked=$work/locked unlocked=$work/unlocked
trap 'FELTSENSE_DATA_DIR=$unlocked "$bin" lock >/dev/null; rm -rf "$work"' EXIT
export FELTSENSE_DATA_DIR=$locked
python3 bench/gen_checkins.py 10 "$work/ten-years.json"
"$bin" init >/dev/null
"$bin" import "$work/ten-years.json" >/dev/null
cp -r "$locked" "$unlocked"
FELTSENSE_DATA_DIR=$unlocked "$bin" unlock --for 1h >/dev/null
as_unlocked="env -u FELTSENSE_PASSPHRASE FELTSENSE_DATA_DIR=$unlocked"
checkin="checkin --feel sad:6 --feel tired:4 --pleasant -2 --energy -3 --clarity 3 --body chest:tight:5 --showed calm --doing work --with colleagues --where office --note 'quiet day'"
mkdir -p bench/out
hyperfine -N --warmup 3 --runs 30 --export-json bench/out/cli.json \
  -n 'vocabulary (no store: process start)' "$bin vocabulary --family numb" \
  -n 'openssl PBKDF2-HMAC-SHA512 256k (the KDF alone)' "openssl kdf -keylen 32 -kdfopt digest:SHA512 -kdfopt pass:bench -kdfopt hexsalt:00112233445566778899aabbccddeeff -kdfopt iter:256000 PBKDF2" \
  -n 'checkin (flags), locked' "$bin $checkin" \
  -n 'checkin (flags), unlocked' "$as_unlocked $bin $checkin" \
  -n 'log --json (18,250 check-ins), locked' "$bin log --json" \
  -n 'log --json (18,250 check-ins), unlocked' "$as_unlocked $bin log --json"
python3 - <<'PY'
import json
runs = json.load(open("bench/out/cli.json"))["results"]
base = runs[0]["median"]
for r in runs:
    print(f'{r["command"]:<48} median {r["median"]*1000:7.1f} ms  ({r["median"]/base:5.1f}x process start)')
PY
