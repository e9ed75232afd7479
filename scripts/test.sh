#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run the whole suite.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -k level`).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages used by the tests. Real components, not mocks: later test suites add
# nmap, a DNS server and Chromium here.
DEBIAN_PACKAGES=()
if [ "${#DEBIAN_PACKAGES[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${DEBIAN_PACKAGES[@]}"
  else
    echo "note: not root; assuming these Debian packages are installed: ${DEBIAN_PACKAGES[*]}" >&2
  fi
fi

python3 -m pip install --quiet --disable-pip-version-check '.[test]'
exec python3 -m pytest "$@"
