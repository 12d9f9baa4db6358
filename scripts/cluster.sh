#!/usr/bin/env bash
# `make cluster`: the portal as a state runs it on several machines, here on one: Debian's nginx
# on CLUSTER_PORT balancing two gunicorn instances (nodes), each node with its Celery workers and
# a beat of its own (RedBeat's lock in Redis lets exactly one beat schedule), all on one
# FerretDB/PostgreSQL and one Redis.
#
#   CLUSTER_PORT  nginx's port (default 8080); the nodes listen on the next two
#   CLUSTER_DIR   logs, pid files and nginx's configuration (default var/cluster)
#
# Like `make run`: FerretDB and Redis are started under var/run unless MONGODB_URI and REDIS_URL
# are set; the database is seeded; every process is restarted when it exits (SUPERVISE=1, as
# systemd's Restart=always would; docs/deploy.md). $CLUSTER_DIR/ready appears once nginx answers
# for both nodes. Ctrl-C or SIGTERM stops exactly what it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/stack.sh
CLUSTER_PORT=${CLUSTER_PORT:-8080}
CLUSTER_DIR=${CLUSTER_DIR:-$root/var/cluster}
export APP_CONFIG=${APP_CONFIG:-development}
started_servers=0
nginx_pid=

cleanup() {
  trap - INT TERM EXIT
  echo "cluster: stopping" >&2
  rm -f "$CLUSTER_DIR/ready"
  # nginx first: no new requests reach a node that is finishing what it holds.
  if [ -n "$nginx_pid" ]; then kill -QUIT "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  stop_stack
  if [ "$started_servers" = 1 ]; then scripts/servers.sh stop; fi
  exit 0
}
trap cleanup INT TERM EXIT

if use_local_servers "$root"; then started_servers=1; fi
[ -x /usr/sbin/nginx ] || scripts/system-packages.sh

rm -rf "$CLUSTER_DIR" && mkdir -p "$CLUSTER_DIR/nginx/tmp"
.venv/bin/flask --app app seed
# Every link the nodes write starts with the balancer's address; they trust one proxy hop for
# the client's address and scheme (X-Forwarded-For, X-Forwarded-Proto).
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:$CLUSTER_PORT}
export PROXY_FIX_X_FOR=1
ports=($((CLUSTER_PORT + 1)) $((CLUSTER_PORT + 2)))
SUPERVISE=${SUPERVISE:-1} start_stack "$CLUSTER_DIR/node1" "${ports[0]}"
SUPERVISE=${SUPERVISE:-1} start_stack "$CLUSTER_DIR/node2" "${ports[1]}"
for port in "${ports[@]}"; do wait_healthy "$port" 90; done

# nginx, as root, runs its worker as nobody; its scratch directories must be that user's too.
user_line=""
if [ "$(id -u)" = 0 ]; then
  user_line="user nobody nogroup;"
  chown -R nobody:nogroup "$CLUSTER_DIR/nginx/tmp"
fi
sed -e "s|@USER@|$user_line|" -e "s|@DIR@|$CLUSTER_DIR/nginx|g" -e "s|@PORT@|$CLUSTER_PORT|" \
  -e "s|@NODE1@|127.0.0.1:${ports[0]}|" -e "s|@NODE2@|127.0.0.1:${ports[1]}|" \
  deploy/nginx/cluster.conf.in >"$CLUSTER_DIR/nginx/nginx.conf"
/usr/sbin/nginx -t -q -e "$CLUSTER_DIR/nginx/error.log" -p "$CLUSTER_DIR/nginx" -c "$CLUSTER_DIR/nginx/nginx.conf"
/usr/sbin/nginx -e "$CLUSTER_DIR/nginx/error.log" -p "$CLUSTER_DIR/nginx" -c "$CLUSTER_DIR/nginx/nginx.conf" &
nginx_pid=$!
wait_healthy "$CLUSTER_PORT" 30
touch "$CLUSTER_DIR/ready"
cat <<MSG

  The cluster is running at http://127.0.0.1:$CLUSTER_PORT (nginx), nodes on ${ports[*]}
  Logs and pid files: $CLUSTER_DIR/node1, $CLUSTER_DIR/node2, $CLUSTER_DIR/nginx
  Press Ctrl-C to stop.

MSG
# Wait for a signal, not for a child: a supervised process's restarts must not end this script.
while true; do sleep 3600 & wait $! || true; done
