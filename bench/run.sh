#!/usr/bin/env bash
# The ingest benchmark: plain Kestrel, naive INSERT-per-event, our single and batch ingest (10k and 1M keys) and the
# binary COPY ceiling, measured in one run against a fresh throwaway PostgreSQL. See bench/README.md.
#
#   bash bench/run.sh                  full run (10 s warm-up + 15 s measured per row)
#   BENCH_QUICK=1 bash bench/run.sh    quick try (3 s + 1 s)
#
# Knobs (environment): BENCH_DURATION, BENCH_WARMUP, BENCH_THREADS, BENCH_CONNECTIONS, BENCH_BATCH_CONNECTIONS,
# BENCH_BATCH_SIZE, BENCH_ROWS (e.g. "1 3 4"), BENCH_PG_PORT, BENCH_HTTP_PORT, BENCH_SILO_PORT, BENCH_GATEWAY_PORT,
# BENCH_NO_BUILD=1 (use the existing Release build), BENCH_AGED_MONTHS=N (a log with N past months of another app's
# events, BENCH_AGED_ROWS each, default 200,000, as a silo has after N months: the rows measure against it).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  duration=${BENCH_DURATION:-3s}; warmup=${BENCH_WARMUP:-1s}
else
  duration=${BENCH_DURATION:-15s}; warmup=${BENCH_WARMUP:-10s}
fi
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-64}
batch_connections=${BENCH_BATCH_CONNECTIONS:-16}
batch_size=${BENCH_BATCH_SIZE:-1000}
rows_wanted=${BENCH_ROWS:-1 2 3 4 5 6}
pg_port=${BENCH_PG_PORT:-55433}
http_port=${BENCH_HTTP_PORT:-5180}
silo_port=${BENCH_SILO_PORT:-21111}
gateway_port=${BENCH_GATEWAY_PORT:-31000}
token=bench-secret
url=http://127.0.0.1:$http_port

stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=$root/bench/results
logs=$results/$stamp-logs
mkdir -p "$logs"
report=$results/$stamp.md

source "$root/bench/server-build.sh"
baselines_dir=$root/bench/Baselines/bin/Release/net10.0

log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }
want() { [[ " $rows_wanted " == *" $1 "* ]]; }
seconds_of() { local d=$1; case $d in *m) echo $(( ${d%m} * 60 ));; *s) echo "${d%s}";; *) echo "$d";; esac; }

# --- tools -----------------------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    log "installing wrk"
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else
    echo "wrk is missing: apt-get install -y wrk" >&2; exit 1
  fi
fi
for tool in psql curl dotnet; do
  command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  log "building Release"
  publish_server src/Silo "$silo_dir" "$logs/build-silo.log"
  dotnet build -c Release -nologo -v q bench/Baselines/ProductEvents.Bench.Baselines.csproj >"$logs/build-baselines.log" 2>&1 \
    || { cat "$logs/build-baselines.log" >&2; exit 1; }
fi

# --- a fresh PostgreSQL ------------------------------------------------------------------------------------------
pg_dir=$(mktemp -d /tmp/bench-pg.XXXXXX)
# Other work on the machine may hold the port: take the next free one.
while ss -ltn 2>/dev/null | grep -q "127.0.0.1:$pg_port "; do pg_port=$((pg_port + 1)); done
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  "$root/deploy/local/postgres.sh" stop "$pg_dir" 2>/dev/null || true
  rm -rf "$pg_dir"
}
trap cleanup EXIT
log "starting PostgreSQL in $pg_dir on port $pg_port"
pg=$("$root/deploy/local/postgres.sh" start "$pg_dir" "$pg_port")
sql() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 "$@"; }

