"""The stdlib floor for bench/tls_probe.py: the least any Python tool can spend on the job.

    python bench/tls_floor.py PORTS.json CA.pem THREADS

For every port of 127.0.0.1 in PORTS.json: one verifying TLS handshake (the system trust store
plus CA.pem, as auditor's verify handshake trusts; host name not checked by OpenSSL, as in
auditor, which matches names itself), then the peer certificate's DER is read and its notAfter
parsed with `cryptography`. One shared context, THREADS threads (auditor's defaults allow 4
connections to one address), no retries, no facts, no output beyond {port: notAfter} as JSON.
Kept tiny on purpose: everything it imports is what such a client cannot avoid.
"""

from __future__ import annotations

import json
import socket
import ssl
import sys
from concurrent.futures import ThreadPoolExecutor

from cryptography import x509

HOST = "127.0.0.1"  # the only address ever contacted


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        ports = json.load(handle)
    ctx = ssl.create_default_context()  # the system trust store ...
    ctx.load_verify_locations(cafile=sys.argv[2])  # ... plus the bench CA
    ctx.check_hostname = False

    def one(port: int) -> tuple[int, str]:
        with socket.create_connection((HOST, port), timeout=5) as sock, \
                ctx.wrap_socket(sock) as tls:
            der = tls.getpeercert(binary_form=True)
        cert = x509.load_der_x509_certificate(der or b"")
        return port, cert.not_valid_after_utc.date().isoformat()

    with ThreadPoolExecutor(max_workers=int(sys.argv[3])) as pool:
        found = dict(pool.map(one, ports))
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
