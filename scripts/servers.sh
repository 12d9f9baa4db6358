#!/usr/bin/env bash
# start | stop | status of the local FerretDB (SQLite backend) and Redis (append-only), on loopback.
#
#   VAR_DIR        data, logs and pid files      (default: var/run)
#   FERRETDB_PORT  FerretDB's port               (default: 27027)
#   REDIS_PORT     Redis's port                  (default: 6389)
#
# Idempotent: start leaves running servers alone; stop ends only processes whose pid files it
# wrote (and checks the pid still belongs to that program). Exits non-zero, loudly, on failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
VAR_DIR=${VAR_DIR:-$root/var/run}
FERRETDB_PORT=${FERRETDB_PORT:-27027}
REDIS_PORT=${REDIS_PORT:-6389}
mkdir -p "$VAR_DIR"
VAR_DIR=$(cd "$VAR_DIR" && pwd)

say() { echo "servers: $*" >&2; }

alive() {  # alive PIDFILE PROGRAM
  local pid
  [ -f "$1" ] || return 1
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qa "$2" "/proc/$pid/cmdline" 2>/dev/null
}

wait_port() {  # wait_port PORT NAME LOG
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  say "$2 did not open port $1; its log ($3) ends with:"; tail -n 20 "$3" >&2 || true
  return 1
}

ensure_redis_installed() {
  command -v redis-server >/dev/null && return 0
  say "installing redis-server from Debian"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  command -v redis-server >/dev/null || { say "redis-server could not be installed"; exit 1; }
}

start_ferretdb() {
  local pidfile=$VAR_DIR/ferretdb.pid log=$VAR_DIR/ferretdb.log bin
  if alive "$pidfile" ferretdb; then say "FerretDB already running on $FERRETDB_PORT"; return 0; fi
  bin=$("$root/scripts/build-ferretdb.sh")
  mkdir -p "$VAR_DIR/ferretdb" "$VAR_DIR/ferretdb-state"
  nohup "$bin" --handler=sqlite --sqlite-url="file:$VAR_DIR/ferretdb/" \
    --listen-addr="127.0.0.1:$FERRETDB_PORT" --state-dir="$VAR_DIR/ferretdb-state" \
    --debug-addr=- --telemetry=disable --log-level=warn >"$log" 2>&1 &
  echo $! >"$pidfile"
  wait_port "$FERRETDB_PORT" FerretDB "$log"
  say "FerretDB on 127.0.0.1:$FERRETDB_PORT (data in $VAR_DIR/ferretdb)"
}

start_redis() {
  local pidfile=$VAR_DIR/redis.pid log=$VAR_DIR/redis.log
  if alive "$pidfile" redis-server; then say "Redis already running on $REDIS_PORT"; return 0; fi
  ensure_redis_installed
  mkdir -p "$VAR_DIR/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode yes \
    --dir "$VAR_DIR/redis" --appendonly yes --appendfsync everysec \
    --daemonize yes --pidfile "$pidfile" --logfile "$log" >/dev/null
  wait_port "$REDIS_PORT" Redis "$log"
  for _ in $(seq 1 50); do [ -s "$pidfile" ] && break; sleep 0.1; done
  say "Redis on 127.0.0.1:$REDIS_PORT (append-only, data in $VAR_DIR/redis)"
}

stop_one() {  # stop_one PIDFILE PROGRAM NAME
  local pid
  if alive "$1" "$2"; then
    pid=$(cat "$1")
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    say "$3 stopped"
  fi
  rm -f "$1"
}

status_one() {  # status_one PIDFILE PROGRAM NAME PORT
  if alive "$1" "$2"; then echo "$3: running (pid $(cat "$1"), port $4)"; else echo "$3: stopped"; return 1; fi
}

case "${1:-}" in
  start) start_ferretdb; start_redis ;;
  stop) stop_one "$VAR_DIR/ferretdb.pid" ferretdb FerretDB; stop_one "$VAR_DIR/redis.pid" redis-server Redis ;;
  status)
    rc=0
    status_one "$VAR_DIR/ferretdb.pid" ferretdb FerretDB "$FERRETDB_PORT" || rc=1
    status_one "$VAR_DIR/redis.pid" redis-server Redis "$REDIS_PORT" || rc=1
    exit $rc ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