# --- servers -----------------------------------------------------------------------------------------------------
# Each row gets a fresh server process, so peak RSS (VmHWM) and grain activations are that row's own.
start_server() { # kind logname [env...]
  local kind=$1 name=$2; shift 2
  if [ "$kind" = silo ]; then
    (cd "$silo_dir" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Postgres="$pg" \
      ProductEvents__Apps__bench__SecretKey=$token Orleans__SiloPort="$silo_port" Orleans__GatewayPort="$gateway_port" "$@" \
      dotnet ProductEvents.Silo.dll --urls "$url") >"$logs/$name.log" 2>&1 &
  else
    (cd "$baselines_dir" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Postgres="$pg" "$@" \
      dotnet ProductEvents.Bench.Baselines.dll --urls "$url") >"$logs/$name.log" 2>&1 &
  fi
  server_pid=$!
  sleep 0.2
  [ "$(cat "/proc/$server_pid/comm" 2>/dev/null)" = dotnet ] || { echo "server pid $server_pid is not the dotnet process" >&2; exit 1; }
  local probe=$url/health/ready; [ "$kind" = silo ] || probe=$url/plain
  for _ in $(seq 1 240); do
    if [ "$kind" = silo ]; then curl -sf "$probe" >/dev/null 2>&1 && return 0
    else [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$probe" 2>/dev/null)" = 202 ] && return 0; fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$logs/$name.log" >&2; echo "server $name exited" >&2; exit 1; }
    sleep 0.5
  done
  echo "server $name not ready after 120 s" >&2; exit 1
}
stop_server() {
  kill "$server_pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# PostgreSQL's CPU: its postmaster and every process it started (backends, WAL writer, checkpointer...), summed.
pg_ticks() {
  local postmaster; postmaster=$(head -1 "$pg_dir/postmaster.pid")
  local t=0 p; for p in "$postmaster" $(pgrep -P "$postmaster"); do t=$((t + $(cpu_ticks "$p" 2>/dev/null || echo 0))); done; echo "$t"
}

# --- schema ------------------------------------------------------------------------------------------------------
# Once the silo runs the migrations itself, starting it creates the schema; until then the SQL files are applied here.
log "preparing the schema"
start_server silo schema
stop_server
if [ -z "$(sql -c "SELECT to_regclass('product_events')")" ]; then
  for f in deploy/sql/V*.sql; do sql -f "$f"; done
fi
sql -c "SELECT product_events_ensure_partitions(now(), 3)" >/dev/null
aged_parts=
if [ -n "${BENCH_AGED_MONTHS:-}" ]; then
  # Another app's events, one every 10 s of each past month (so the newest ones are not all "recent" to the segment
  # recovery at start-up); kept across rows, whose truncations empty only the current and coming months.
  log "aging the log: $BENCH_AGED_MONTHS past months of ${BENCH_AGED_ROWS:-200000} events each"
  sql -c "SELECT product_events_ensure_partitions(now() - interval '$BENCH_AGED_MONTHS months', $BENCH_AGED_MONTHS)" >/dev/null
  for m in $(seq 1 "$BENCH_AGED_MONTHS"); do
    sql -c "INSERT INTO product_events (seq, id, app_id, product_id, event_type, user_id, occurred_at, received_at, attributes)
      SELECT -(g + $m * 10000000), gen_random_uuid(), 'aged', 'p' || (random() * 1000000)::int, 1 + (g % 16),
        'c' || (random() * 1000000)::int, date_trunc('month', now()) - interval '$m months' + g * interval '10 seconds',
        date_trunc('month', now()) - interval '$m months' + g * interval '10 seconds', '{\"price\": 1}'
      FROM generate_series(1, ${BENCH_AGED_ROWS:-200000}) g" >/dev/null
  done
  sql -c "VACUUM ANALYZE product_events" >/dev/null
  aged_parts=$(sql -c "SELECT string_agg(format('product_events_y%sm%s', to_char(d, 'YYYY'), to_char(d, 'MM')), ', ')
    FROM generate_series(date_trunc('month', now() AT TIME ZONE 'UTC'), date_trunc('month', now() AT TIME ZONE 'UTC') + interval '2 months', interval '1 month') d")
fi
truncate_all() {
  local tables="${aged_parts:-product_events}, product_event_ids"
  # Grain snapshots too, once durable grain storage is in the schema: every row starts with cold grains.
  [ -n "$(sql -c "SELECT to_regclass('orleans_storage')")" ] && tables="$tables, orleans_storage"
  # And the keys the log holds entries for: an emptied log holds none.
  [ -n "$(sql -c "SELECT to_regclass('log_key_hashes')")" ] && tables="$tables, log_key_hashes"
  sql -c "TRUNCATE $tables" -c "CHECKPOINT"
}

# --- measuring ---------------------------------------------------------------------------------------------------
declare -A rps eps p50 p99 rss cpu pg_cpu wrk_cpu us_per_event non2xx errs conns pg_conns logged
run_wrk() { # conns duration path batch products contacts
  BENCH_PATH=$3 BENCH_BATCH=$4 BENCH_PRODUCTS=$5 BENCH_CONTACTS=$6 BENCH_TOKEN=$token \
    wrk -t"$threads" -c"$1" -d"$2" --timeout 30s -s bench/wrk/events.lua "$url" | grep '^BENCH '
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

http_row() { # row kind path batch products contacts conns [env...]
  local row=$1 kind=$2 path=$3 batch=$4 products=$5 contacts=$6 c=$7; shift 7
  log "row $row: $kind $path (batch $batch, $products products, $contacts contacts, -c$c)"
  truncate_all
  start_server "$kind" "row$row-$kind" "$@"
  run_wrk "$c" "$warmup" "$path" "$batch" "$products" "$contacts" >"$logs/row$row-warmup.txt"
  truncate_all
  local before; before=$(cpu_ticks "$server_pid")
  local pg_before; pg_before=$(pg_ticks)
  local wrk_times="$logs/row$row-wrk-cpu.txt"
  { TIMEFORMAT='%U %S'; time run_wrk "$c" "$duration" "$path" "$batch" "$products" "$contacts" >"$logs/row$row-measured.txt"; } 2>"$wrk_times"
  local after; after=$(cpu_ticks "$server_pid")
  local pg_after; pg_after=$(pg_ticks)
  local line; line=$(cat "$logs/row$row-measured.txt")
  local n s bad; n=$(field requests "$line"); s=$(field seconds "$line"); bad=$(field non2xx "$line")
  local per=$(( batch > 0 ? batch : 1 ))
  rps[$row]=$(awk -v n="$n" -v s="$s" 'BEGIN{r = n/s; printf (r < 100 ? "%.1f" : "%.0f"), r}')
  eps[$row]=$(awk -v n="$n" -v b="$bad" -v s="$s" -v p="$per" 'BEGIN{printf "%.0f", (n-b)*p/s}')
  p50[$row]=$(field p50_ms "$line"); p99[$row]=$(field p99_ms "$line")
  non2xx[$row]=$bad; errs[$row]=$(field errors "$line"); conns[$row]=$c
  local hz; hz=$(getconf CLK_TCK)
  cpu[$row]=$(awk -v t=$((after - before)) -v hz="$hz" -v s="$s" 'BEGIN{printf "%.2f", t/hz/s}')
  pg_cpu[$row]=$(awk -v t=$((pg_after - pg_before)) -v hz="$hz" -v s="$s" 'BEGIN{printf "%.2f", t/hz/s}')
  wrk_cpu[$row]=$(awk -v s="$s" '{printf "%.2f", ($1 + $2)/s}' "$wrk_times")
  # The whole machine's CPU per event answered: server, PostgreSQL and the load generator together.
  us_per_event[$row]=$(awk -v a="${cpu[$row]}" -v b="${pg_cpu[$row]}" -v c="${wrk_cpu[$row]}" -v e="$(awk -v n="$n" -v b="$bad" -v s="$s" -v p="$per" 'BEGIN{print (n-b)*p/s}')" \
    'BEGIN{ if (e > 0) printf "%.0f", (a+b+c)*1e6/e; else print "-" }')
  rss[$row]=$(awk '/VmHWM/{printf "%.0f", $2/1024}' "/proc/$server_pid/status")
  if [ "$kind" = silo ]; then
    rows_in_log=$(sql -c "SELECT count(*) FROM product_events WHERE seq > 0")
    echo "rows in product_events after measured run: $rows_in_log" >>"$logs/row$row-measured.txt"
    pg_conns[$row]=$(sql -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
    logged[$row]=$(awk -v n="$rows_in_log" -v s="$s" 'BEGIN{printf "%.0f", n/s}')
  fi
  stop_server
  log "row $row: ${rps[$row]} req/s, ${eps[$row]} events/s, p50 ${p50[$row]} ms, p99 ${p99[$row]} ms, RSS ${rss[$row]} MB, non-2xx ${non2xx[$row]}"
}

want 1 && http_row 1 baselines /plain 0 10000 100000 "$connections"
want 2 && http_row 2 baselines /naive 0 10000 100000 "$connections"
want 3 && http_row 3 silo /api/v1/product-events 0 10000 100000 "$connections"
want 4 && http_row 4 silo /api/v1/product-events/batch "$batch_size" 10000 100000 "$batch_connections"
want 5 && http_row 5 silo /api/v1/product-events 0 1000000 1000000 "$connections"
if want 6; then
  log "row 6: binary COPY in $batch_size-row batches"
  truncate_all
  dotnet "$baselines_dir/ProductEvents.Bench.Baselines.dll" copy-ceiling "$pg" "$(seconds_of "$warmup")" "$batch_size" 10000 100000 >"$logs/row6-warmup.txt"
  truncate_all
  line=$(dotnet "$baselines_dir/ProductEvents.Bench.Baselines.dll" copy-ceiling "$pg" "$(seconds_of "$duration")" "$batch_size" 10000 100000)
  echo "$line" >"$logs/row6-measured.txt"
  eps[6]=$(field rows_per_s "$line"); p50[6]=$(field batch_p50_ms "$line"); p99[6]=$(field batch_p99_ms "$line")
  rps[6]=$(awk -v e="${eps[6]}" -v b="$batch_size" 'BEGIN{printf "%.0f", e/b}')
  log "row 6: ${eps[6]} rows/s"
fi

# --- report ------------------------------------------------------------------------------------------------------
v() { local x=${1:-}; echo "${x:--}"; }
ratio() { awk -v a="${1:-}" -v b="${2:-}" -v g="$3" 'BEGIN{ if (a == "" || b == "" || b == 0) { print "-"; exit } r = a/b; printf "%.2f (goal ≥ %s: %s)", r, g, (r >= g ? "met" : "not met") }'; }
{
  echo "# Ingest benchmark, $stamp"
  echo
  echo "Commit $(git rev-parse --short HEAD) ($(git rev-parse --abbrev-ref HEAD)); $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM;" \
    "wrk -t$threads, -c$connections (batch row -c$batch_connections), ${warmup} warm-up + ${duration} measured per row; PostgreSQL 15, fresh instance, tables truncated before each warm-up and each measured run."
  echo
  echo "| # | scenario | requests/s | events/s | log rows/s | p50 ms | p99 ms | server peak RSS MB | server CPU (cores) | PostgreSQL CPU (cores) | wrk CPU (cores) | CPU µs per event (all three) | non-2xx | PostgreSQL connections |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  names=([1]="plain Kestrel POST, 202, does nothing" [2]="naive: INSERT per event, autocommit" [3]="ours: single event, durable, 10k products / 100k contacts"
         [4]="ours: batch of $batch_size, durable (-c$batch_connections)" [5]="ours: single event, 1M products / 1M contacts" [6]="storage ceiling: binary COPY, $batch_size-row batches (rows/s; latency per batch)")
  for r in 1 2 3 4 5 6; do
    want $r || continue
    echo "| $r | ${names[$r]} | $(v "${rps[$r]:-}") | $(v "${eps[$r]:-}") | $(v "${logged[$r]:-}") | $(v "${p50[$r]:-}") | $(v "${p99[$r]:-}") | $(v "${rss[$r]:-}") | $(v "${cpu[$r]:-}") | $(v "${pg_cpu[$r]:-}") | $(v "${wrk_cpu[$r]:-}") | $(v "${us_per_event[$r]:-}") | $(v "${non2xx[$r]:-}") | $(v "${pg_conns[$r]:-}") |"
  done
  echo
  echo "| goal | measured |"
  echo "|---|---|"
  echo "| ours / plain, requests/s (row 3 ÷ row 1) | $(ratio "${rps[3]:-}" "${rps[1]:-}" 0.5) |"
  echo "| ours / naive, requests/s (row 3 ÷ row 2) | $(ratio "${rps[3]:-}" "${rps[2]:-}" 5) |"
  echo "| batch events/s ÷ COPY rows/s (row 4 ÷ row 6) | $(ratio "${eps[4]:-}" "${eps[6]:-}" 0.5) |"
  echo "| 1M keys / 10k keys, requests/s (row 5 ÷ row 3) | $(ratio "${rps[5]:-}" "${rps[3]:-}" 0.8) |"
  echo
  echo "The load generator (wrk, 2 threads), the server and PostgreSQL share the same $(nproc) cores: every row is"
  echo "bounded by that sharing, and other work on the machine adds noise. \"server CPU\" is the server process's CPU"
  echo "time divided by the measured seconds, \"PostgreSQL CPU\" that of the PostgreSQL instance's processes and \"wrk CPU\""
  echo "that of the load generator; \"CPU µs per event\" is the three together per 2xx event: $(nproc) cores divided by it is"
  echo "the most events/s the machine could carry at that cost. \"PostgreSQL connections\" counts client backends open after the run"
  echo "(the pools the server kept). \"log rows/s\" counts the rows our server committed to product_events during the"
  echo "measured run: an answer arriving after the run ends is not counted, so it may exceed events/s."
  echo "events/s counts only 2xx answers received within the run. The bench's PostgreSQL allows 600 connections. Logs and raw wrk lines: bench/results/$stamp-logs/."
} | tee "$report"
log "saved $report"
