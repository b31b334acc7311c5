# bench/server/run.sh's CLINICIANS=N option (issue 14's figure), sourced by
# it: the seed tool also makes N clinicians, each shared with by 50 of the
# people (clinicians.txt); while the person load runs, one wrk per page
# (GET /clinician, GET /clinician/person/{id}) with one thread and one
# connection per clinician, each request after a random pause of 0 to
# CLINICIAN_PAUSE ms (default 2000: a page a second per clinician and
# page). Prints RESULT lines for both pages beside the person load's, the
# audit events written per second (the audit table counted before and
# after), then the same with the audit write off (the server built with
# the `bench` feature and started with FELTSENSE_BENCH_NO_AUDIT=1), then
# the server's and PostgreSQL's CPU ms per page (each page alone, no other
# load, CPU_SECONDS long). The whole run uses the `bench` build (without
# the variable it is the default build's code path, audit written).

clinician_pause=${CLINICIAN_PAUSE:-2000}
bin=${FELTSENSE_BENCH_BIN:-$PWD/target/release/feltsense-bench}

# The `bench` build, copied beside the default one.
clinicians_build() {
  [ -x "$bin" ] && return 0
  cargo build --quiet --release -p feltsense --features feltsense-server/bench
  cp target/release/feltsense "$bin"
}

# The audit table's rows (as PostgreSQL's superuser: row-level security is
# forced, so the app role and the owner see only some chains).
audit_count() {
  psql -X -A -t -q "$FELTSENSE_ADMIN_URL" -c "SELECT count(*) FROM audit_events"
}

# clinicians_start SECONDS PORT: the two clinician wrks, in the caller's
# wpids and outs (bash's dynamic scope: called from run.sh's load).
clinicians_start() {
  local length=$1 port=$2 page
  audit_before=$(audit_count) audit_started=$(date +%s.%N)
  for page in caseload person; do
    wrk -t"$CLINICIANS" -c"$CLINICIANS" -d"${length}s" --timeout 10s --latency \
      -s bench/server/clinician.lua "http://127.0.0.1:$port" \
      -- "$work/clinicians.txt" "$page" "127.0.0.1:8441" "$clinician_pause" \
      >"$work/wrk-$page-$port.out" 2>&1 &
    wpids+=($!)
    outs+=("$work/wrk-$page-$port.out")
  done
}

# After the wrks: the audit events written per second while they ran.
clinicians_done() {
  local after seconds
  after=$(audit_count)
  seconds=$(echo "$(date +%s.%N) - $audit_started" | bc)
  echo "RESULT kind=audit events=$((after - audit_before)) seconds=$(printf %.1f "$seconds") per_second=$(echo "($after - $audit_before) / $seconds" | bc)"
}

# The CPU clock ticks of the server PID and of PostgreSQL (the postmaster,
# its children, and the children it has reaped).
cpu_ticks() {
  local pm
  pm=$(head -1 "$FELTSENSE_PG_DIR/data/postmaster.pid")
  local server_ticks pg_ticks=0 p
  server_ticks=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
  pg_ticks=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat")
  for p in $(ps -o pid= --ppid "$pm"); do
    pg_ticks=$((pg_ticks + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$server_ticks $pg_ticks"
}

# clinicians_cpu PID PORT: each page alone for CPU_SECONDS (default 20),
# the server's and PostgreSQL's CPU ms per page served.
clinicians_cpu() {
  local pid=$1 port=$2 length=${CPU_SECONDS:-20} page hz
  hz=$(getconf CLK_TCK)
  for page in caseload person; do
    read -r s0 p0 < <(cpu_ticks "$pid")
    wrk -t"$CLINICIANS" -c"$CLINICIANS" -d"${length}s" --timeout 10s --latency \
      -s bench/server/clinician.lua "http://127.0.0.1:$port" \
      -- "$work/clinicians.txt" "$page" "127.0.0.1:8441" "$clinician_pause" >"$work/cpu-$page.out" 2>&1
    read -r s1 p1 < <(cpu_ticks "$pid")
    local n
    n=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' "$work/cpu-$page.out")
    echo "RESULT kind=cpu-$page requests=$n server_ms=$(echo "scale=2; ($s1 - $s0) * 1000 / $hz / $n" | bc) postgres_ms=$(echo "scale=2; ($p1 - $p0) * 1000 / $hz / $n" | bc) $(grep -o 'p50=[^ ]* p90=[^ ]* p99=[^ ]*' "$work/cpu-$page.out")"
  done
}

# After the one-instance run: the same with the audit write off, then the
# CPU per page with audit (a fresh instance each).
clinicians_side_by_side() {
  local seconds=$1 pid
  FELTSENSE_BENCH_NO_AUDIT=1 server_start 8441 8441 "$work/server.key" "$work/noaudit.log"
  pid=$server_pid; pids+=("$pid")
  echo "== one instance, the audit write OFF (bench build): warm-up, 20 s"
  load 20 8441 >/dev/null
  echo "== one instance, the audit write OFF: ${seconds} s; $(loadavg)"
  load "$seconds" 8441
  echo "after: $(loadavg)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  server_start 8441 8441 "$work/server.key" "$work/cpu.log"
  pid=$server_pid; pids+=("$pid")
  echo "== CPU per page, each page alone (audit written), ${CPU_SECONDS:-20} s each; $(loadavg)"
  clinicians_cpu "$pid" 8441
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
