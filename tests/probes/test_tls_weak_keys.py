"""A server whose certificate OpenSSL will not complete a handshake with (a P-192 or DSA key) is
still seen, and its key judged: the certificate is read from a certificate-only handshake
(tls_peek.py) while the verifying handshake keeps what it accepts (issue #16)."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import dsa, ec
from tls_servers import (
    LoopbackServer,
    free_port,
    issue,
    server_context,
    tls_handler,
    write_chain,
)

from auditor.model.inventory import EndpointKind
from auditor.probes.observe import tls_items
from auditor.probes.runner import TlsResult
from auditor.probes.targets import EndpointTarget
from auditor.probes.tls import TlsObservation, probe_endpoint

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DAY = dt.timedelta(days=1)


def _chain(directory: Path, name: str, key: ec.EllipticCurvePrivateKey | dsa.DSAPrivateKey
           ) -> Path:
    cert = issue("www.test", key=key, not_before=NOW - DAY,  # type: ignore[arg-type]
                 not_after=NOW + 30 * DAY, sans=("www.test",))
    return write_chain(directory, name, cert)


def _probe(port: int) -> TlsObservation:
    return probe_endpoint("www.test", port, "www.test", "127.0.0.1", 3.0, None, NOW.date(),
                          check_legacy=False)


def _facts(obs: TlsObservation) -> tuple[dict[str, object], dict[str, str]]:
    target = EndpointTarget(system="s", url="https://www.test/", scheme="https",
                            host="www.test", port=obs.port, kind=EndpointKind.WEB,
                            http_url=None, declared=("127.0.0.1",), ca_bundle=None)
    connection, _cert = tls_items(TlsResult(target, obs))
    return dict(connection.values), dict(connection.errors)


@pytest.fixture
def p192_server(tmp_path: Path) -> Iterator[LoopbackServer]:
    chain = _chain(tmp_path, "p192", ec.generate_private_key(ec.SECP192R1()))
    server = LoopbackServer("127.0.0.1", tls_handler(server_context(chain, weak=True))).start()
    yield server
    server.stop()


def test_a_p192_key_is_seen_though_no_handshake_completes(p192_server: LoopbackServer) -> None:
    obs = _probe(p192_server.port)
    assert obs.error is None, obs.error
    assert obs.cert is not None and (obs.cert.key_type, obs.cert.key_bits) == ("ec", 192)
    # Nothing was verified or negotiated: the chain verdict is unknown, never a pass.
    assert obs.chain_verified is None
    assert "handshake" in (obs.verify_error or "")
    assert obs.protocol is None and obs.cipher is None
    assert obs.handshake_note is not None and "certificate-only" in obs.handshake_note
    values, errors = _facts(obs)
    assert "protocol" not in values and "tls13" not in values
    assert errors["tls13"] == obs.handshake_note
    assert values["cert"]["key_bits"] == 192  # type: ignore[index]


def test_the_verifying_handshake_still_refuses_what_it_refused(
    p192_server: LoopbackServer,
) -> None:
    import ssl

    from auditor.probes.tls_connect import verify_context as _verify_context

    ctx = _verify_context(None)
    assert ctx.verify_mode is ssl.CERT_REQUIRED
    sock = socket.create_connection(("127.0.0.1", p192_server.port), timeout=3)
    with pytest.raises(ssl.SSLError), ctx.wrap_socket(sock, server_hostname="www.test"):
        pass


def _wait_listening(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("openssl s_server did not start")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_a_dsa_key_served_by_openssl_s_server_is_seen(tmp_path: Path) -> None:
    # Python's ssl server offers no DHE parameters, so it cannot serve a DSA certificate at
    # all; `openssl s_server` can (DHE-DSS at security level 0).
    chain = _chain(tmp_path, "dsa", dsa.generate_private_key(2048))
    port = free_port("127.0.0.1")
    server = subprocess.Popen(
        ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", str(chain),
         "-key", str(chain.with_suffix(".key")), "-cipher", "ALL:@SECLEVEL=0", "-quiet"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_listening(port, time.monotonic() + 10)
        obs = _probe(port)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert obs.error is None, obs.error
    assert obs.cert is not None and (obs.cert.key_type, obs.cert.key_bits) == ("dsa", 2048)
    assert obs.chain_verified is None
    # Seen through the observing handshake (DHE-DSS, TLS 1.2, security level 0) now that it
    # offers no anonymous suite; before, the server could answer with no certificate at all.
