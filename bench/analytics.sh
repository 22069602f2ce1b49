#!/usr/bin/env bash
# The analytics benchmark: a fresh throwaway PostgreSQL is filled with one app's event log (10,000,000 events of
# 1,000,000 contacts and 20,000 products over the last 30 days by default), the silo starts on it, its analytics index
# loads the app's events (time and RSS reported), then each query kind of the analytics API is asked sequentially and
# its p50/p99/max latency reported. See bench/README.md ("Analytics benchmark").
#
#   bash bench/analytics.sh                                     full run (about 15 minutes on 2 cores)
#   BENCH_ANALYTICS_EVENTS=200000 BENCH_ANALYTICS_CONTACTS=20000 bash bench/analytics.sh   a quick try
#
# Knobs (environment): BENCH_ANALYTICS_EVENTS (10000000), BENCH_ANALYTICS_CONTACTS (1000000),
# BENCH_ANALYTICS_PRODUCTS (20000), BENCH_ANALYTICS_DAYS (30, the span of the events before now),
# BENCH_ANALYTICS_REQUESTS (50 measured per kind), BENCH_ANALYTICS_WARMUP (20 per kind, unmeasured: .NET recompiles a
# method fully optimised after about 30 calls), BENCH_ANALYTICS_LOAD_JOBS (2 psql connections loading chunks in
# parallel), BENCH_ANALYTICS_CHUNK (1000000 events per INSERT), BENCH_ANALYTICS_LOAD_TIMEOUT (1800 s for the index to
# load), BENCH_PG_PORT, BENCH_HTTP_PORT, BENCH_SILO_PORT, BENCH_GATEWAY_PORT (the next free port is taken when busy),
# BENCH_NO_BUILD=1 (use the silo of the last publish in bench/.publish/silo).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

events=${BENCH_ANALYTICS_EVENTS:-10000000}
contacts=${BENCH_ANALYTICS_CONTACTS:-1000000}
products=${BENCH_ANALYTICS_PRODUCTS:-20000}
days=${BENCH_ANALYTICS_DAYS:-30}
requests=${BENCH_ANALYTICS_REQUESTS:-50}
warmup=${BENCH_ANALYTICS_WARMUP:-20}
load_jobs=${BENCH_ANALYTICS_LOAD_JOBS:-2}
chunk=${BENCH_ANALYTICS_CHUNK:-1000000}
load_timeout=${BENCH_ANALYTICS_LOAD_TIMEOUT:-1800}
pg_port=${BENCH_PG_PORT:-55643}
http_port=${BENCH_HTTP_PORT:-5340}
silo_port=${BENCH_SILO_PORT:-22161}
gateway_port=${BENCH_GATEWAY_PORT:-32160}
app=bench
token=bench-secret

stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=$root/bench/results
logs=$results/analytics-$stamp-logs
mkdir -p "$logs"
report=$results/analytics-$stamp.md

source "$root/bench/server-build.sh"
# What is built: the commit, and whether src/ differs from it (others may be editing it while this runs).
built_from="$(git rev-parse --short HEAD) ($(git rev-parse --abbrev-ref HEAD)$(git diff --quiet HEAD -- src 2>/dev/null || echo ", src/ with uncommitted changes"))"
[ "${BENCH_NO_BUILD:-0}" = 1 ] && built_from="the last publish in bench/.publish/silo (BENCH_NO_BUILD=1; the tree is at $built_from)"

log() { echo "[analytics $(date -u +%H:%M:%S)] $*" >&2; }
for tool in psql curl dotnet python3 awk sort ss; do
  command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done
for n in "$events" "$contacts" "$products" "$days" "$requests" "$warmup" "$load_jobs" "$chunk"; do
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -gt 0 ] || { echo "the sizes and counts must be whole numbers above 0 (got '$n')" >&2; exit 1; }
done

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  log "building Release"
  publish_server src/Silo "$silo_dir" "$logs/build-silo.log"
fi

