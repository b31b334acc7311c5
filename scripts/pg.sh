#!/usr/bin/env bash
# A throwaway PostgreSQL on loopback, for the tests and for trying the server.
#
#   eval "$(scripts/pg.sh start)"   # starts one; prints the variables below
#   scripts/pg.sh stop              # stops the one named by $FELTSENSE_PG_DIR
#
# It prints (as shell assignments):
#   FELTSENSE_PG_DIR          its data directory (removed by `stop`)
#   FELTSENSE_OWNER_URL       role `feltsense_owner`: owns the schema, runs migrations
#   FELTSENSE_DATABASE_URL    role `feltsense_app`: what the server runs as; owns no table
#   FELTSENSE_ADMIN_URL       the cluster's superuser: for tests that make a scratch
#                             database or read what is at rest with pg_dump
#   FELTSENSE_PG_BIN          the PostgreSQL bin directory used (pg_dump is there)
# Debian's packages (postgresql) provide the binaries; initdb refuses root,
# so as root the cluster belongs to the `postgres` user.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "pg.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local dir port
  dir=$(mktemp -d /tmp/feltsense-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  chmod 700 "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  echo postgres >"$dir/pw"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir/pw"
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A scram-sha-256 \
    --pwfile="$dir/pw" -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=on" start >/dev/null
  PGPASSWORD=postgres "$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 <<SQL >/dev/null
CREATE ROLE feltsense_owner LOGIN PASSWORD 'owner';
CREATE ROLE feltsense_app LOGIN PASSWORD 'app';
CREATE DATABASE feltsense OWNER feltsense_owner;
REVOKE ALL ON DATABASE feltsense FROM PUBLIC;
GRANT CONNECT ON DATABASE feltsense TO feltsense_app;
SQL
  PGPASSWORD=postgres "$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d feltsense -v ON_ERROR_STOP=1 <<SQL >/dev/null
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO feltsense_owner;
GRANT USAGE ON SCHEMA public TO feltsense_app;
SQL
  echo "export FELTSENSE_PG_DIR=$dir"
  echo "export FELTSENSE_PG_PORT=$port"
  echo "export FELTSENSE_OWNER_URL=postgres://feltsense_owner:owner@127.0.0.1:$port/feltsense"
  echo "export FELTSENSE_DATABASE_URL=postgres://feltsense_app:app@127.0.0.1:$port/feltsense"
  echo "export FELTSENSE_ADMIN_URL=postgres://postgres:postgres@127.0.0.1:$port/feltsense"
  echo "export FELTSENSE_PG_BIN=$bindir"
}

stop() {
  local dir=${1:-${FELTSENSE_PG_DIR:?"pg.sh stop: give the directory or set FELTSENSE_PG_DIR"}}
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: scripts/pg.sh start | stop [DIR]" >&2; exit 2 ;;
esac
