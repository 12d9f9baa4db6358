#!/usr/bin/env bash
# `make bench`: the benchmark (benchmarks/hot_pages.py, through gunicorn) on its own PostgreSQL, FerretDB and Redis (var/bench,
# ports of their own), never the data of `make run` or of the tests. Prints figures.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export VAR_DIR=$root/var/bench FERRETDB_PORT=${BENCH_FERRETDB_PORT:-27057} REDIS_PORT=${BENCH_REDIS_PORT:-6419}
export POSTGRES_PORT=$((FERRETDB_PORT + 27300))
trap 'scripts/servers.sh stop' EXIT INT TERM
scripts/servers.sh start || exit 1
export MONGODB_URI="mongodb://127.0.0.1:$FERRETDB_PORT/bench_hot"
export FERRETDB_POSTGRESQL_URL="postgres://postgres@127.0.0.1:$POSTGRES_PORT/ferretdb"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
# shellcheck disable=SC2086 — sizes are words on purpose
.venv/bin/python benchmarks/hot_pages.py ${BENCH_SIZES:-10000 100000}