# --- a fresh PostgreSQL ------------------------------------------------------------------------------------------
pg_dir=$(mktemp -d /tmp/bench-analytics-pg.XXXXXX)
# Other work on the machine may hold the ports: take the next free ones.
port_busy() { ss -ltnH 2>/dev/null | awk '{print $4}' | grep -q ":$1\$"; }
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
  (cd "$silo_dir" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Postgres="$pg" \
    ProductEvents__Apps__${app}__SecretKey=$token Orleans__SiloPort="$silo_port" Orleans__GatewayPort="$gateway_port" \
    dotnet ProductEvents.Silo.dll --urls "$url") >"$logs/$1.log" 2>&1 &
  silo_pid=$!
  sleep 0.2
  [ "$(cat "/proc/$silo_pid/comm" 2>/dev/null)" = dotnet ] || { echo "silo pid $silo_pid is not the dotnet process" >&2; exit 1; }
  for _ in $(seq 1 240); do
    # Ready only when this silo holds the port: another server that took it after the check above would answer too.
    if ss -ltnpH "sport = :$http_port" 2>/dev/null | grep -q "pid=$silo_pid,"; then
      curl -sf "$url/health/ready" >/dev/null 2>&1 && return 0
    fi
    kill -0 "$silo_pid" 2>/dev/null || { tail -50 "$logs/$1.log" >&2; echo "silo exited" >&2; exit 1; }
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
mb_of() { awk -v k="$1:" '$1 == k {printf "%.0f", $2/1024}' "/proc/$silo_pid/status"; }

# --- schema and data ---------------------------------------------------------------------------------------------
log "applying the schema (silo migrate)"
(cd "$silo_dir" && dotnet ProductEvents.Silo.dll migrate "--ConnectionStrings:Postgres=$pg") >"$logs/migrate.log" 2>&1 \
  || { cat "$logs/migrate.log" >&2; exit 1; }
sql -c "\d product_events" >"$logs/product_events-table.txt"

# The events span [now - days, now): their months' partitions first.
now_s=$(date +%s)
t0=$((now_s - days * 86400))
sessions=$(( (events + 511) / 512 * 64 ))  # see bench/analytics/events.sql
step=$(awk -v d="$days" -v n="$events" 'BEGIN{printf "%.9f", d * 86400 / n}')
sql -c "SELECT product_events_ensure_partitions(to_timestamp($t0) - interval '1 day', $(( days / 28 + 3 )))" >/dev/null

log "loading $events events of $contacts contacts and $products products over $days days ($load_jobs psql connections, $chunk events per INSERT)"
load_started=$(date +%s.%N)
sql -v products="$products" -f bench/analytics/products.sql >/dev/null 2>"$logs/load-products.log"
# The secondary indexes of the log are dropped for the load and built again afterwards with their own definitions (a
# build from sorted rows is several times faster than 10M inserts into five indexes); the primary key stays.
sql -c "SELECT replace(indexdef, ' ON ONLY ', ' ON ') || ';' FROM pg_indexes
        WHERE schemaname = 'public' AND tablename = 'product_events' AND indexname <> 'product_events_pkey'" >"$logs/indexes.sql"
