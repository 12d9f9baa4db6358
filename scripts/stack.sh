#!/usr/bin/env bash
# Shared by run.sh and the test tiers: start gunicorn + Celery workers (notifications and the
# like; the deadline sweep) + beat in the background.
#   start_stack LOGDIR PORT   (needs MONGODB_URI, REDIS_URL, APP_CONFIG in the environment)
#   stop_stack                (ends exactly the processes start_stack started)
STACK_PIDS=()

start_stack() {
  local logdir=$1 port=$2 py=${VENV:-.venv}/bin
  mkdir -p "$logdir"
  # The address every link in mails, SMS and PDFs starts with (see app/security/hosts.py).
  export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:$port}
  "$py/gunicorn" --config gunicorn.conf.py --workers "${WEB_WORKERS:-2}" \
    --bind "127.0.0.1:$port" --access-logfile "$logdir/access.log" --error-logfile "$logdir/web.log" \
    "app:create_app()" &
  STACK_PIDS+=($!)
  "$py/celery" -A app.worker worker --loglevel=INFO --concurrency="${WORKER_CONCURRENCY:-2}" \
    --queues celery --hostname "worker-$port@%h" >"$logdir/worker.log" 2>&1 &
  STACK_PIDS+=($!)
  # The deadline sweep's own worker (config: task_routes), one process: it is never behind
  # a queue of notifications.
  "$py/celery" -A app.worker worker --loglevel=INFO --concurrency=1 --queues sweep \
    --hostname "sweep-$port@%h" >"$logdir/sweep.log" 2>&1 &
  STACK_PIDS+=($!)
  "$py/celery" -A app.worker beat --loglevel=INFO --schedule "$logdir/celerybeat-schedule" \
    --pidfile= >"$logdir/beat.log" 2>&1 &
  STACK_PIDS+=($!)
}

wait_healthy() {  # wait_healthy PORT SECONDS
  local url="http://127.0.0.1:$1/healthz"
  for _ in $(seq 1 $(( $2 * 2 ))); do
    if python3 -c "import json,sys,urllib.request as u; b=json.load(u.urlopen('$url', timeout=3)); sys.exit(0 if b['workers']>0 else 1)" 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  echo "stack: $url did not report healthy within $2 s" >&2
  return 1
}

stop_stack() {
  local pid
  for pid in "${STACK_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${STACK_PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  STACK_PIDS=()
}
