#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run every test.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt

if [ ! -x /usr/bin/chromium ]; then
  # Debian's Chromium for the browser tests (Playwright never downloads a browser here).
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium > /dev/null
fi

exec python -m pytest "$@"
