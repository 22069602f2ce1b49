#!/usr/bin/env bash
# Quota fairness: app B sends at its normal pace (BENCH_B_RATE single events/s on a few connections) once alone and
# once while app A floods at BENCH_A_TIMES (10) times its quota (batches of 100 from many connections; 0: as fast as
# the answers come back). B should see no 429 and a p99 within 2x of its run alone; A should be held to its quota.
# One silo, durable, a fresh throwaway PostgreSQL.
#
#   bash bench/quota.sh                 (15 s per run; BENCH_DURATION=30s for longer)
#   BENCH_NO_BUILD=1 bash bench/quota.sh
#
# Knobs: BENCH_DURATION, BENCH_A_QUOTA (A's events/s, default 2000), BENCH_A_TIMES (10), BENCH_A_CONNECTIONS (default 32),
# BENCH_B_RATE (requests/s, default 200), BENCH_B_CONNECTIONS (default 4), BENCH_PG_PORT, BENCH_HTTP_PORT, BENCH_SILO_PORT, BENCH_GATEWAY_PORT.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
duration=${BENCH_DURATION:-15s}
a_quota=${BENCH_A_QUOTA:-2000}
a_times=${BENCH_A_TIMES:-10}
a_conns=${BENCH_A_CONNECTIONS:-32}
b_rate=${BENCH_B_RATE:-200}
b_conns=${BENCH_B_CONNECTIONS:-4}
pg_port=${BENCH_PG_PORT:-55533}
http_port=${BENCH_HTTP_PORT:-5280}
silo_port=${BENCH_SILO_PORT:-22111}
gateway_port=${BENCH_GATEWAY_PORT:-32100}
url=http://127.0.0.1:$http_port
source "$root/bench/server-build.sh"
log() { echo "[quota $(date -u +%H:%M:%S)] $*" >&2; }

command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y wrk >/dev/null 2>&1; } || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  log "building Release"
  publish_server src/Silo "$silo_dir" "$(mktemp /tmp/quota-build.XXXXXX)"
fi

pg_dir=$(mktemp -d /tmp/quota-pg.XXXXXX)
while ss -ltn 2>/dev/null | grep -q "127.0.0.1:$pg_port "; do pg_port=$((pg_port + 1)); done
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  "$root/deploy/local/postgres.sh" stop "$pg_dir" 2>/dev/null || true
  rm -rf "$pg_dir"
}
trap cleanup EXIT
pg=$("$root/deploy/local/postgres.sh" start "$pg_dir" "$pg_port")

log "starting the silo (app A: $a_quota events/s, burst $a_quota; app B: no quota)"
(cd "$silo_dir" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Postgres="$pg" \
  ProductEvents__Apps__a__SecretKey=a-secret ProductEvents__Apps__b__SecretKey=b-secret \
  ProductEvents__Quotas__Apps__a__EventsPerSecond="$a_quota" ProductEvents__Quotas__Apps__a__Burst="$a_quota" \
  Orleans__SiloPort="$silo_port" Orleans__GatewayPort="$gateway_port" Logging__LogLevel__Default=Warning \
  dotnet ProductEvents.Silo.dll --urls "$url") >"$pg_dir/silo.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 240); do curl -sf "$url/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -sf "$url/health/ready" >/dev/null || { cat "$pg_dir/silo.log" >&2; exit 1; }

wrk_b() { BENCH_RATE=$b_rate BENCH_RATE_CONNECTIONS=$b_conns BENCH_TOKEN=b-secret BENCH_PRODUCTS=10000 BENCH_CONTACTS=100000 wrk -t1 -c"$b_conns" -d"$1" --timeout 30s -s bench/wrk/events.lua "$url" | grep '^BENCH '; }
wrk_a() { BENCH_RATE=$((a_quota * a_times / 100)) BENCH_RATE_CONNECTIONS=$a_conns BENCH_TOKEN=a-secret BENCH_PATH=/api/v1/product-events/batch BENCH_BATCH=100 wrk -t1 -c"$a_conns" -d"$1" --timeout 30s -s bench/wrk/events.lua "$url" | grep '^BENCH '; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

log "warm-up"; wrk_b 5s >/dev/null
log "B alone, $duration"; alone=$(wrk_b "$duration")
log "B while A floods, $duration"
wrk_a "$duration" >"$pg_dir/a.txt" & a_pid=$!
flooded=$(wrk_b "$duration")
wait "$a_pid"; a_line=$(cat "$pg_dir/a.txt")

a_requests=$(field requests "$a_line"); a_non2xx=$(field non2xx "$a_line"); a_seconds=$(field seconds "$a_line")
a_taken=$(awk -v r="$a_requests" -v n="$a_non2xx" -v s="$a_seconds" 'BEGIN{printf "%.0f", (r - n) * 100 / s}')
a_sent=$(awk -v r="$a_requests" -v s="$a_seconds" 'BEGIN{printf "%.0f", r * 100 / s}')
echo
echo "| run | B requests/s | B p50 ms | B p99 ms | B non-2xx |"
echo "|---|---|---|---|---|"
for run in alone flooded; do
  line=${!run}
  echo "| B $run | $(awk -v r="$(field requests "$line")" -v s="$(field seconds "$line")" 'BEGIN{printf "%.0f", r/s}') | $(field p50_ms "$line") | $(field p99_ms "$line") | $(field non2xx "$line") |"
done
echo
echo "A sent $a_sent events/s in batches of 100 against a quota of $a_quota events/s; $a_taken events/s were taken, the rest answered 429."
echo "B p99 while A floods ÷ B p99 alone: $(awk -v a="$(field p99_ms "$flooded")" -v b="$(field p99_ms "$alone")" 'BEGIN{printf "%.2f", a/b}') (goal ≤ 2)"
