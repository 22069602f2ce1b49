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
operator_key=bench-operator-key-quota
stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=$root/bench/results
mkdir -p "$results"
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
  cp "$pg_dir/silo.log" "$results/quota-$stamp-silo.log" 2>/dev/null || true
  "$root/deploy/local/postgres.sh" stop "$pg_dir" 2>/dev/null || true
  rm -rf "$pg_dir"
}
trap cleanup EXIT
pg=$("$root/deploy/local/postgres.sh" start "$pg_dir" "$pg_port")

log "starting the silo (app A: $a_quota events/s, burst $a_quota; app B: no quota)"
(cd "$silo_dir" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Postgres="$pg" \
  ProductEvents__Apps__a__SecretKey=a-secret ProductEvents__Apps__b__SecretKey=b-secret \
  ProductEvents__Quotas__Apps__a__EventsPerSecond="$a_quota" ProductEvents__Quotas__Apps__a__Burst="$a_quota" \
  ProductEvents__Operator__Key="$operator_key" \
  Orleans__SiloPort="$silo_port" Orleans__GatewayPort="$gateway_port" Logging__LogLevel__Default=Warning \
  dotnet ProductEvents.Silo.dll --urls "$url") >"$pg_dir/silo.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 240); do curl -sf "$url/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -sf "$url/health/ready" >/dev/null || { cat "$pg_dir/silo.log" >&2; exit 1; }

wrk_b() { BENCH_RATE=$b_rate BENCH_RATE_CONNECTIONS=$b_conns BENCH_TOKEN=b-secret BENCH_PRODUCTS=10000 BENCH_CONTACTS=100000 wrk -t1 -c"$b_conns" -d"$1" --timeout 30s -s bench/wrk/events.lua "$url" | grep '^BENCH '; }
wrk_a() { BENCH_RATE=$((a_quota * a_times / 100)) BENCH_RATE_CONNECTIONS=$a_conns BENCH_TOKEN=a-secret BENCH_PATH=/api/v1/product-events/batch BENCH_BATCH=100 wrk -t1 -c"$a_conns" -d"$1" --timeout 30s -s bench/wrk/events.lua "$url" | grep '^BENCH '; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
scrape() { curl -sf -H "Authorization: Bearer $operator_key" "$url/metrics" || true; }
# What the silo did between two scrapes: gen0/1/2 collections, seconds paused by the GC, group commits and those over
# 50 ms, the longest bucket a commit reached, and the mean events per commit.
between() { # before-file after-file
  awk '
    function add(key, v, sign) { sums[key] += sign * v }
    # A sample: name{labels} value [timestamp]
    function value(  v, parts) { v = $0; if (index(v, "}")) sub(/.*\}/, "", v); else sub(/^[^ ]*/, "", v); split(v, parts, " "); return parts[1] + 0 }
    FNR == 1 { sign = (FILENAME == ARGV[1]) ? -1 : 1 }
    /^dotnet_gc_collections_total\{/ { g = $0; sub(/.*gc_heap_generation="/, "", g); sub(/".*/, "", g); add("gc_" g, value(), sign) }
    /^dotnet_gc_pause_time_seconds_total/ { add("pause", value(), sign) }
    /^productevents_ingest_commit_duration_seconds_count/ { add("commits", value(), sign) }
    /^productevents_ingest_commit_duration_seconds_bucket\{/ && /le="0.05"/ { add("fast", value(), sign) }
    /^productevents_ingest_commit_duration_seconds_bucket\{/ { le = $0; sub(/.*le="/, "", le); sub(/".*/, "", le); b[le] += sign * value() }
    /^productevents_ingest_commit_events_sum/ { add("events", value(), sign) }
    END {
      worst = "-"; prev = 0
      n = split("0.0005 0.001 0.0025 0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2.5 5 10 30 60", les, " ")
      for (i = 1; i <= n; i++) { if (b[les[i]] > prev) worst = "<= " les[i] " s"; prev = b[les[i]] }
      printf "GC gen0/gen1/gen2: %d/%d/%d, paused %.3f s; commits: %d (%d over 50 ms, the longest %s), %.0f events each\n",
        sums["gc_gen0"], sums["gc_gen1"], sums["gc_gen2"], sums["pause"], sums["commits"], sums["commits"] - sums["fast"], worst,
        (sums["commits"] > 0 ? sums["events"] / sums["commits"] : 0)
    }' "$1" "$2"
}

log "warm-up"; wrk_b 5s >/dev/null
scrape >"$pg_dir/m0.txt"
log "B alone, $duration"; alone=$(wrk_b "$duration")
scrape >"$pg_dir/m1.txt"
log "B while A floods, $duration"
wrk_a "$duration" >"$pg_dir/a.txt" & a_pid=$!
flooded=$(wrk_b "$duration")
wait "$a_pid"; a_line=$(cat "$pg_dir/a.txt")
scrape >"$pg_dir/m2.txt"

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
echo "The silo while B ran alone: $(between "$pg_dir/m0.txt" "$pg_dir/m1.txt")"
echo "The silo while A sent: $(between "$pg_dir/m1.txt" "$pg_dir/m2.txt")"
echo "The silo's log: bench/results/quota-$stamp-silo.log"
echo "B p99 while A floods ÷ B p99 alone: $(awk -v a="$(field p99_ms "$flooded")" -v b="$(field p99_ms "$alone")" 'BEGIN{printf "%.2f", a/b}') (goal ≤ 2)"
