#!/usr/bin/env bash
# The cluster benchmark: the same ingest load on one silo and on several silos of one cluster (the load spread over
# their HTTP ports), single events and batches, in one run against one fresh throwaway PostgreSQL. See
# bench/README.md.
#
#   bash bench/cluster.sh                  full run (90 s warm-up + 15 s measured per row)
#   BENCH_QUICK=1 bash bench/cluster.sh    quick try (1 s + 3 s)
#
# Knobs (environment): BENCH_DURATION, BENCH_WARMUP, BENCH_SILOS (3), BENCH_THREADS (3), BENCH_CONNECTIONS (64),
# BENCH_BATCH_CONNECTIONS (16), BENCH_BATCH_SIZE (1000), BENCH_PRODUCTS (10000), BENCH_CONTACTS (100000: after the
# warm-up most are active; with BENCH_WARMUP=10s most events reach a contact grain not yet active), BENCH_ROWS (e.g.
# "1 2"), BENCH_PG_PORT, BENCH_HTTP_PORT, BENCH_SILO_PORT, BENCH_GATEWAY_PORT (silo i takes each base + i),
# BENCH_IDLE_SECONDS (5), BENCH_NO_BUILD=1 (use the existing Release build).
#
# Rows 7 and 8 are not a cluster: the same silos as separate services, each with a database of its own in the same
# PostgreSQL, so nothing passes between them, each taking a third of the keys (BENCH_KEY_SHARDS of
# bench/wrk/events.lua), as each silo of a cluster holds a third of the grains: what three runtimes carry on these
# cores before a cluster adds its messages.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  duration=${BENCH_DURATION:-3s}; warmup=${BENCH_WARMUP:-1s}
else
  # 90 s: fresh runtimes keep compiling (tiered JIT) for a minute and a half under this load, three of them on these
  # two cores longer than one (decision 0019); the methods-compiled column shows how far a row is from that.
  duration=${BENCH_DURATION:-15s}; warmup=${BENCH_WARMUP:-90s}
fi
silos=${BENCH_SILOS:-3}
# The same wrk shape for every row (threads, connections), only the addresses differ. wrk gives each thread
# connections ÷ threads, so the counts are rounded down to a multiple of the threads and the table shows them.
threads=${BENCH_THREADS:-3}
connections=$(( ${BENCH_CONNECTIONS:-64} / threads * threads ))
batch_connections=$(( ${BENCH_BATCH_CONNECTIONS:-16} / threads * threads ))
batch_size=${BENCH_BATCH_SIZE:-1000}
products=${BENCH_PRODUCTS:-10000}
contacts=${BENCH_CONTACTS:-100000}
rows_wanted=${BENCH_ROWS:-1 2 3 4 5 6}
idle_seconds=${BENCH_IDLE_SECONDS:-5}
pg_port=${BENCH_PG_PORT:-55443}
http_port=${BENCH_HTTP_PORT:-5190}
silo_port=${BENCH_SILO_PORT:-21121}
gateway_port=${BENCH_GATEWAY_PORT:-31010}
token=bench-secret
operator_key=bench-operator-key-cluster

stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=$root/bench/results
logs=$results/cluster-$stamp-logs
mkdir -p "$logs"
report=$results/cluster-$stamp.md

source "$root/bench/server-build.sh"

log() { echo "[cluster $(date -u +%H:%M:%S)] $*" >&2; }
want() { [[ " $rows_wanted " == *" $1 "* ]]; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

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
for i in $(seq 0 $((silos - 1))); do
  if ss -ltn 2>/dev/null | grep -qE "127.0.0.1:($((http_port + i))|$((silo_port + i))|$((gateway_port + i))) "; then
    echo "port $((http_port + i)), $((silo_port + i)) or $((gateway_port + i)) is taken: set BENCH_HTTP_PORT, BENCH_SILO_PORT, BENCH_GATEWAY_PORT" >&2; exit 1
  fi
done

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  log "building Release"
  publish_server src/Silo "$silo_dir" "$logs/build-silo.log"
  publish_server src/FrontDoor "$front_door_dir" "$logs/build-front-door.log"
fi

# --- a fresh PostgreSQL ------------------------------------------------------------------------------------------
pg_dir=$(mktemp -d /tmp/bench-cluster-pg.XXXXXX)
while ss -ltn 2>/dev/null | grep -q "127.0.0.1:$pg_port "; do pg_port=$((pg_port + 1)); done
pids=()
stop_silos() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
cleanup() {
  stop_silos
  "$root/deploy/local/postgres.sh" stop "$pg_dir" 2>/dev/null || true
  rm -rf "$pg_dir"
}
trap cleanup EXIT
log "starting PostgreSQL in $pg_dir on port $pg_port"
pg=$("$root/deploy/local/postgres.sh" start "$pg_dir" "$pg_port")
sql() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d "${sql_db:-postgres}" -qAt -v ON_ERROR_STOP=1 "$@"; }
# The databases of the running row: one for a cluster, one per silo for separate services (rows 7 and 8).
dbs=(postgres)

