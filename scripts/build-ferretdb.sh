#!/usr/bin/env bash
# Build FerretDB 1.24.2 once into the project-local cache (.cache/) and print the binary's path.
#
# `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` builds a binary that panics at
# start: the module does not ship build/version/version.txt (FerretDB issue #2982). So we fetch the
# very same module with `go mod download`, write version.txt as FerretDB's own message asks, and
# `go build` the same cmd/ferretdb package, without its SQLite backend (we run the PostgreSQL one;
# leaving SQLite out takes a fifth off a cold build). See docs/ferretdb.md.
set -euo pipefail
VERSION=1.24.2
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/.cache/ferretdb-$VERSION"
bin="$out/ferretdb"
# The version is read into a variable, not piped into `grep -q`: with pipefail, grep exiting at
# the first match makes ferretdb die of SIGPIPE and the whole check fail at random.
reports_version() { local out; out=$("$1" --version 2>/dev/null) || return 1; [[ "$out" == *"v$VERSION"* ]]; }
if [ -x "$bin" ] && reports_version "$bin"; then
  echo "$bin"; exit 0
fi
command -v go >/dev/null || { echo "build-ferretdb: Go is required (https://go.dev) and was not found" >&2; exit 1; }
mkdir -p "$out"
echo "build-ferretdb: building FerretDB v$VERSION (about a minute, once)" >&2
moddir=$(cd "$out" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@v$VERSION" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
src="$out/src"
rm -rf "$src"; cp -r "$moddir" "$src"; chmod -R u+w "$src"
echo "v$VERSION" > "$src/build/version/version.txt"
(cd "$src" && CGO_ENABLED=0 go build -trimpath -tags ferretdb_no_sqlite -o "$bin" ./cmd/ferretdb) >&2
rm -rf "$src"
reports_version "$bin" || { echo "build-ferretdb: built binary does not report v$VERSION" >&2; exit 1; }
echo "$bin"
