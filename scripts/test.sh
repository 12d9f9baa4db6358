#!/usr/bin/env bash
# `make test`: every tier, each loud on failure; none may skip or collect nothing.
#   1. unit on mongomock, but for the tests marked `db`
#   2. those tests (queries, indexes, concurrency, stored formats) on a real FerretDB on
#      PostgreSQL (its own ports and data, var/test)
#   3. integration against a live stack: gunicorn + Celery worker + beat on FerretDB and Redis
#   4. e2e: Playwright in Debian's Chromium against that stack, with axe-core
# A run never touches var/run, the data of `make run`.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/stack.sh
export VAR_DIR=$root/var/test FERRETDB_PORT=${TEST_FERRETDB_PORT:-27037} REDIS_PORT=${TEST_REDIS_PORT:-6399}
export POSTGRES_PORT=${TEST_POSTGRES_PORT:-$((FERRETDB_PORT + 27300))}
WEB_PORT=${TEST_WEB_PORT:-5055}
ARTIFACTS=$root/test-artifacts
results=()
failed=0

cleanup() { stop_stack; scripts/servers.sh stop; }
trap cleanup EXIT INT TERM

tier() {  # tier NAME pytest-args...
  local name=$1 started=$SECONDS; shift
  echo; echo "=== tier: $name ==="
  .venv/bin/pytest "$@"
  local rc=$? took=$((SECONDS - started))
  if [ $rc -eq 5 ]; then echo "tier $name collected no tests: that is a failure" >&2; rc=1; fi
  if [ $rc -ne 0 ]; then failed=1; results+=("$name: FAILED ($rc) in ${took} s"); else results+=("$name: passed in ${took} s"); fi
  return 0
}
# The unit tiers in parallel processes (pytest-xdist), one per core unless told otherwise.
PROCESSES=${TEST_PROCESSES:-$(nproc)}

scripts/servers.sh stop >/dev/null 2>&1 || true
rm -rf "$VAR_DIR" "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
# PostgreSQL, FerretDB (built once per checkout) and Redis start while the checks and the mongomock
# tier run: none of those needs them, and the start is mostly waiting on downloads and disks.
scripts/servers.sh start > "$ARTIFACTS/servers.log" 2>&1 &
servers=$!

echo; echo "=== layers: lint-imports (pyproject.toml [tool.importlinter]) ==="
if .venv/bin/lint-imports; then results+=("layers: kept"); else failed=1; results+=("layers: BROKEN"); fi
echo; echo "=== types: mypy (pyproject.toml [tool.mypy]) ==="
if .venv/bin/mypy; then results+=("types: passed"); else failed=1; results+=("types: FAILED"); fi

# The tests marked `db` run once, on FerretDB below (the more faithful server); a plain
# `pytest tests/unit` runs them on mongomock as well.
tier unit-mongomock tests/unit -q -p no:cacheprovider -n "$PROCESSES" -m "not db" --durations=10

if ! wait "$servers"; then
  cat "$ARTIFACTS/servers.log" >&2
  echo "make test: FerretDB or Redis could not start; the real-server tiers cannot run" >&2
  exit 1
fi
export TEST_MONGODB_URI="mongodb://127.0.0.1:$FERRETDB_PORT/police_portal_unit"
export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/1"
# Only the tests marked `db` (tests/unit/conftest.py): the rest ran on mongomock above.
tier unit-ferretdb-db-marked tests/unit -q -p no:cacheprovider --db=ferretdb -n "$PROCESSES" --durations=10

# One live stack for the integration and browser tiers, on its own database.
export APP_CONFIG=development
export MONGODB_URI="mongodb://127.0.0.1:$FERRETDB_PORT/police_portal_live"
export FERRETDB_POSTGRESQL_URL="postgres://postgres@127.0.0.1:$POSTGRES_PORT/ferretdb"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export LIVE_BASE_URL="http://127.0.0.1:$WEB_PORT"
# The live stack sweeps deadlines every 3 s, so the one-minute test service escalates on time
# without the tier waiting for minute ticks (tests/integration/test_escalation_live.py).
export SWEEP_INTERVAL_SECONDS=3
# ... and a "minute" of a time limit lasts 8 s there (well over two sweeps, so each tier is
# reached by a sweep of its own): that service's tiers climb in about 20 s. No seeded service has
# a limit in minutes.
export SLA_MINUTE_SECONDS=8
# JSON log lines with the request id (app/logs.py), read back by the observability test.
export LOG_FORMAT=json LIVE_LOG_DIR="$VAR_DIR/log"
# Its own uploads, never those of `make run` (the restore test deletes and restores them).
export UPLOAD_DIR="$VAR_DIR/uploads"
.venv/bin/flask --app app seed || { echo "make test: seeding the live stack failed" >&2; exit 1; }
start_stack "$VAR_DIR/log" "$WEB_PORT"
if ! wait_healthy "$WEB_PORT" 90; then
  tail -n 30 "$VAR_DIR/log/"*.log >&2
  echo "make test: the live stack did not become healthy" >&2
  exit 1
fi

tier integration tests/integration -q -p no:cacheprovider --durations=10
scripts/e2e-setup.sh || { echo "make test: the browser tier could not be set up" >&2; exit 1; }
tier e2e tests/e2e -q -p no:cacheprovider --artifacts="$ARTIFACTS" --durations=10

echo; echo "=== make test summary ($((SECONDS / 60)) min $((SECONDS % 60)) s) ==="
printf '  %s\n' "${results[@]}"
exit $failed
