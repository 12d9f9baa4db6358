#!/usr/bin/env bash
# Shared by run.sh and the test tiers: start gunicorn + Celery workers (notifications and the
# like; the deadline sweep) + beat in the background.
#   start_stack LOGDIR PORT   (needs MONGODB_URI, REDIS_URL, APP_CONFIG in the environment)
#   stop_stack                (ends exactly the processes start_stack started)
# With SUPERVISE=1 (make run) each process is restarted when it exits, after a back-off of 1 s
# doubling to 30 s (reset once it has stayed up a minute), with a line on stderr; the test
# tiers leave it unset, so a crash there is seen, not hidden.
STACK_PIDS=()

# supervise NAME LOGFILE COMMAND...: run COMMAND in the background, again whenever it exits.
supervise() {
  local name=$1 log=$2 pids
  pids=$(dirname "$log")
  shift 2
  (
    set +e  # run.sh sets -e; here an exit status is what the loop reacts to, not a reason to quit
    child=
    # On TERM or INT: pass TERM on to the process and wait for it to finish what it holds.
    trap 'if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; wait "$child"; fi; exit 0' TERM INT
    delay=1
    while true; do
      started=$SECONDS
      "$@" >>"$log" 2>&1 &
      child=$!
      echo "$child" >"$pids/$name.pid"
      wait "$child"
      code=$?
      child=
      if [ $((SECONDS - started)) -ge 60 ]; then delay=1; fi
      echo "run: $name exited (code $code); restarting it in ${delay} s (log: $log)" >&2
      sleep "$delay" &
      wait $!
      delay=$((delay * 2 > 30 ? 30 : delay * 2))
    done
  ) &
  STACK_PIDS+=($!)
}

# launch NAME LOGFILE COMMAND...: supervised or plain, as SUPERVISE says. The running process's
# pid is kept in NAME.pid next to its log (the cluster's kill test reads it).
launch() {
  local name=$1 log=$2
  shift 2
  if [ "${SUPERVISE:-0}" = 1 ]; then
    supervise "$name" "$log" "$@"
  else
    "$@" >>"$log" 2>&1 &
    STACK_PIDS+=($!)
    echo "$!" >"$(dirname "$log")/$name.pid"
  fi
}

start_stack() {
  local logdir=$1 port=$2 py=${VENV:-.venv}/bin
  mkdir -p "$logdir"
  # The address every link in mails, SMS and PDFs starts with (see app/security/hosts.py).
  export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:$port}
  # Every web and worker process of this node writes its metrics here; its /metrics adds them
  # up. Emptied at each start: files of processes that are gone would count twice.
  export PROMETHEUS_MULTIPROC_DIR=$logdir/metrics
  rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
  launch web "$logdir/web.log" "$py/gunicorn" --config gunicorn.conf.py --workers "${WEB_WORKERS:-2}" \
    --bind "127.0.0.1:$port" --access-logfile "$logdir/access.log" --error-logfile "$logdir/web.log" \
    "app:create_app()"
  launch worker "$logdir/worker.log" "$py/celery" -A app.worker worker --loglevel=INFO \
    --concurrency="${WORKER_CONCURRENCY:-2}" --queues celery --hostname "worker-$port@%h"
  # The deadline sweep's own worker (config: task_routes), one process: it is never behind
  # a queue of notifications.
  launch sweep "$logdir/sweep.log" "$py/celery" -A app.worker worker --loglevel=INFO \
    --concurrency=1 --queues sweep --hostname "sweep-$port@%h"
  # One beat per node; RedBeat's lock in Redis lets exactly one of them schedule (config.py).
  launch beat "$logdir/beat.log" "$py/celery" -A app.worker beat --loglevel=INFO --pidfile=
}

# use_local_servers ROOT: unless MONGODB_URI and REDIS_URL are set, start PostgreSQL, FerretDB and
# Redis under ROOT/var/run (scripts/servers.sh) and point the app at them; succeeds only when it
# started them (the caller stops them again).
use_local_servers() {
  [ -n "${MONGODB_URI:-}" ] && [ -n "${REDIS_URL:-}" ] && return 1
  export VAR_DIR=$1/var/run FERRETDB_PORT=${FERRETDB_PORT:-27027} REDIS_PORT=${REDIS_PORT:-6389}
  export POSTGRES_PORT=${POSTGRES_PORT:-$((FERRETDB_PORT + 27300))}
  # `if use_local_servers` turns set -e off inside: a failed start must end the script itself.
  "$1/scripts/servers.sh" start || exit 1
  export MONGODB_URI=${MONGODB_URI:-mongodb://127.0.0.1:$FERRETDB_PORT/police_portal}
  # ensure-indexes (run by seed) adds the GIN indexes FerretDB's queries use (docs/ferretdb.md).
  export FERRETDB_POSTGRESQL_URL=${FERRETDB_POSTGRESQL_URL:-postgres://postgres@127.0.0.1:$POSTGRES_PORT/ferretdb}
  export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT/0}
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
    # Up to 50 s each: Celery finishes the task it holds, gunicorn its requests (graceful_timeout
    # in gunicorn.conf.py is 45 s: a bulk upload of a thousand rows takes about 40).
    for _ in $(seq 1 500); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    pkill -KILL -P "$pid" 2>/dev/null || true  # a supervised process that would not stop
    kill -KILL "$pid" 2>/dev/null || true
  done
  STACK_PIDS=()
}
