#!/usr/bin/env bash
# Automations under load: with RUNS runs waiting (default 100,000), how late do they fire, and does ingest slow down?
# Starts a throwaway PostgreSQL (deploy/local/postgres.sh) and the silo in durable mode, then runs bench/Automations.
# BENCH_RUNS, BENCH_WAIT (s, default 60), BENCH_MEASURE (s, default 10), BENCH_CONCURRENCY (default 4), BENCH_PG_PORT.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_RUNS:-100000}; wait_s=${BENCH_WAIT:-60}; measure=${BENCH_MEASURE:-10}; conc=${BENCH_CONCURRENCY:-4}
pg_port=${BENCH_PG_PORT:-55442}; http_port=${BENCH_HTTP_PORT:-5190}; token=bench-secret-$RANDOM
work=$(mktemp -d); pg_dir=$work/pg; logs=$root/bench/results/automations-$(date -u +%Y%m%dT%H%M%SZ)-logs
mkdir -p "$logs"; [ "$(id -u)" = 0 ] && chmod 755 "$work"
silo_pid=
cleanup() {
  [ -n "$silo_pid" ] && { kill "$silo_pid" 2>/dev/null || true; wait "$silo_pid" 2>/dev/null || true; }
  "$root/deploy/local/postgres.sh" stop "$pg_dir" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build -c Release -nologo -v q "$root/src/Silo/ProductEvents.Silo.csproj" >"$logs/build-silo.log" 2>&1
dotnet build -c Release -nologo -v q "$root/bench/Automations/ProductEvents.Bench.Automations.csproj" >"$logs/build-bench.log" 2>&1
pg=$("$root/deploy/local/postgres.sh" start "$pg_dir" "$pg_port")

(cd "$root/src/Silo/bin/Release/net10.0" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Postgres="$pg" \
  ProductEvents__Apps__bench__SecretKey="$token" Orleans__SiloPort=$((http_port + 1)) Orleans__GatewayPort=$((http_port + 2)) \
  dotnet ProductEvents.Silo.dll --urls "http://127.0.0.1:$http_port") >"$logs/silo.log" 2>&1 &
silo_pid=$!
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null 2>&1 && break
  kill -0 "$silo_pid" 2>/dev/null || { tail -50 "$logs/silo.log" >&2; exit 1; }
  sleep 0.5
done

echo "## Automations: $runs runs waiting ${wait_s} s ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
echo
dotnet "$root/bench/Automations/bin/Release/net10.0/ProductEvents.Bench.Automations.dll" \
  "http://127.0.0.1:$http_port" "$token" "$runs" "$wait_s" "$measure" "$conc" | tee "$logs/table.md"
