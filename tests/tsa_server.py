"""A time-stamping authority on loopback for the tests: an HTTP server on 127.0.0.1 that
answers each RFC 3161 query with `openssl ts -reply` (a real TSA implementation, run with an
argument list), signing with a TSA certificate of the test PKI."""

from __future__ import annotations

import http.server
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.x509.oid import ExtendedKeyUsageOID
from signing_pki import Pki, issue

_CONFIG = """\
[ tsa ]
default_tsa = test_tsa
[ test_tsa ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/tsa-chain.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


@contextmanager
def loopback_tsa(pki: Pki, *, trusted: bool = True) -> Iterator[str]:
    """The URL of a TSA on 127.0.0.1 for as long as the block lasts, its certificate (with the
    timeStamping purpose, which openssl requires) issued by the PKI's Government CA, or with
    `trusted=False` by a root of its own."""
    issuer = pki.gov_ca if trusted else issue("Rogue TSA Root", None, ca=True, sign=False)
    tsa = issue("Test Time-Stamping Authority", issuer,
                purposes=[ExtendedKeyUsageOID.TIME_STAMPING])
    with tempfile.TemporaryDirectory(prefix="tsa-") as scratch:
        folder = Path(scratch)
        (folder / "tsa.pem").write_bytes(tsa.pem())
        (folder / "tsa.key").write_bytes(tsa.key_pem())
        (folder / "tsa-chain.pem").write_bytes(issuer.pem())
        (folder / "serial").write_text("01\n", encoding="ascii")
        config = folder / "tsa.cnf"
        config.write_text(_CONFIG.format(dir=folder), encoding="ascii")
        lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                query = self.rfile.read(int(self.headers["Content-Length"]))
                with lock:
                    (folder / "q.tsq").write_bytes(query)
                    done = subprocess.run(
                        ["openssl", "ts", "-reply", "-config", str(config),
                         "-queryfile", str(folder / "q.tsq"), "-out", str(folder / "r.tsr")],
                        capture_output=True, check=False, timeout=60,
                    )
                    reply = (folder / "r.tsr").read_bytes() if done.returncode == 0 else b""
                self.send_response(200 if reply else 500)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: object) -> None:
                return

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
