#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run the whole suite.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -k level`).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages used by the tests. Real components, not mocks.
#   nsd                authoritative DNS server on loopback for the DNS/IPv6 probe tests
#                      (started by the tests themselves, never as a system service)
#   nmap               the port scans (tests/scan, tests/e2e/test_cli_scan.py) and a peer in
#                      the TLS benchmark
#   postgresql         a real PostgreSQL server for the history-store tests (the tests run
#                      initdb/postgres themselves in a temporary directory, Unix socket only)
#   chromium           headless browser for tests/e2e/test_html_browser.py (driven by the
#                      `playwright` Python package; never `playwright install`)
#   fonts-dejavu-core  a font with every Vietnamese glyph, for screenshots and print-to-PDF
#   poppler-utils      pdftoppm, pdftotext and pdffonts, to check the annual report's PDF
#                      (pages render, Vietnamese text and embedded fonts survive); pdfsig,
#                      the independent check of its PAdES signature; pdftotext also at run
#                      time, to find Form 08's signer block (`auditor report sign`)
#   openssl            `openssl cms -verify`: the independent check of a bundle's signature
#                      (tests/e2e/test_cli_bundle.py); `openssl s_server -status_file` (TLS
#                      servers stapling OCSP responses) and the `openssl ocsp` responder of
#                      the revocation tests (tests/probes/test_tls_revocation.py)
#   libreoffice-calc-nogui  headless LibreOffice: re-saves filled agency workbooks as an office
#                      program does and converts them to CSV (tests/e2e/test_workbook_office.py)
#   ldnsutils          ldns-keygen and ldns-signzone: the DNSSEC tests make their own keys and
#                      sign their own zones, served by nsd (tests/probes/signed_zones.py)
#   bind9-utils        dnssec-keygen/-signzone/-dsfromkey: the NSEC3 opt-out test zone (BIND
#                      omits the NSEC3 of an unsigned delegation; ldns does not)
DEBIAN_PACKAGES=(nsd nmap postgresql chromium fonts-dejavu-core poppler-utils
  libreoffice-calc-nogui ldnsutils bind9-utils openssl)
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
