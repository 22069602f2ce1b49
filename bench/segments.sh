#!/usr/bin/env bash
# The segment benchmark: live membership latency under load, the build time of a new segment over a filled log
# (warm and after a silo restart) and membership read latency, in one run against a fresh throwaway PostgreSQL.
# See bench/README.md ("Segment benchmark").
#
#   bash bench/segments.sh                        full run (1,000,000 events in the log)
#   BENCH_SEG_EVENTS=100000 bash bench/segments.sh  a shorter try
#
# Knobs (environment): BENCH_SEG_* (read by bench/SegmentBench, see the README), BENCH_SEG_PHASES (default
# "live ingest build cold read"), BENCH_PG_PORT, BENCH_HTTP_PORT, BENCH_SILO_PORT, BENCH_GATEWAY_PORT, BENCH_NO_BUILD=1.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

phases=${BENCH_SEG_PHASES:-live ingest build cold read}
pg_port=${BENCH_PG_PORT:-55533}
http_port=${BENCH_HTTP_PORT:-5190}
silo_port=${BENCH_SILO_PORT:-21211}
gateway_port=${BENCH_GATEWAY_PORT:-31100}
token=bench-secret
url=http://127.0.0.1:$http_port

stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=$root/bench/results
logs=$results/segments-$stamp-logs
mkdir -p "$logs"
report=$results/segments-$stamp.md
figures=$logs/figures.txt

source "$root/bench/server-build.sh"
bench_dll=$root/bench/SegmentBench/bin/Release/net10.0/ProductEvents.Bench.SegmentBench.dll

log() { echo "[segments $(date -u +%H:%M:%S)] $*" >&2; }
want() { [[ " $phases " == *" $1 "* ]]; }
for tool in psql curl dotnet; do
  command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  log "building Release"
  publish_server src/Silo "$silo_dir" "$logs/build-silo.log"
  dotnet build -c Release -nologo -v q bench/SegmentBench/ProductEvents.Bench.SegmentBench.csproj >"$logs/build-bench.log" 2>&1 \
    || { cat "$logs/build-bench.log" >&2; exit 1; }
fi

# --- a fresh PostgreSQL ------------------------------------------------------------------------------------------
pg_dir=$(mktemp -d /tmp/bench-seg-pg.XXXXXX)
# Other work on the machine may hold the ports: take the next free ones.
port_busy() { ss -ltn 2>/dev/null | grep -q ":$1 "; }
while port_busy "$pg_port"; do pg_port=$((pg_port + 1)); done
while port_busy "$http_port"; do http_port=$((http_port + 1)); done
while port_busy "$silo_port"; do silo_port=$((silo_port + 1)); done
while port_busy "$gateway_port"; do gateway_port=$((gateway_port + 1)); done
url=http://127.0.0.1:$http_port
silo_pid=
cleanup() {
  if [ -n "$silo_pid" ] && kill -0 "$silo_pid" 2>/dev/null; then kill "$silo_pid" 2>/dev/null || true; wait "$silo_pid" 2>/dev/null || true; fi
  "$root/deploy/local/postgres.sh" stop "$pg_dir" 2>/dev/null || true
  rm -rf "$pg_dir"
}
trap cleanup EXIT
log "starting PostgreSQL in $pg_dir on port $pg_port"
pg=$("$root/deploy/local/postgres.sh" start "$pg_dir" "$pg_port")
sql() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 "$@"; }