# --- silos -------------------------------------------------------------------------------------------------------
# Silo i listens on http_port + i, silo_port + i and gateway_port + i; they form one cluster through the membership
# table in the same PostgreSQL (the default ServiceId and ClusterId). Each row starts fresh processes, so every row
# begins with cold grains and a new log writer.
start_silos() { # count logname
  local count=$1 name=$2 i pid
  for i in $(seq 0 $((count - 1))); do
    local conn=$pg
    [ "${#dbs[@]}" -gt 1 ] && conn=${pg/Database=postgres/Database=${dbs[$i]}}
    (cd "$silo_dir" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Postgres="$conn" \
      ProductEvents__Apps__bench__SecretKey=$token ProductEvents__Operator__Key=$operator_key \
      Orleans__SiloPort=$((silo_port + i)) Orleans__GatewayPort=$((gateway_port + i)) \
      dotnet ProductEvents.Silo.dll --urls "http://127.0.0.1:$((http_port + i))") >"$logs/$name-silo$i.log" 2>&1 &
    pids+=($!)
  done
  sleep 0.2
  for pid in "${pids[@]}"; do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dotnet ] || { echo "silo pid $pid is not the dotnet process" >&2; exit 1; }
  done
  for i in $(seq 0 $((count - 1))); do
    local ready=
    for _ in $(seq 1 240); do
      curl -sf "http://127.0.0.1:$((http_port + i))/health/ready" >/dev/null 2>&1 && { ready=1; break; }
      kill -0 "${pids[$i]}" 2>/dev/null || { tail -20 "$logs/$name-silo$i.log" >&2; echo "silo $i of $name exited" >&2; exit 1; }
      sleep 0.5
    done
    [ -n "$ready" ] || { echo "silo $i of $name not ready after 120 s" >&2; exit 1; }
  done
}
# A front door (src/FrontDoor: the HTTP API as a client of the cluster, no grains) on http_port + silos, taking all of
# a row's traffic; its pid goes last in pids.
front_door_port=$((http_port + silos))
start_front_door() { # logname
  local name=$1 pid
  (cd "$front_door_dir" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Postgres="$pg" \
    ProductEvents__Apps__bench__SecretKey=$token ProductEvents__Operator__Key=$operator_key \
    dotnet ProductEvents.FrontDoor.dll --urls "http://127.0.0.1:$front_door_port") >"$logs/$name-frontdoor.log" 2>&1 &
  pid=$!
  pids+=($pid)
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$front_door_port/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { tail -20 "$logs/$name-frontdoor.log" >&2; echo "the front door of $name exited" >&2; exit 1; }
    sleep 0.5
  done
  echo "the front door of $name not ready after 120 s" >&2; exit 1
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pg_ticks() {
  local postmaster; postmaster=$(head -1 "$pg_dir/postmaster.pid")
  local t=0 p; for p in "$postmaster" $(pgrep -P "$postmaster"); do t=$((t + $(cpu_ticks "$p" 2>/dev/null || echo 0))); done; echo "$t"
}
scrape() { # silo-index file
  curl -sf -H "Authorization: Bearer $operator_key" "http://127.0.0.1:$((http_port + $1))/metrics" >"$2" || : >"$2"
}
# Sums of one scrape: 2xx answers of the ingest endpoints, whether the log writer is active here, the product and
# contact grains activated so far, and the methods the JIT has compiled so far. (Orleans' per-message instruments,
# which would count the requests between silos, are dropped by the service's metrics view: recording them cost a
# third of the batch rate, decision 0016.)
metric_sums() {
  awk '
    /^http_server_request_duration_seconds_count\{/ && /http_route="\/api\/v1\/product-events/ && /http_response_status_code="2/ { answered += $NF }
    /^orleans_catalog_activations\{/ && /grain_type="logwriter"/ { writer += $NF }
    /^orleans_catalog_activation_created_total\{/ && /grain_type="(product|contact)"/ { activated += $NF }
    /^dotnet_jit_compiled_methods_total\{/ { jitted += $NF }
    END { printf "%d %d %d %d\n", answered, writer, activated, jitted }' "$1"
}

# --- schema ------------------------------------------------------------------------------------------------------
log "preparing the schema"
start_silos 1 schema
stop_silos
sql -c "SELECT product_events_ensure_partitions(now(), 3)" >/dev/null
if want 7 || want 8; then
  # A template must have no other session: the schema silo's may take a moment to end after its process has.
  for i in $(seq 1 $((silos - 1))); do
    for attempt in $(seq 1 20); do
      sql -c "CREATE DATABASE bench_separate$i TEMPLATE postgres" 2>/dev/null && break
      [ "$attempt" -lt 20 ] || { echo "could not copy the schema into bench_separate$i" >&2; exit 1; }
      sleep 0.5
    done
  done
fi
rows_in_logs() {
  local n=0 sql_db
  for sql_db in "${dbs[@]}"; do n=$((n + $(sql -c "SELECT count(*) FROM product_events WHERE seq > 0"))); done
  echo "$n"
}
truncate_all() {
  local sql_db
  for sql_db in "${dbs[@]}"; do truncate_db; done
}
truncate_db() {
  local tables="product_events, product_event_ids"
  [ -n "$(sql -c "SELECT to_regclass('orleans_storage')")" ] && tables="$tables, orleans_storage"
  [ -n "$(sql -c "SELECT to_regclass('log_key_hashes')")" ] && tables="$tables, log_key_hashes"
  sql -c "TRUNCATE $tables" -c "CHECKPOINT"
}

# --- measuring ---------------------------------------------------------------------------------------------------
declare -A activations nsilos idle load_before rps eps p50 p99 cpu writer_cpu pg_cpu wrk_cpu us_all us_server us_pg us_writer non2xx errs conns logged per_silo pg_conns
run_wrk() { # conns duration path batch ports [key shards]
  BENCH_PATH=$3 BENCH_BATCH=$4 BENCH_PORTS=$5 BENCH_KEY_SHARDS=${6:-1} BENCH_PRODUCTS=$products BENCH_CONTACTS=$contacts BENCH_TOKEN=$token \
    wrk -t"$threads" -c"$1" -d"$2" --timeout 30s -s bench/wrk/events.lua "http://127.0.0.1:$http_port" | grep '^BENCH '
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
per_event() { awk -v x="$1" -v e="$2" 'BEGIN{ if (e > 0) printf "%.0f", x*1e6/e; else print "-" }'; } # cores events/s -> µs per event

cluster_row() { # row silos path batch conns [front-door | separate]
  local row=$1 n=$2 path=$3 batch=$4 c=$5 front=${6:-} i
  local ports=; for i in $(seq 0 $((n - 1))); do ports="$ports $((http_port + i))"; done
  ports=${ports# }
  nsilos[$row]=$n
  dbs=(postgres)
  local shards=1
  if [ "$front" = separate ]; then
    front=; nsilos[$row]="$n separate"; shards=$n
    for i in $(seq 1 $((n - 1))); do dbs+=("bench_separate$i"); done
  fi
  truncate_all
  start_silos "$n" "row$row"
  if [ -n "$front" ]; then
    start_front_door "row$row"
    ports=$front_door_port; nsilos[$row]="$n + front door"
  fi
  log "row $row: ${nsilos[$row]}, $path (batch $batch, -t$threads -c$c, ports $ports)"
  # What the silos spend with no load at all (timers, stream polling, membership probes, the dashboard's sampling):
  # a cost per process, not per event.
  local idle_before=0 idle_after=0
  for i in $(seq 0 $((n - 1))); do idle_before=$((idle_before + $(cpu_ticks "${pids[$i]}"))); done
  sleep "$idle_seconds"
  for i in $(seq 0 $((n - 1))); do idle_after=$((idle_after + $(cpu_ticks "${pids[$i]}"))); done
  idle[$row]=$(awk -v t=$((idle_after - idle_before)) -v hz="$(getconf CLK_TCK)" -v s="$idle_seconds" 'BEGIN{printf "%.2f", t/hz/s}')
  run_wrk "$c" "$warmup" "$path" "$batch" "$ports" "$shards" >"$logs/row$row-warmup.txt"
  # The measured run goes on from the warm-up as it is: emptying the tables under active grains would make every one
  # whose stored snapshot is gone reload on its next write, a churn no service in use goes through.
  local rows_before; rows_before=$(rows_in_logs)
  load_before[$row]=$(load_average)
  local before=() after=()
  for i in $(seq 0 $((n - 1))); do scrape "$i" "$logs/row$row-silo$i-metrics-before.txt"; before+=("$(cpu_ticks "${pids[$i]}")"); done
  local front_before=0 front_after=0
  [ -n "$front" ] && front_before=$(cpu_ticks "${pids[$n]}")
  local pg_before; pg_before=$(pg_ticks)
  local wrk_times="$logs/row$row-wrk-cpu.txt"
  { TIMEFORMAT='%U %S'; time run_wrk "$c" "$duration" "$path" "$batch" "$ports" "$shards" >"$logs/row$row-measured.txt"; } 2>"$wrk_times"
  for i in $(seq 0 $((n - 1))); do after+=("$(cpu_ticks "${pids[$i]}")"); done
  [ -n "$front" ] && front_after=$(cpu_ticks "${pids[$n]}")
  local pg_after; pg_after=$(pg_ticks)
  for i in $(seq 0 $((n - 1))); do scrape "$i" "$logs/row$row-silo$i-metrics-after.txt"; done

  local line; line=$(cat "$logs/row$row-measured.txt")
  local requests s bad; requests=$(field requests "$line"); s=$(field seconds "$line"); bad=$(field non2xx "$line")
  local per=$(( batch > 0 ? batch : 1 )) hz; hz=$(getconf CLK_TCK)
  local events_per_s; events_per_s=$(awk -v n="$requests" -v b="$bad" -v s="$s" -v p="$per" 'BEGIN{print (n-b)*p/s}')
  rps[$row]=$(awk -v n="$requests" -v s="$s" 'BEGIN{r = n/s; printf (r < 100 ? "%.1f" : "%.0f"), r}')
  eps[$row]=$(awk -v e="$events_per_s" 'BEGIN{printf "%.0f", e}')
  p50[$row]=$(field p50_ms "$line"); p99[$row]=$(field p99_ms "$line")
  non2xx[$row]=$bad; errs[$row]=$(field errors "$line"); conns[$row]=$c

  # Per silo: CPU over the measured run, 2xx answers, the product and contact grains activated, the methods compiled.
  local total_ticks=0 activated=0 compiled=0 writer_ticks=0 others_ticks=0 detail= a0 n0 j0 a1 w1 n1 j1 _
  for i in $(seq 0 $((n - 1))); do
    local ticks=$(( after[i] - before[i] ))
    total_ticks=$((total_ticks + ticks))
    read -r a0 _ n0 j0 < <(metric_sums "$logs/row$row-silo$i-metrics-before.txt")
    read -r a1 w1 n1 j1 < <(metric_sums "$logs/row$row-silo$i-metrics-after.txt")
    activated=$((activated + n1 - n0))
    compiled=$((compiled + j1 - j0))
    local role=; if [ "$w1" -gt 0 ]; then role=", writer"; writer_ticks=$ticks; else others_ticks=$((others_ticks + ticks)); fi
    detail="$detail$([ -n "$detail" ] && echo "; ")$((http_port + i)): $(awk -v t="$ticks" -v hz="$hz" -v s="$s" 'BEGIN{printf "%.2f", t/hz/s}') cores, $((a1 - a0)) 2xx$role"
  done
  if [ -n "$front" ]; then
    total_ticks=$((total_ticks + front_after - front_before))
    detail="$detail; front door $front_door_port: $(awk -v t=$((front_after - front_before)) -v hz="$hz" -v s="$s" 'BEGIN{printf "%.2f", t/hz/s}') cores"
  fi
  per_silo[$row]=$detail
  cpu[$row]=$(awk -v t="$total_ticks" -v hz="$hz" -v s="$s" 'BEGIN{printf "%.2f", t/hz/s}')
  writer_cpu[$row]=$(awk -v t="$writer_ticks" -v hz="$hz" -v s="$s" 'BEGIN{printf "%.2f", t/hz/s}')
  jitted[$row]=$compiled
  activations[$row]=$(awk -v a="$activated" -v e="$events_per_s" -v s="$s" 'BEGIN{ if (e > 0) printf "%.2f", a/(e*s); else print "-" }')
  pg_cpu[$row]=$(awk -v t=$((pg_after - pg_before)) -v hz="$hz" -v s="$s" 'BEGIN{printf "%.2f", t/hz/s}')
  wrk_cpu[$row]=$(awk -v s="$s" '{printf "%.2f", ($1 + $2)/s}' "$wrk_times")
  us_all[$row]=$(per_event "$(awk -v a="${cpu[$row]}" -v b="${pg_cpu[$row]}" -v c="${wrk_cpu[$row]}" 'BEGIN{print a+b+c}')" "$events_per_s")
  us_server[$row]=$(per_event "${cpu[$row]}" "$events_per_s")
  us_pg[$row]=$(per_event "${pg_cpu[$row]}" "$events_per_s")
  # What the writer's process spends beyond the others: its commits and the apply fan-out of the whole cluster.
  if [ "$n" -gt 1 ] && [ "${#dbs[@]}" = 1 ]; then
    us_writer[$row]=$(per_event "$(awk -v w="$writer_ticks" -v o="$others_ticks" -v k=$((n - 1)) -v hz="$hz" -v s="$s" 'BEGIN{print (w - o/k)/hz/s}')" "$events_per_s")
  fi
  local rows_in_log; rows_in_log=$(( $(rows_in_logs) - rows_before ))
  echo "rows added to product_events by the measured run: $rows_in_log" >>"$logs/row$row-measured.txt"
  logged[$row]=$(awk -v x="$rows_in_log" -v s="$s" 'BEGIN{printf "%.0f", x/s}')
  pg_conns[$row]=$(sql -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
  stop_silos
  log "row $row: ${eps[$row]} events/s, p50 ${p50[$row]} ms, p99 ${p99[$row]} ms, non-2xx ${non2xx[$row]}, activations per event ${activations[$row]}; $detail"
}

want 1 && cluster_row 1 1 /api/v1/product-events 0 "$connections"
want 2 && cluster_row 2 "$silos" /api/v1/product-events 0 "$connections"
want 3 && cluster_row 3 1 /api/v1/product-events/batch "$batch_size" "$batch_connections"
want 4 && cluster_row 4 "$silos" /api/v1/product-events/batch "$batch_size" "$batch_connections"
want 5 && cluster_row 5 "$silos" /api/v1/product-events 0 "$connections" front-door
want 6 && cluster_row 6 "$silos" /api/v1/product-events/batch "$batch_size" "$batch_connections" front-door
want 7 && cluster_row 7 "$silos" /api/v1/product-events 0 "$connections" separate
want 8 && cluster_row 8 "$silos" /api/v1/product-events/batch "$batch_size" "$batch_connections" separate

# --- report ------------------------------------------------------------------------------------------------------
v() { local x=${1:-}; echo "${x:--}"; }
ratio() { awk -v a="${1:-}" -v b="${2:-}" -v g="$3" 'BEGIN{ if (a == "" || b == "" || b == 0) { print "-"; exit } r = a/b; printf "%.2f (goal ≥ %s: %s)", r, g, (r >= g ? "met" : "not met") }'; }
{
  echo "# Cluster benchmark, $stamp"
  echo
  echo "Commit $(git rev-parse --short HEAD) ($(git rev-parse --abbrev-ref HEAD)); $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM;" \
    "wrk -t$threads, ${warmup} warm-up + ${duration} measured per row, $products products / $contacts contacts; every silo on this machine, one cluster" \
    "through the membership table of one fresh PostgreSQL 15; tables truncated before each row's warm-up, the measured run right after it on the same tables; fresh silo processes per row."
  echo
  echo "| # | load | silos | wrk connections | requests/s | events/s | log rows/s | p50 ms | p99 ms | servers CPU idle (cores) | servers CPU (cores) | writer's silo CPU | PostgreSQL CPU | wrk CPU | CPU µs per event (all) | servers µs per event | PostgreSQL µs per event | writer's extra µs per event | non-2xx | errors | product and contact activations per event | methods compiled (JIT) | per silo (CPU, 2xx answers) | PostgreSQL connections | load average before |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|"
  names=([1]="single events" [2]="single events" [3]="batches of $batch_size" [4]="batches of $batch_size" [5]="single events, all through the front door" [6]="batches of $batch_size, all through the front door" [7]="single events, separate services" [8]="batches of $batch_size, separate services")
  for r in 1 2 3 4 5 6 7 8; do
    want $r || continue
    echo "| $r | ${names[$r]} | $(v "${nsilos[$r]:-}") | $(v "${conns[$r]:-}") | $(v "${rps[$r]:-}") | $(v "${eps[$r]:-}") | $(v "${logged[$r]:-}") | $(v "${p50[$r]:-}") | $(v "${p99[$r]:-}") | $(v "${idle[$r]:-}") | $(v "${cpu[$r]:-}") | $(v "${writer_cpu[$r]:-}") | $(v "${pg_cpu[$r]:-}") | $(v "${wrk_cpu[$r]:-}") | $(v "${us_all[$r]:-}") | $(v "${us_server[$r]:-}") | $(v "${us_pg[$r]:-}") | $(v "${us_writer[$r]:-}") | $(v "${non2xx[$r]:-}") | $(v "${errs[$r]:-}") | $(v "${activations[$r]:-}") | $(v "${jitted[$r]:-}") | $(v "${per_silo[$r]:-}") | $(v "${pg_conns[$r]:-}") | $(v "${load_before[$r]:-}") |"
  done
  echo
  echo "| goal | measured |"
  echo "|---|---|"
  echo "| $silos silos ÷ 1 silo, single events, events/s (row 2 ÷ row 1) | $(ratio "${eps[2]:-}" "${eps[1]:-}" 0.7) |"
  echo "| $silos silos ÷ 1 silo, batches, events/s (row 4 ÷ row 3) | $(ratio "${eps[4]:-}" "${eps[3]:-}" 0.8) |"
  echo "| $silos silos + a front door ÷ 1 silo, single events (row 5 ÷ row 1) | $(ratio "${eps[5]:-}" "${eps[1]:-}" 0.7) |"
  echo "| $silos silos + a front door ÷ 1 silo, batches (row 6 ÷ row 3) | $(ratio "${eps[6]:-}" "${eps[3]:-}" 0.8) |"
  echo "| bound: $silos separate services ÷ 1 silo, single events (row 7 ÷ row 1) | $(ratio "${eps[7]:-}" "${eps[1]:-}" 0.7) |"
  echo "| bound: $silos separate services ÷ 1 silo, batches (row 8 ÷ row 3) | $(ratio "${eps[8]:-}" "${eps[3]:-}" 0.8) |"
  echo
  echo "Every silo, PostgreSQL and wrk share the same $(nproc) cores: more silos here add no capacity, the ratios show"
  echo "what spreading the load over a cluster costs (the hop to the log's one writer, grain calls between silos, $silos"
  echo "runtimes instead of one). wrk thread i sends to silo i mod the silos (BENCH_PORTS of bench/wrk/events.lua)."
  echo "Rows 5 and 6 send every request to one front door (src/FrontDoor, an Orleans client of the silos, port $front_door_port)."
  echo "Rows 7 and 8 are no cluster: the same $silos silos as separate services, each with its own database in the same"
  echo "PostgreSQL (its own log, writer and grains) and its own $silos-th of the keys, so nothing passes between them: what $silos"
  echo "runtimes on these cores carry with no cluster between them."
  echo "\"servers CPU\" sums the silos' processes (and the front door's) over the measured run; \"idle\" is the same over ${idle_seconds} s after their"
  echo "start, before any load. \"writer's extra µs per event\" is the writer's silo's CPU beyond the mean of the others,"
  echo "per event: its commits and the apply fan-out of the whole cluster (the writer's silo: the one whose /metrics"
  echo "counts a logwriter activation). \"2xx answers\" per silo: its http.server.request.duration count."
  echo "\"activations per event\": product and contact grains activated during the measured run (orleans_catalog_activation_created)"
  echo "÷ its 2xx events; each new activation registers in the grain directory, which in a cluster is mostly another silo's."
  echo "\"methods compiled (JIT)\": methods the silos' JIT compiled during the measured run (dotnet.jit.compiled_methods); a fresh"
  echo "runtime compiles its hot methods again, optimized, for about a minute and a half under load, on the same cores."
  echo "\"load average before\" is the machine's 1, 5 and 15 minute load averages just before the measured run."
  echo "Logs, scrapes and raw wrk lines: bench/results/cluster-$stamp-logs/."
} | tee "$report"
log "saved $report"