index_names=$(sql -c "SELECT string_agg(indexname, ', ') FROM pg_indexes
                      WHERE schemaname = 'public' AND tablename = 'product_events' AND indexname <> 'product_events_pkey'")
[ -n "$index_names" ] && sql -c "DROP INDEX $index_names"
load_chunk() { # from to
  sql -v app="$app" -v events="$events" -v sessions="$sessions" -v contacts="$contacts" -v products="$products" \
    -v from_g="$1" -v to_g="$2" -v t0="$t0" -v step="$step" -f bench/analytics/events.sql
}
running=0
for ((from = 1; from <= events; from += chunk)); do
  to=$((from + chunk - 1)); [ "$to" -gt "$events" ] && to=$events
  load_chunk "$from" "$to" &
  running=$((running + 1))
  if [ "$running" -ge "$load_jobs" ]; then wait -n || { echo "a load chunk failed" >&2; exit 1; }; running=$((running - 1)); fi
done
while [ "$running" -gt 0 ]; do wait -n || { echo "a load chunk failed" >&2; exit 1; }; running=$((running - 1)); done
rows_loaded=$(date +%s.%N)
log "rows inserted in $(awk -v a="$load_started" -v b="$rows_loaded" 'BEGIN{printf "%.0f", b - a}') s; building the indexes"
sql -c "SET maintenance_work_mem = '1GB'" -f "$logs/indexes.sql"
indexes_built=$(date +%s.%N)
# What a log written by the silo would hold besides the rows: the sequence past the newest position (a later commit
# draws higher ones), the writer's applied_through at the newest position (so the silo does not apply 10M entries to
# the grains again when it takes over the writing), and the keys' hashes (so a later event of these keys is not taken
# for a new key's). Then the statistics and the visibility map, as autovacuum would leave them.
sql -c "SELECT setval('product_events_seq', $events)" \
    -c "UPDATE log_writer SET applied_through = $events WHERE id = 1" \
    -c "INSERT INTO log_key_hashes (key_hash, app_id)
        SELECT log_key_hash('$app', 'p', product_id), '$app' FROM bench_analytics_products
        UNION ALL SELECT log_key_hash('$app', 'u', 'u' || c), '$app' FROM generate_series(1, $contacts) c
        ON CONFLICT DO NOTHING" \
    -c "DROP TABLE bench_analytics_products" >/dev/null
sql -c "VACUUM ANALYZE product_events" -c "CHECKPOINT"
load_done=$(date +%s.%N)
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.0f", b - a}'; }
insert_s=$(secs "$load_started" "$rows_loaded"); indexes_s=$(secs "$rows_loaded" "$indexes_built"); finish_s=$(secs "$indexes_built" "$load_done")
load_s=$(secs "$load_started" "$load_done")
rows_in_log=$(sql -c "SELECT count(*) FROM product_events")
log_size=$(sql -c "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                   WHERE i.inhparent = 'product_events'::regclass")
sql -c "SELECT event_type, count(*) FROM product_events GROUP BY 1 ORDER BY 1" >"$logs/events-by-type.txt"
log "data loaded in $load_s s (insert $insert_s s, indexes $indexes_s s, vacuum/analyze $finish_s s): $rows_in_log rows, $log_size"
[ "$rows_in_log" = "$events" ] || { echo "expected $events rows in the log, found $rows_in_log" >&2; exit 1; }

# --- the silo and its index ----------------------------------------------------------------------------------------
log "starting the silo"
start_silo silo
rss_before=$(mb_of VmRSS)
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
auth=(-H "Authorization: Token $token")
# The first analytics request activates the app's index, which reads the log in the background and answers 503 with
# Retry-After meanwhile: ask every half second until a 200.
log "loading the analytics index (first request)"
first_url="$url/api/v1/analytics/events?interval=hour&since=$(iso $((now_s - 86400)))&until=$(iso "$now_s")"
index_started=$(date +%s.%N)
code=$(curl -s -o "$logs/index-first.json" -D "$logs/index-first.headers" -w '%{http_code}' --max-time 60 "${auth[@]}" "$first_url" || echo 000)
first_code=$code
polls=1
while [ "$code" != 200 ]; do
  case "$code" in 503) ;; *) echo "the first analytics request answered $code:" >&2; cat "$logs/index-first.json" >&2; exit 1;; esac
  if [ "$(secs "$index_started" "$(date +%s.%N)")" -gt "$load_timeout" ]; then echo "the index did not load within $load_timeout s" >&2; exit 1; fi
  kill -0 "$silo_pid" 2>/dev/null || { tail -50 "$logs/silo.log" >&2; echo "silo exited" >&2; exit 1; }
  sleep 0.5
  code=$(curl -s -o "$logs/index-poll.json" -w '%{http_code}' --max-time 60 "${auth[@]}" "$first_url" || echo 000)
  polls=$((polls + 1))
  if [ "$code" = 503 ] && [ $((polls % 60)) = 0 ]; then
    log "still loading: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("detail",""))' "$logs/index-poll.json" 2>/dev/null || true)"
  fi
done
index_s=$(awk -v a="$index_started" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b - a}')
retry_after=$(awk 'tolower($1) == "retry-after:" {print $2}' "$logs/index-first.headers" | tr -d '\r')
rss_loaded=$(mb_of VmRSS); hwm_loaded=$(mb_of VmHWM)
loaded_line=$(sed -n "s/.*\"Message\":\"\(Analytics of app $app loaded[^\"]*\)\".*/\1/p" "$logs/silo.log" | head -1)
log "index loaded in $index_s s ($polls requests; first answer $first_code, Retry-After ${retry_after:--}); RSS $rss_loaded MB (peak $hwm_loaded MB)"
[ -n "$loaded_line" ] && log "silo: $loaded_line"

