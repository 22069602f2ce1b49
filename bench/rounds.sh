#!/usr/bin/env bash
# The ingest benchmark N times in a row (bench/run.sh, built once), then the median of each row and of each goal's
# ratio over the runs: this machine's speed varies between runs by up to a quarter, a single run can land a ratio on
# either side of its goal.
#
#   bash bench/rounds.sh            three runs of every row
#   BENCH_ROUNDS=5 bash bench/rounds.sh
#
# Every other knob of bench/run.sh (BENCH_ROWS, BENCH_DURATION, ...) passes through.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rounds=${BENCH_ROUNDS:-3}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
summary=$root/bench/results/rounds-$stamp.md
reports=()

for round in $(seq 1 "$rounds"); do
  echo "[rounds] run $round of $rounds" >&2
  no_build=1; [ "$round" = 1 ] && no_build=${BENCH_NO_BUILD:-0}
  # The run's output goes on to stderr as it comes (tee >(...): a reopened /dev/stderr would truncate a log file).
  out=$(BENCH_NO_BUILD=$no_build bash bench/run.sh 2>&1 | tee >(cat >&2) | sed -n 's/.*saved \(.*\.md\)$/\1/p' | tail -1)
  [ -n "$out" ] && [ -f "$out" ] || { echo "run $round saved no report" >&2; exit 1; }
  reports+=("$out")
done

# A report's table rows: "| # | scenario | requests/s | events/s | ..."; column 5 of the split line is events/s.
median() { sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
events_of() { awk -F'|' -v r="$2" '$2 + 0 == r && $2 ~ /^ [0-9] $/ {gsub(/ /, "", $5); print $5}' "$1"; }

{
  echo "# Ingest benchmark, median of $rounds runs, $stamp"
  echo
  echo "Commit $(git rev-parse --short HEAD); reports: $(printf '%s ' "${reports[@]#"$root"/}")"
  echo
  echo "| # | events/s in each run | median |"
  echo "|---|---|---:|"
  for row in 1 2 3 4 5 6; do
    values=$(for r in "${reports[@]}"; do events_of "$r" "$row"; done)
    [ -n "$values" ] || continue
    echo "| $row | $(echo $values | sed 's/ / · /g') | $(echo "$values" | tr ' ' '\n' | median) |"
  done
  echo
  echo "| goal | ratio in each run | median | goal |"
  echo "|---|---|---:|---|"
  for goal in "3 1 0.5 ours / plain" "3 2 5 ours / naive" "4 6 0.5 batch ÷ COPY" "5 3 0.8 1M keys ÷ 10k keys"; do
    set -- $goal; a=$1; b=$2; want=$3; shift 3; name=$*
    ratios=$(for r in "${reports[@]}"; do
      x=$(events_of "$r" "$a"); y=$(events_of "$r" "$b")
      if [ -n "$x" ] && [ -n "$y" ]; then awk -v x="$x" -v y="$y" 'BEGIN{printf "%.2f\n", x / y}'; fi
    done)
    [ -n "$ratios" ] || continue
    m=$(echo "$ratios" | median)
    echo "| $name (row $a ÷ row $b) | $(echo $ratios | sed 's/ / · /g') | $m | ≥ $want: $(awk -v m="$m" -v w="$want" 'BEGIN{print (m >= w ? "met" : "not met")}') |"
  done
} | tee "$summary"
echo "[rounds] saved $summary" >&2
