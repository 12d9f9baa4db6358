#!/usr/bin/env bash
# start | stop | status of the local PostgreSQL, FerretDB on it (--handler=pg) and Redis
# (append-only), all on loopback.
#
#   VAR_DIR        data, logs and pid files      (default: var/run)
#   FERRETDB_PORT  FerretDB's port               (default: 27027)
#   POSTGRES_PORT  the private cluster's port    (default: FERRETDB_PORT + 27300, e.g. 54327)
#   REDIS_PORT     Redis's port                  (default: 6389)
#
# PostgreSQL is Debian's package (installed here if missing), a private cluster under
# $VAR_DIR/postgres: initdb and postgres refuse to run as root, so as root they run as the
# `postgres` user the package creates. Trust authentication, loopback only, UTF-8 with the C.UTF-8
# locale (FerretDB needs UTF8 and a C/POSIX locale), and plan_cache_mode = force_custom_plan on
# FerretDB's database, so its pushed-down equality filters can use GIN indexes (docs/ferretdb.md).
#
# Idempotent: start leaves running servers alone; stop ends only processes whose pid files it
# wrote (and checks the pid still belongs to that program). Exits non-zero, loudly, on failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
VAR_DIR=${VAR_DIR:-$root/var/run}
FERRETDB_PORT=${FERRETDB_PORT:-27027}
REDIS_PORT=${REDIS_PORT:-6389}
POSTGRES_PORT=${POSTGRES_PORT:-$((FERRETDB_PORT + 27300))}
mkdir -p "$VAR_DIR"
VAR_DIR=$(cd "$VAR_DIR" && pwd)
PG_DATA=$VAR_DIR/postgres
PG_SOCKETS=$VAR_DIR/postgres-sockets

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

apt_install() {  # apt_install PACKAGE...
  say "installing $* from Debian"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  fi
}

ensure_redis_installed() {
  command -v redis-server >/dev/null && return 0
  apt_install redis-server
  command -v redis-server >/dev/null || { say "redis-server could not be installed"; exit 1; }
}

pg_bin() {  # the newest installed PostgreSQL's bin directory
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/postgres" ] && echo "$dir"
}

ensure_postgres_installed() {
  pg_bin >/dev/null && return 0
  apt_install postgresql
  pg_bin >/dev/null || { say "PostgreSQL could not be installed"; exit 1; }
}

as_pg() {  # run a PostgreSQL program as the postgres user when we are root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_pid_alive() {
  local pid
  [ -f "$PG_DATA/postmaster.pid" ] || return 1
  pid=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qa postgres "/proc/$pid/cmdline" 2>/dev/null
}

start_postgres() {
  local bin log=$VAR_DIR/postgres.log
  if pg_pid_alive; then say "PostgreSQL already running on $POSTGRES_PORT"; return 0; fi
  ensure_postgres_installed
  bin=$(pg_bin)
  mkdir -p "$PG_SOCKETS"
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PG_SOCKETS"
    touch "$log"; chown postgres "$log"
    # The postgres user must be able to reach its directories through ours.
    chmod o+x "$VAR_DIR"
  fi
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    mkdir -p "$PG_DATA"
    [ "$(id -u)" = 0 ] && chown postgres "$PG_DATA"
    chmod 700 "$PG_DATA"
    as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$VAR_DIR/initdb.log" 2>&1 \
      || { say "initdb failed:"; tail -n 20 "$VAR_DIR/initdb.log" >&2; return 1; }
  fi
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$log" -w -t 60 \
    -o "-p $POSTGRES_PORT -k $PG_SOCKETS -c listen_addresses=127.0.0.1 -c fsync=on" start \
    >/dev/null || { say "PostgreSQL did not start; its log ends with:"; tail -n 20 "$log" >&2; return 1; }
  if ! as_pg "$bin/psql" -h "$PG_SOCKETS" -p "$POSTGRES_PORT" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'ferretdb'" | grep -q 1; then
    as_pg "$bin/createdb" -h "$PG_SOCKETS" -p "$POSTGRES_PORT" -U postgres ferretdb
  fi
  as_pg "$bin/psql" -h "$PG_SOCKETS" -p "$POSTGRES_PORT" -U postgres -d postgres -qc \
    "ALTER DATABASE ferretdb SET plan_cache_mode = force_custom_plan" >/dev/null
  say "PostgreSQL on 127.0.0.1:$POSTGRES_PORT (data in $PG_DATA)"
}

stop_postgres() {
  local bin
  pg_pid_alive || return 0
  bin=$(pg_bin)
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  say "PostgreSQL stopped"
}

start_ferretdb() {
  local pidfile=$VAR_DIR/ferretdb.pid log=$VAR_DIR/ferretdb.log bin
  if alive "$pidfile" ferretdb; then say "FerretDB already running on $FERRETDB_PORT"; return 0; fi
  bin=$("$root/scripts/build-ferretdb.sh")
  start_postgres
  mkdir -p "$VAR_DIR/ferretdb-state"
  nohup "$bin" --handler=pg \
    --postgresql-url="postgres://postgres@127.0.0.1:$POSTGRES_PORT/ferretdb" \
    --listen-addr="127.0.0.1:$FERRETDB_PORT" --state-dir="$VAR_DIR/ferretdb-state" \
    --debug-addr=- --telemetry=disable --log-level=warn >"$log" 2>&1 &
  echo $! >"$pidfile"
  wait_port "$FERRETDB_PORT" FerretDB "$log"
  say "FerretDB on 127.0.0.1:$FERRETDB_PORT (PostgreSQL backend, port $POSTGRES_PORT)"
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

case "${1:-} ${2:-}" in
  # FerretDB alone: it reads its catalogue of collections only when it starts, so a restore
  # (flask restore) runs between `stop ferretdb` and `start ferretdb`.
  "start ferretdb") start_ferretdb ;;
  "stop ferretdb") stop_one "$VAR_DIR/ferretdb.pid" ferretdb FerretDB ;;
  "start ") start_ferretdb; start_redis ;;
  "stop ")
    stop_one "$VAR_DIR/ferretdb.pid" ferretdb FerretDB
    stop_postgres
    stop_one "$VAR_DIR/redis.pid" redis-server Redis ;;
  "status ")
    rc=0
    status_one "$VAR_DIR/ferretdb.pid" ferretdb FerretDB "$FERRETDB_PORT" || rc=1
    if pg_pid_alive; then echo "PostgreSQL: running (port $POSTGRES_PORT)"; else echo "PostgreSQL: stopped"; rc=1; fi
    status_one "$VAR_DIR/redis.pid" redis-server Redis "$REDIS_PORT" || rc=1
    exit $rc ;;
  *) echo "usage: $0 start|stop|status, or start|stop ferretdb" >&2; exit 2 ;;
esac
