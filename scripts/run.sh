#!/usr/bin/env bash
# `make run`: the whole system on http://127.0.0.1:${PORT:-5000} with demo data.
# Starts FerretDB and Redis under var/run unless MONGODB_URI and REDIS_URL are set, seeds,
# then gunicorn + Celery workers + beat, each restarted if it exits. Ctrl-C (or SIGTERM, also
# when started in the background) stops exactly what this script started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/stack.sh
PORT=${PORT:-5000}
export APP_CONFIG=${APP_CONFIG:-development}
started_servers=0

cleanup() {
  trap - INT TERM EXIT
  echo; echo "run: stopping" >&2
  stop_stack
  if [ "$started_servers" = 1 ]; then scripts/servers.sh stop; fi
}
trap cleanup INT TERM EXIT

if use_local_servers "$root"; then started_servers=1; fi

.venv/bin/flask --app app seed
LOG_DIR=${LOG_DIR:-var/log}
mkdir -p "$LOG_DIR"
# Keep it up: a web, worker or beat process that exits is restarted (scripts/stack.sh).
SUPERVISE=1 start_stack "$LOG_DIR" "$PORT"
wait_healthy "$PORT" 60
cat <<MSG

  Police Citizen Services is running at http://127.0.0.1:$PORT
  Admin panel:        http://127.0.0.1:$PORT/admin/
  Mail (development): http://127.0.0.1:$PORT/dev/outbox
  Health:             http://127.0.0.1:$PORT/healthz
  Demo accounts:      .venv/bin/flask --app app demo-accounts
  Logs:               $LOG_DIR/   ·   Ctrl-C stops everything this command started.

MSG
wait -n "${STACK_PIDS[@]}" || true
echo "run: the stack is stopping (if you did not press Ctrl-C, see $LOG_DIR/ for why)" >&2
