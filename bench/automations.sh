#!/usr/bin/env bash
# Automations under load: with RUNS runs waiting (default 100,000), how late do they fire, and does ingest slow down?
# Starts a throwaway PostgreSQL (deploy/local/postgres.sh) and the silo in durable mode, then runs bench/Automations
# twice: runs started at BENCH_START_RATE a second (default 2,000) with a wait long enough that all of them wait at
# once, then the same number started as fast as ingest takes them (a burst, all due within seconds of each other).
# BENCH_RUNS, BENCH_WAIT (s, the burst's wait, default 60), BENCH_MEASURE (s, default 10), BENCH_CONCURRENCY
# (default 4), BENCH_START_RATE, BENCH_MODES (default "paced burst"), BENCH_PG_PORT, BENCH_HTTP_PORT; other
# ProductEvents__* variables reach the silo.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_RUNS:-100000}; wait_s=${BENCH_WAIT:-60}; rate=${BENCH_START_RATE:-2000}; modes=${BENCH_MODES:-paced burst}; measure=${BENCH_MEASURE:-10}; conc=${BENCH_CONCURRENCY:-4}
pg_port=${BENCH_PG_PORT:-55462}; http_port=${BENCH_HTTP_PORT:-5290}; token=bench-secret-$RANDOM
work=$(mktemp -d); pg_dir=$work/pg; logs=$root/bench/results/automations-$(date -u +%Y%m%dT%H%M%SZ)-logs
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
dotnet build -c Release -nologo -v q "$root/bench/Automations/ProductEvents.Bench.Automations.csproj" >"$logs/build-bench.log" 2>&1
pg=$("$root/deploy/local/postgres.sh" start "$pg_dir" "$pg_port")

(cd "$silo_dir" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Postgres="$pg" \
  ProductEvents__Apps__bench__SecretKey="$token" Logging__LogLevel__ProductEvents.Grains.Automations.RunScheduler=Debug Orleans__SiloPort=$((http_port + 1)) Orleans__GatewayPort=$((http_port + 2)) \
  dotnet ProductEvents.Silo.dll --urls "http://127.0.0.1:$http_port") >"$logs/silo.log" 2>&1 &
silo_pid=$!
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null 2>&1 && break
  kill -0 "$silo_pid" 2>/dev/null || { tail -50 "$logs/silo.log" >&2; exit 1; }
  sleep 0.5
done

bench() { dotnet "$root/bench/Automations/bin/Release/net10.0/ProductEvents.Bench.Automations.dll" "http://127.0.0.1:$http_port" "$token" "$@" "$pg"; }
# Paced: the wait outlasts the starts by 20 s plus the measure, so every run waits when ingest is measured again.
paced_wait=$(( (runs + rate - 1) / rate + 20 + measure ))
{
  echo "## Automations, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, commit $(git -C "$root" rev-parse --short HEAD)"
  echo
  if [[ " $modes " == *" paced "* ]]; then
    echo "### $runs runs started at $rate/s, each waiting ${paced_wait} s"
    echo
    bench "$runs" "$paced_wait" "$measure" "$conc" "$rate" || echo "(not every webhook arrived in time)"
    echo
  fi
  if [[ " $modes " == *" burst "* ]]; then
    echo "### $runs runs started at once, each waiting ${wait_s} s"
    echo
    bench "$runs" "$wait_s" "$measure" "$conc" 0 || echo "(not every webhook arrived in time)"
  fi
} | tee "$logs/table.md"