# --- measuring -----------------------------------------------------------------------------------------------------
declare -a kinds=()
declare -A k_n k_p50 k_p99 k_max k_bad k_note k_goal
percentile() { # file q  (nearest rank over the sorted times, in ms)
  sort -n "$1" | awk -v q="$2" '{v[NR] = $1} END {if (NR == 0) {print "-"; exit} r = int(q * NR); if (r < q * NR) r++; if (r < 1) r = 1; printf "%.1f", v[r]}'
}
note_of() { # kind body-file
  python3 - "$1" "$2" <<'PY' 2>/dev/null || echo "(answer not JSON)"
import json, sys
kind, path = sys.argv[1], sys.argv[2]
try:
    a = json.load(open(path))
except Exception:
    print("(answer not JSON)"); sys.exit()
if not isinstance(a, dict):
    print("(unexpected answer)"); sys.exit()
def series(a):
    s = a.get("series") or (a.get("counts") or {}).get("series") or []
    total = sum(x.get("total", 0) for x in s if isinstance(x, dict))
    buckets = len(a.get("buckets") or (a.get("counts") or {}).get("buckets") or [])
    return f"{len(s)} series, {buckets} buckets, {total:,} events"
if kind.startswith("counts") or kind.startswith("timeline"):
    print(series(a))
elif kind.startswith("top"):
    p = a.get("results") or []
    print(f"{len(p)} products; first {p[0].get('product_id')} ({p[0].get('count'):,})" if p else "0 products")
elif kind.startswith("funnel"):
    print("contacts per step " + " → ".join(f"{s.get('contacts'):,}" for s in a.get("steps") or []))
elif kind.startswith("search"):
    err = f" ± {a.get('total_error'):,}" if not a.get("total_exact") else ""
    print(f"total {a.get('total'):,}{err}, total_exact {str(a.get('total_exact')).lower()}, {len(a.get('results') or [])} on the page")
PY
}
measure() { # kind goal-ms method path-or-function [body]
  local kind=$1 goal=$2 method=$3 target=$4 body=${5:-}
  local times=$logs/times-$kind.txt codes=$logs/codes-$kind.txt answer=$logs/answer-$kind.json
  : >"$times"; : >"$codes"
  log "measuring $kind: $warmup warm-up + $requests requests"
  local i path out code t
  for ((i = 1; i <= warmup + requests; i++)); do
    if declare -F "$target" >/dev/null; then path=$("$target" "$i"); else path=$target; fi
    if [ "$method" = POST ]; then
      out=$(curl -s -o "$answer" -w '%{http_code} %{time_total}' --max-time 60 -X POST "${auth[@]}" \
        -H 'Content-Type: application/json' --data-binary "$body" "$url$path" || echo "000 0")
    else
      out=$(curl -s -o "$answer" -w '%{http_code} %{time_total}' --max-time 60 "${auth[@]}" "$url$path" || echo "000 0")
    fi
    code=${out%% *}; t=${out##* }
    [ "$code" = 200 ] || cp "$answer" "$logs/answer-$kind-non200-$i.json" 2>/dev/null || true
    [ "$i" -le "$warmup" ] && continue
    echo "$code" >>"$codes"
    awk -v t="$t" 'BEGIN{printf "%.3f\n", t * 1000}' >>"$times"
  done
  kinds+=("$kind")
  k_n[$kind]=$requests
  k_p50[$kind]=$(percentile "$times" 0.50)
  k_p99[$kind]=$(percentile "$times" 0.99)
  k_max[$kind]=$(sort -n "$times" | tail -1 | awk '{printf "%.1f", $1}')
  k_bad[$kind]=$(grep -vc '^200$' "$codes" || true)
  k_goal[$kind]=$goal
  k_note[$kind]=$(note_of "$kind" "$answer")
  log "$kind: p50 ${k_p50[$kind]} ms, p99 ${k_p99[$kind]} ms, max ${k_max[$kind]} ms, non-200 ${k_bad[$kind]}; ${k_note[$kind]}"
}

now_s=$(date +%s)
until_iso=$(iso "$now_s"); since30=$(iso $((now_s - 30 * 86400))); since7=$(iso $((now_s - 7 * 86400)))
# Products of falling popularity (p0 the most popular) for the timelines, one per request in turn.
timeline_products=()
for p in 0 3 10 42 100 500 1000 3000 8000 15000; do [ "$p" -lt "$products" ] && timeline_products+=("p$p"); done
timeline_path() { echo "/api/v1/analytics/products/${timeline_products[$(( $1 % ${#timeline_products[@]} ))]}/timeline?interval=hour&since=$since7&until=$until_iso"; }
funnel='{"steps":[{"types":["view"]},{"types":["add to cart"]},{"types":["purchase"]}],"within":"P1D","since":"'$since7'","until":"'$until_iso'"}'
funnel_same='{"steps":[{"types":["view"]},{"types":["add to cart"]},{"types":["purchase"]}],"within":"P1D","same_product":true,"since":"'$since7'","until":"'$until_iso'"}'

cpu_before=$(awk '{print $14 + $15}' "/proc/$silo_pid/stat")
measure counts-hour-30d 50 GET "/api/v1/analytics/events?interval=hour&since=$since30&until=$until_iso"
measure counts-day-category-30d - GET "/api/v1/analytics/events?interval=day&group_by=category&since=$since30&until=$until_iso"
measure timeline-hour-7d - GET timeline_path
measure top-views-7d 100 GET "/api/v1/analytics/top-products?type=view&since=$since7&until=$until_iso&limit=10"
measure top-abandoned-carts-7d 100 GET "/api/v1/analytics/top-products?type=add%20to%20cart&abandoned_within=P1D&since=$since7&until=$until_iso&limit=10"
measure funnel-3-steps-7d 500 POST /api/v1/analytics/funnels "$funnel"
measure funnel-3-steps-same-product-7d 500 POST /api/v1/analytics/funnels "$funnel_same"
measure search-purchased-7d 1000 POST "/api/v1/contacts/search?limit=100" '{"condition":{"event":{"types":["purchase"],"within":"P7D"}}}'
measure search-cart-cat-3 1000 POST "/api/v1/contacts/search?limit=100" '{"condition":{"event":{"types":["add to cart"],"product":{"category":{"eq":"cat-3"}}}}}'
cpu_after=$(awk '{print $14 + $15}' "/proc/$silo_pid/stat")
rss_end=$(mb_of VmRSS); hwm_end=$(mb_of VmHWM)
silo_cpu_s=$(awk -v t=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.0f", t/hz}')
silo_errors=$(grep -cE '"LogLevel":"(Error|Critical)"' "$logs/silo.log" || true)
silo_warnings=$(grep -c '"LogLevel":"Warning"' "$logs/silo.log" || true)
stop_silo

# --- report ------------------------------------------------------------------------------------------------------
fmt() { awk -v n="$1" 'BEGIN{s = sprintf("%d", n); r = ""; while (length(s) > 3) {r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3)} print s r}'; }
goal_text() { # kind
  local g=${k_goal[$1]}
  [ "$g" = - ] && { echo "-"; return; }
  awk -v p="${k_p99[$1]}" -v g="$g" -v bad="${k_bad[$1]}" 'BEGIN{ if (p == "-") {print "-"; exit} printf "p99 < %d ms: %s", g, (p < g && bad == 0 ? "met" : "not met") }'
}
{
  echo "# Analytics benchmark, $stamp"
  echo
  echo "Built from $built_from; $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM;" \
    "PostgreSQL 15, fresh instance; one silo (Release, ReadyToRun, durable mode)."
  echo
  echo "| data | |"
  echo "|---|---|"
  echo "| events in the log (one app) | $(fmt "$rows_in_log") over the last $days days |"
  echo "| contacts / products | $(fmt "$contacts") / $(fmt "$products") |"
  echo "| log size in PostgreSQL (tables and indexes) | $log_size |"
  echo "| data load | $load_s s (insert $insert_s s over $load_jobs connections, indexes $indexes_s s, vacuum/analyze/checkpoint $finish_s s) |"
  echo "| analytics index load (first request to first 200) | $index_s s ($polls requests; 503 with Retry-After ${retry_after:--} s meanwhile) |"
  echo "| silo's own account of it | ${loaded_line:--} |"
  echo "| silo RSS: before the load / after it / peak while loading | $rss_before MB / $rss_loaded MB / $hwm_loaded MB |"
  echo "| silo RSS after the queries (peak) | $rss_end MB ($hwm_end MB) |"
  echo "| silo CPU over the queries (warm-ups included) | $silo_cpu_s s |"
  echo "| the silo's log: errors (Error, Critical) / warnings | $silo_errors / $silo_warnings |"
  echo
  echo "$requests measured requests per kind after $warmup warm-up ones, one at a time (curl's time_total, nearest-rank percentiles)."
  echo
  echo "| query kind | requests | p50 ms | p99 ms | max ms | non-200 | goal | notes |"
  echo "|---|---:|---:|---:|---:|---:|---|---|"
  for k in "${kinds[@]}"; do
    echo "| $k | ${k_n[$k]} | ${k_p50[$k]} | ${k_p99[$k]} | ${k_max[$k]} | ${k_bad[$k]} | $(goal_text "$k") | ${k_note[$k]} |"
  done
  echo
  echo "Counts: 30 days by hour (from the per-minute counts) and by day grouped by category (walks every entry of the"
  echo "range); timeline: one product by hour over 7 days, products p0 (most popular) to p15000 in turn; top products over"
  echo "7 days, views and add-to-carts not followed by a purchase within a day; funnels view → add to cart → purchase"
  echo "within a day, entered in the last 7 days; contact searches: first page of 100. Logs, answers and per-request times:"
  echo "bench/results/analytics-$stamp-logs/."
} | tee "$report"
log "saved $report"
