#!/usr/bin/env bash
# Bounded memory: one durable silo takes BENCH_EVENTS events (default 10,000,000), each with a product and a contact
# never seen before, in batches of 1,000 (bench/Memory), under a memory budget of BENCH_BUDGET_MB (default 2048). The
# silo's RSS is sampled every second; the run reports the peak against the budget, errors, throughput per tenth of the
# events, and checks that the log holds every event. Then the same load, BENCH_COMPARE_EVENTS events (default
# 2,000,000; 0 skips it), on a silo set as before the budget existed (no budget, 15-minute collection age, a snapshot
# written at every deactivation). A silo whose RSS passes BENCH_RSS_CAP_MB (default 8192) is killed: no run may take
# the machine's memory. A fresh throwaway PostgreSQL per run; loopback only.
#
#   bash bench/memory.sh                              (the full run: about two hours here)
#   BENCH_EVENTS=500000 BENCH_COMPARE_EVENTS=0 bash bench/memory.sh     (a short try)
#
# Knobs: BENCH_EVENTS, BENCH_BUDGET_MB, BENCH_COMPARE_EVENTS, BENCH_RSS_CAP_MB, BENCH_CONNECTIONS (8), BENCH_NO_BUILD,
# BENCH_PG_PORT, BENCH_HTTP_PORT, BENCH_SILO_PORT, BENCH_GATEWAY_PORT; other ProductEvents__* variables reach both silos.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
events=${BENCH_EVENTS:-10000000}
budget=${BENCH_BUDGET_MB:-2048}
compare_events=${BENCH_COMPARE_EVENTS:-2000000}
cap=${BENCH_RSS_CAP_MB:-8192}
connections=${BENCH_CONNECTIONS:-8}
pg_port=${BENCH_PG_PORT:-55563}
http_port=${BENCH_HTTP_PORT:-5320}
silo_port=${BENCH_SILO_PORT:-22141}
gateway_port=${BENCH_GATEWAY_PORT:-32130}
url=http://127.0.0.1:$http_port
token=bench-secret-$RANDOM$RANDOM
operator_key=bench-operator-$RANDOM$RANDOM$RANDOM
source "$root/bench/server-build.sh"
loader=$root/bench/Memory/bin/Release/net10.0/ProductEvents.Bench.Memory.dll
stamp=$(date -u +%Y%m%dT%H%M%SZ)
logs=$root/bench/results/memory-$stamp-logs
report=$root/bench/results/memory-$stamp.md
mkdir -p "$logs"
log() { echo "[memory $(date -u +%H:%M:%S)] $*" >&2; }
sql() { psql -h 127.0.0.1 -p "$1" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 -c "$2" 2>/dev/null; }

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  log "building Release"
  publish_server src/Silo "$silo_dir" "$logs/build-silo.log"
  dotnet build -c Release -nologo -v q bench/Memory/ProductEvents.Bench.Memory.csproj >"$logs/build-bench.log" 2>&1
fi

work=$(mktemp -d /tmp/memory-bench.XXXXXX)
[ "$(id -u)" = 0 ] && chmod 755 "$work"
pg_dir=
silo_pid=
stop_run() {
  if [ -n "$silo_pid" ]; then
    kill "$silo_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$silo_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$silo_pid" 2>/dev/null || true
    wait "$silo_pid" 2>/dev/null || true
  fi
  silo_pid=
  [ -n "$pg_dir" ] && { "$root/deploy/local/postgres.sh" stop "$pg_dir" 2>/dev/null || true; rm -rf "$pg_dir"; }
  pg_dir=
}
trap 'stop_run; rm -rf "$work"' EXIT
trap 'exit 143' TERM INT

# run NAME EVENTS [VAR=value ...]: a fresh PostgreSQL and silo (the variables added to its environment), the load, the report.
run() {
  local name=$1 count=$2; shift 2
  while ss -ltn 2>/dev/null | grep -q "127.0.0.1:$pg_port "; do pg_port=$((pg_port + 1)); done
  pg_dir=$work/pg-$name
  local pg; pg=$("$root/deploy/local/postgres.sh" start "$pg_dir" "$pg_port")
  (cd "$silo_dir" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Postgres="$pg" \
    ProductEvents__Apps__bench__SecretKey="$token" ProductEvents__Operator__Key="$operator_key" \
    Orleans__SiloPort="$silo_port" Orleans__GatewayPort="$gateway_port" Logging__LogLevel__Default=Warning \
    Logging__LogLevel__Orleans.Runtime.ActivationCollector=Information "$@" \
    dotnet ProductEvents.Silo.dll --urls "$url") >"$logs/silo-$name.log" 2>&1 &
  silo_pid=$!
  for _ in $(seq 1 240); do
    curl -sf "$url/health/ready" >/dev/null 2>&1 && break
    kill -0 "$silo_pid" 2>/dev/null || { tail -50 "$logs/silo-$name.log" >&2; exit 1; }
    sleep 0.5
  done

  log "$name: $count events, each with a new product and a new contact (${*:-defaults})"
  local start_load status=0
  start_load=$(cut -d' ' -f1-3 /proc/loadavg)
  dotnet "$loader" "$url" "$token" "$count" "$connections" "$silo_pid" "$cap" "$logs/samples-$name.tsv" "$operator_key" \
    >"$work/$name.md" || status=$?

  local logged snapshots errors
  logged=$(sql "$pg_port" "SELECT count(*) FROM product_events" || echo "unknown")
  snapshots=$(sql "$pg_port" "SELECT count(*) FROM orleans_storage" || echo "unknown")
  errors=$(grep -c '"LogLevel":"\(Error\|Critical\)"' "$logs/silo-$name.log" || true)
  {
    echo "### $name: $count events"
    echo
    echo "Silo settings: ${*:-defaults}. Load average (1, 5, 15 min) at the start: $start_load; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    cat "$work/$name.md"
    echo
    echo "The log holds $logged events (of $count sent); grain storage holds $snapshots snapshots; the silo logged $errors errors."
    echo
  } | tee -a "$report"
  local lines; lines=$(wc -l <"$logs/silo-$name.log")
  stop_run
  # The stop deactivates every grain still active: what it logs is counted on its own.
  local stop_errors stop_warnings
  stop_errors=$(tail -n +"$((lines + 1))" "$logs/silo-$name.log" | grep -c '"LogLevel":"\(Error\|Critical\)"' || true)
  stop_warnings=$(tail -n +"$((lines + 1))" "$logs/silo-$name.log" | grep -c '"LogLevel":"Warning"' || true)
  echo "While it stopped, the silo logged $stop_errors errors and $stop_warnings warnings." | tee -a "$report"
  echo >>"$report"
  [ "$logged" = "$count" ] || status=1
  return $status
}

{
  echo "## Memory, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB, commit $(git rev-parse --short HEAD)"
  echo
} >"$report"

failed=0
# The analytics index holds every event of the app and is outside the budget (docs/analytics.md): this run measures
# what the budget bounds, the grains, so the index is off.
run budget "$events" ProductEvents__Memory__BudgetMegabytes="$budget" ProductEvents__Ingest__Analytics=false || failed=1
if [ "$compare_events" -gt 0 ]; then
  run before "$compare_events" ProductEvents__Memory__GrainCollectionAge=00:15:00 ProductEvents__Projections__CollectedSnapshotMinEntries=1 ProductEvents__Ingest__Analytics=false || failed=1
fi

log "report: $report (samples per second in $logs)"
exit $failed
