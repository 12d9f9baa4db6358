#!/usr/bin/env bash
# Debian libraries the Python packages need at run time: Pango for WeasyPrint (PDFs).
# Idempotent; installs only what is missing.
set -euo pipefail
need=()
# Read once into a variable: piping into `grep -q` under pipefail fails at random (SIGPIPE).
libs=$(ldconfig -p)
[[ "$libs" == *"libpango-1.0.so.0"* ]] || need+=(libpango-1.0-0)
[[ "$libs" == *"libpangoft2-1.0.so.0"* ]] || need+=(libpangoft2-1.0-0)
[ ${#need[@]} -eq 0 ] && exit 0
echo "system-packages: installing ${need[*]} from Debian" >&2
if [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
