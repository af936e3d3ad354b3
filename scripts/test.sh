#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run every test.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt

# Debian's Chromium for the browser tests (Playwright never downloads a browser here),
# Redis for the live class store's tests (they start a real redis-server) and nginx for
# the replicas' test (it starts deploy/run-local.sh).
MISSING=""
[ -x /usr/bin/chromium ] || MISSING="$MISSING chromium"
[ -x /usr/bin/redis-server ] || MISSING="$MISSING redis-server"
[ -x /usr/sbin/nginx ] || MISSING="$MISSING nginx"
if [ -n "$MISSING" ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $MISSING > /dev/null
fi

exec python -m pytest "$@"
