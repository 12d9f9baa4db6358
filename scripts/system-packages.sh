#!/usr/bin/env bash
# Debian packages the portal and its tests need besides Python's: Pango for WeasyPrint (PDFs),
# age to encrypt backups (flask backup), nginx as the load balancer of `make cluster` and the
# kill test. PostgreSQL and Redis are installed by scripts/servers.sh. Idempotent; installs only
# what is missing.
set -euo pipefail
need=()
# Read once into a variable: piping into `grep -q` under pipefail fails at random (SIGPIPE).
libs=$(ldconfig -p)
[[ "$libs" == *"libpango-1.0.so.0"* ]] || need+=(libpango-1.0-0)
[[ "$libs" == *"libpangoft2-1.0.so.0"* ]] || need+=(libpangoft2-1.0-0)
command -v age >/dev/null && command -v age-keygen >/dev/null || need+=(age)
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
[ ${#need[@]} -eq 0 ] && exit 0
echo "system-packages: installing ${need[*]} from Debian" >&2
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
# Debian starts a newly installed nginx on port 80 of every interface; we only want the program
# (scripts/cluster.sh runs its own on loopback), so services are kept from starting meanwhile.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy"
  own_policy=1
fi
trap '[ -n "$own_policy" ] && $sudo rm -f "$policy"' EXIT
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
