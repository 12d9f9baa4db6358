#!/usr/bin/env bash
# What the browser tier needs: Debian's chromium (never `playwright install`), Devanagari fonts
# for Hindi screenshots, and axe-core from npm (pinned by tests/e2e/package-lock.json).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
need=()
command -v chromium >/dev/null || need+=(chromium)
fonts=$(fc-list 2>/dev/null || true)  # not piped into grep -q: SIGPIPE under pipefail
[[ "$fonts" == *"Noto Sans Devanagari"* ]] || need+=(fonts-noto-core)
if [ ${#need[@]} -gt 0 ]; then
  echo "e2e-setup: installing ${need[*]} from Debian" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
cd "$root/tests/e2e"
if [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
test -f node_modules/axe-core/axe.min.js
