#!/usr/bin/env bash
# Runs every test of the solution and prints the totals on the last line: "N passed, N failed".
# Skipped tests count as failed: a skipped test is a test that did not pass.
set -uo pipefail
cd "$(dirname "$0")"

# The browser tests drive Debian's Chromium (Playwright launches /usr/bin/chromium; nothing is downloaded).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium for the browser tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: install it (sudo apt-get install -y chromium) or the browser tests will fail."
  fi
fi

# The coordination tests start their own redis-server (Debian's package).
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing redis-server for the coordination tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "redis-server is missing: install it (sudo apt-get install -y redis-server) or the coordination tests will fail."
  fi
fi

results="artifacts/test-results"
rm -rf "$results"
dotnet test Klaviyo.sln --logger "trx" --results-directory "$results" "$@"
status=$?

# The database tests again on PostgreSQL: a throwaway server (installed by apt-get as root when
# missing), every test factory its own database in it. No server, no pass: counted as a failure.
postgres_failed=0
mkdir -p artifacts
if connection=$(./scripts/throwaway-postgres.sh 2>artifacts/postgres.log); then
  KLAVIYO_TEST_POSTGRES="$connection" dotnet test Klaviyo.Tests --no-build --logger "trx;LogFileName=postgresql.trx" --results-directory "$results" \
    --filter "FullyQualifiedName!~Klaviyo.Tests.Browser&FullyQualifiedName!~Klaviyo.Tests.Generator&FullyQualifiedName!~Klaviyo.Tests.Components&FullyQualifiedName!~Klaviyo.Tests.Bench" || status=$?
  data=$(sed -n 's/.*data in \(.*\)$/\1/p' artifacts/postgres.log)
  if [ -n "$data" ]; then
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null; else "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null; fi
    rm -rf "$data"
  fi
else
  echo "PostgreSQL could not be started (see artifacts/postgres.log): the PostgreSQL run counts as failed."
  postgres_failed=1
fi

passed=0; failed=$postgres_failed
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(value total); p=$(value passed)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${total:-0} - ${p:-0}))
done
# Formatting is checked like a test: .editorconfig is the rule, `dotnet format` the fix.
if dotnet format Klaviyo.sln --verify-no-changes >/dev/null 2>&1; then
  passed=$((passed + 1))
else
  echo "dotnet format --verify-no-changes failed: run 'dotnet format Klaviyo.sln'"
  failed=$((failed + 1))
fi
# A build failure or a crashed test host leaves no counters: that is a failure, never "0 failed".
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
