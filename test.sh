#!/usr/bin/env bash
# Runs every test of the solution and ends with one line: "N passed, N failed".
# Installs what the tests need when it is missing, using apt as root: PostgreSQL 15 (storage and system tests start
# throwaway servers of their own), Chromium (the browser tests drive it headless) and npm (the build installs the
# web console's charting library with it).
set -uo pipefail
cd "$(dirname "$0")"

need_apt=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql-15)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v npm >/dev/null || need_apt+=(nodejs npm)   # the build installs the console's charting library with npm
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing ${need_apt[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Missing ${need_apt[*]}: install them (apt-get install ${need_apt[*]}) and run again." >&2
  fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test ProductEvents.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed:     0, Passed:   247, Skipped: ..."
passed=0; failed=0
while read -r f p; do
  passed=$((passed + p)); failed=$((failed + f))
done < <(sed -n 's/.*Failed: *\([0-9]*\), Passed: *\([0-9]*\),.*/\1 \2/p' "$log")
# A build failure or a crashed test host runs no test: count it as a failure rather than report a clean zero.
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit $status
