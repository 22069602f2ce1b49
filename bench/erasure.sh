#!/usr/bin/env bash
# Erasure and export of large contacts: BENCH_CONTACTS contacts (default 3), each with BENCH_EVENTS events (default
# 100,000; a tenth of them as a visitor merged into it) over BENCH_PRODUCTS products (default 500), a segment membership
# and a waiting run. Starts a throwaway PostgreSQL (deploy/local/postgres.sh) and the silo in durable mode, times one
# export and one DELETE per contact, and prints a Markdown table. BENCH_PG_PORT, BENCH_HTTP_PORT; other
# ProductEvents__* variables reach the silo.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
contacts=${BENCH_CONTACTS:-3}; events=${BENCH_EVENTS:-100000}; products=${BENCH_PRODUCTS:-500}
pg_port=${BENCH_PG_PORT:-55472}; http_port=${BENCH_HTTP_PORT:-5300}; token=bench-secret-$RANDOM
work=$(mktemp -d); pg_dir=$work/pg; logs=$root/bench/results/erasure-$(date -u +%Y%m%dT%H%M%SZ)-logs
mkdir -p "$logs"; [ "$(id -u)" = 0 ] && chmod 755 "$work"
silo_pid=
cleanup() {
  [ -n "$silo_pid" ] && { kill "$silo_pid" 2>/dev/null || true; wait "$silo_pid" 2>/dev/null || true; }
  "$root/deploy/local/postgres.sh" stop "$pg_dir" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

source "$root/bench/server-build.sh"
publish_server src/Silo "$silo_dir" "$logs/build-silo.log"
dotnet build -c Release -nologo -v q "$root/bench/Erasure/ProductEvents.Bench.Erasure.csproj" >"$logs/build-bench.log" 2>&1
pg=$("$root/deploy/local/postgres.sh" start "$pg_dir" "$pg_port")

(cd "$silo_dir" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Postgres="$pg" \
  ProductEvents__Apps__bench__SecretKey="$token" Orleans__SiloPort=$((http_port + 1)) Orleans__GatewayPort=$((http_port + 2)) \
  dotnet ProductEvents.Silo.dll --urls "http://127.0.0.1:$http_port") >"$logs/silo.log" 2>&1 &
silo_pid=$!
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null 2>&1 && break
  kill -0 "$silo_pid" 2>/dev/null || { tail -50 "$logs/silo.log" >&2; exit 1; }
  sleep 0.5
done

{
  echo "## Erasure, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, commit $(git -C "$root" rev-parse --short HEAD)"
  echo
  dotnet "$root/bench/Erasure/bin/Release/net10.0/ProductEvents.Bench.Erasure.dll" "http://127.0.0.1:$http_port" "$token" "$contacts" "$events" "$products"
} | tee "$logs/table.md"
