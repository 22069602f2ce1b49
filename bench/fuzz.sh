#!/usr/bin/env bash
# The long fuzz run: the tests of tests/ProductEvents.Fuzz.Tests with a large budget and a random seed, in survey
# mode (every failing case is counted by kind; the run does not stop at the first). See bench/README.md.
#
#   bash bench/fuzz.sh                       100,000 cases over every endpoint, a random seed
#   FUZZ_CASES=20000 bash bench/fuzz.sh      fewer cases
#   FUZZ_SEED=12345 bash bench/fuzz.sh       repeat a run (the seed is printed at the end)
#   FUZZ_SURVEY=0 bash bench/fuzz.sh         stop each endpoint at its first failure and shrink it with CsCheck
#   FUZZ_LANES=1 bash bench/fuzz.sh          one case at a time (default 16 lanes: cases at the same time, each
#                                            lane on apps of its own; the seed gives the same cases whatever the lanes)
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

cases=${FUZZ_CASES:-100000}
seed=${FUZZ_SEED:-$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')}
survey=${FUZZ_SURVEY:-1}
lanes=${FUZZ_LANES:-16}
results="$root/bench/results"
mkdir -p "$results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report="$results/fuzz-$stamp.txt"
log="$results/fuzz-$stamp.log"
: > "$report"

echo "Fuzzing $cases cases on $lanes lanes, seed $seed, survey=$survey; report in $report"
start=$(date +%s)
FUZZ_CASES=$cases FUZZ_SEED=$seed FUZZ_SURVEY=$survey FUZZ_LANES=$lanes FUZZ_REPORT=$report \
  dotnet test tests/ProductEvents.Fuzz.Tests --filter "FullyQualifiedName~EndpointFuzzTests" \
  --logger "console;verbosity=normal" > "$log" 2>&1
status=$?
elapsed=$(( $(date +%s) - start ))

cat "$report"
ran=$(sed -n 's/^FUZZ endpoint=[^ ]* cases=\([0-9]*\).*/\1/p' "$report" | awk '{ s += $1 } END { print s + 0 }')
failing=$(sed -n 's/^FUZZ endpoint=[^ ]* cases=[0-9]* failing=\([0-9]*\).*/\1/p' "$report" | awk '{ s += $1 } END { print s + 0 }')
endpoints=$(grep -c '^FUZZ endpoint=' "$report")
if [ "$endpoints" -eq 0 ]; then
  echo "No endpoint reported (build failure or crashed test host?): see $log" >&2
  tail -30 "$log" >&2
  exit 1
fi
echo
echo "seed $seed: ${ran:-0} cases over $endpoints endpoints in ${elapsed} s, ${failing:-0} failing cases (test log: $log)"
exit $status
