#!/usr/bin/env bash
# npm run test:dates — the whole suite with the clock moved to the hours where date bugs live (libfaketime,
# Debian package `faketime`): 16:30 UTC, when China (UTC+8) is already on the next day, and 23:59 on
# 31 December China time, so the run crosses midnight and 1 January (yearly counters reset) while it goes.
# Every node process the tests start inherits the moved clock; redis-server runs on the real one
# (test/support/redis-server.ts says why). Extra arguments replace the default instants, e.g.
#   npm run test:dates -- '2027-02-05 15:58:00'
set -euo pipefail
cd "$(dirname "$0")/.."
command -v faketime >/dev/null || { echo "faketime is not installed (Debian: apt-get install faketime)" >&2; exit 3; }
instants=("$@")
[ ${#instants[@]} -gt 0 ] || instants=("$(date -u +%Y-%m-%d) 16:30:00" "$(date -u +%Y)-12-31 15:59:00")
npm run build --silent
for at in "${instants[@]}"; do
  echo "== the suite at ${at} UTC"
  TZ=UTC faketime "${at}" npx mocha "test/unit/**/*.test.ts" "test/integration/**/*.test.ts" "test/e2e/**/*.test.ts"
done
