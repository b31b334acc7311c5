# Shared by bench/server/run.sh and reliability/{kill9-server,pg-restart}.sh:
# a throwaway PostgreSQL, the release build, the seed tool, and starting a
# `feltsense server` on a loopback port. Source it from the repository root.

bin=${FELTSENSE_BIN:-$PWD/target/release/feltsense}
seed=${FELTSENSE_SEED:-$PWD/target/release/examples/seed}
checkin_write=${FELTSENSE_CHECKIN_WRITE:-$PWD/target/release/examples/checkin_write}
started_pg=

# Builds what is missing (release: the figures are for it).
server_build() {
  [ -x "$bin" ] || cargo build --quiet --release -p feltsense
  [ -x "$seed" ] || cargo build --quiet --release -p feltsense-server --example seed
}

# A PostgreSQL of our own unless one is given in FELTSENSE_DATABASE_URL.
server_pg_up() {
  if [ -z "${FELTSENSE_DATABASE_URL:-}" ]; then
    eval "$(scripts/pg.sh start)"
    started_pg=1
  fi
}

server_pg_down() {
  if [ -n "$started_pg" ]; then scripts/pg.sh stop >/dev/null 2>&1 || true; started_pg=; fi
}

# The status /healthz answers on PORT, for the public PUBLIC_PORT (default
# PORT; the Host must be the public address) (000: no answer).
healthz() {
  curl -s -o /dev/null -m 2 -w '%{http_code}' -H "Host: 127.0.0.1:${2:-$1}" \
    "http://127.0.0.1:$1/healthz" || true
}

# server_start PORT PUBLIC_PORT KEY_FILE LOG: starts an instance in the
# background (its pid in $server_pid) and waits up to 30 s for /healthz.
server_start() {
  local port=$1 public=$2 key=$3 log=$4
  "$bin" server --database-url "$FELTSENSE_DATABASE_URL" --key-file "$key" \
    --listen "127.0.0.1:$port" --public-url "http://127.0.0.1:$public" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    [ "$(healthz "$port" "$public")" = 200 ] && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; return 1; }
    sleep 0.1
  done
  echo "the server on $port did not answer /healthz within 30 s" >&2
  return 1
}

# The peak resident memory of PID, in MiB.
peak_mib() {
  awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

# post_checkin PORT PUBLIC_PORT TOKEN CSRF NOTE: prints the status code.
post_checkin() {
  curl -s -o "${post_body:-/dev/null}" -m 5 -w '%{http_code}' \
    -H "Host: 127.0.0.1:$2" -H "Origin: http://127.0.0.1:$2" \
    -H "Cookie: feltsense-session=$3" \
    --data "csrf=$4&feel=calm&int_calm=3&note=$5" \
    "http://127.0.0.1:$1/checkin" || true
}

# export_json PORT PUBLIC_PORT TOKEN: the person's export, on stdout.
export_json() {
  curl -sf -m 30 -H "Host: 127.0.0.1:$2" -H "Cookie: feltsense-session=$3" \
    "http://127.0.0.1:$1/export.json"
}