# --- the silo ----------------------------------------------------------------------------------------------------
start_silo() { # logname
  (cd "$silo_dir" && exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$url" ConnectionStrings__Postgres="$pg" \
    ProductEvents__Apps__bench__SecretKey=$token Orleans__SiloPort="$silo_port" Orleans__GatewayPort="$gateway_port" \
    Logging__LogLevel__Default=Warning "Logging__LogLevel__ProductEvents.Silo.Hosting.SegmentRecoveryService=Information" \
    dotnet ProductEvents.Silo.dll) >"$logs/$1.log" 2>&1 &
  silo_pid=$!
  sleep 0.2
  [ "$(cat "/proc/$silo_pid/comm" 2>/dev/null)" = dotnet ] || { echo "silo pid $silo_pid is not the dotnet process" >&2; exit 1; }
  for _ in $(seq 1 240); do
    # Ready only when this silo holds the port: another server that took it after the check above would answer too.
    if ss -ltnpH "sport = :$http_port" 2>/dev/null | grep -q "pid=$silo_pid,"; then
      curl -sf "$url/health/ready" >/dev/null 2>&1 && return 0
    fi
    kill -0 "$silo_pid" 2>/dev/null || { cat "$logs/$1.log" >&2; echo "silo exited" >&2; exit 1; }
    sleep 0.5
  done
  echo "silo not ready after 120 s" >&2; exit 1
}
stop_silo() {
  kill "$silo_pid" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$silo_pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$silo_pid" 2>/dev/null || true
  wait "$silo_pid" 2>/dev/null || true
  silo_pid=
}
# What PostgreSQL was doing, for finding where the time goes: sampled during the long phases.
sample_pg() { # label seconds
  local end=$((SECONDS + $2))
  while [ $SECONDS -lt $end ] && kill -0 "$silo_pid" 2>/dev/null; do
    sql -c "SELECT now()::time(0), state, wait_event_type, wait_event, left(regexp_replace(query, '\s+', ' ', 'g'), 140)
            FROM pg_stat_activity WHERE backend_type = 'client backend' AND state <> 'idle' AND pid <> pg_backend_pid()" \
      >>"$logs/pg-activity-$1.txt" 2>/dev/null || true
    sleep 2
  done
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
bench() { # phase [args...]
  local phase=$1; shift
  local before; before=$(cpu_ticks "$silo_pid"); local t0=$SECONDS
  sample_pg "$phase" 100000 & local sampler=$!
  dotnet "$bench_dll" "$phase" "$url" "$figures" "$@" 2> >(tee -a "$logs/bench-$phase.log" >&2)
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  local after; after=$(cpu_ticks "$silo_pid")
  echo "${phase}${1:+_$1}_silo_cores=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v s=$((SECONDS - t0 > 0 ? SECONDS - t0 : 1)) 'BEGIN{printf "%.2f", t/hz/s}')" >>"$logs/cpu.txt"
}

log "starting the silo (it applies the schema)"
start_silo silo
sql -c "SELECT product_events_ensure_partitions(now(), 3)" >/dev/null 2>&1 || true

if want live; then log "row 1: live segments under load"; bench live; fi
if want ingest; then log "row 2: filling the log"; bench ingest; fi
if want build; then log "row 2: building a new segment"; bench build warm; fi
if want cold; then
  log "row 2: restarting the silo, building a new segment with cold grains"
  stop_silo
  start_silo silo-cold
  bench build cold
fi
recovery_line=
if want cold; then
  # Row 3 measures reads in steady state: wait for the start-up recovery (it re-evaluates the contacts of the last
  # 30 s of the log) to finish, and report how long it took.
  for _ in $(seq 1 600); do
    recovery_line=$(grep -h -A1 "SegmentRecoveryService" "$logs/silo-cold.log" | grep -o "Segment recovery.*" | head -1) || true
    [ -n "$recovery_line" ] && break
    sleep 0.5
  done
  log "start-up recovery: ${recovery_line:-not finished after 300 s}"
fi
if want read; then log "row 3: membership reads"; bench read; fi
sql -c "SELECT segment_id, count(*) FROM segment_members GROUP BY 1 ORDER BY 2 DESC" >"$logs/members-per-segment.txt" 2>&1 || true
sql -c "SELECT (SELECT count(*) FROM orleans_reminders) AS reminders, (SELECT count(*) FROM segment_window_checks) AS window_checks" >"$logs/reminders.txt" 2>&1 || true
events_in_log=$(sql -c "SELECT count(*) FROM product_events")
members_rows=$(sql -c "SELECT count(*) FROM segment_members")
pg_conns=$(sql -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
rss=$(awk '/VmHWM/{printf "%.0f", $2/1024}' "/proc/$silo_pid/status")
stop_silo

# --- report ------------------------------------------------------------------------------------------------------
{
  echo "# Segment benchmark, $stamp"
  echo
  echo "Commit $(git rev-parse --short HEAD) ($(git rev-parse --abbrev-ref HEAD)); $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM," \
    "load average before the run $(cut -d' ' -f1-3 /proc/loadavg); silo in durable mode on a fresh PostgreSQL 15; the load generator shares the cores."
  echo
  dotnet "$bench_dll" report "$figures"
  echo
  echo "Rows in product_events at the end: $events_in_log; rows in segment_members: $members_rows; silo peak RSS ${rss} MB;" \
    "PostgreSQL client connections at the end: $pg_conns. Silo CPU per phase (cores): $(tr '\n' ' ' <"$logs/cpu.txt")."
  if [ -n "$recovery_line" ]; then
    echo "After the restart (row 2, cold), row 3 waited for the start-up recovery: $recovery_line (from when the silo was up)."
  fi
  echo "Figures, logs and pg_stat_activity samples: bench/results/segments-$stamp-logs/."
} | tee "$report"
log "saved $report"
