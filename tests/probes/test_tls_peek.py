"""The certificate-only handshake (tls_peek.py) against raw loopback servers: the Certificate
message split across records, an alert, a server that is not TLS, one that hangs up."""

from __future__ import annotations

import datetime as dt
import socket
import struct
import threading
from collections.abc import Callable, Iterator

import pytest
from cryptography.hazmat.primitives import serialization
from tls_servers import LoopbackServer, ec_key, issue

from auditor.probes.tls_peek import PeekError, client_hello, peek_certificates

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def _der() -> bytes:
    cert = issue("www.test", key=ec_key(), not_before=NOW, not_after=NOW + dt.timedelta(days=9))
    return cert.cert.public_bytes(serialization.Encoding.DER)


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("!BHH", kind, 0x0303, len(body)) + body


def _handshake(kind: int, body: bytes) -> bytes:
    return bytes([kind]) + len(body).to_bytes(3, "big") + body


def _answering(answer: bytes) -> Callable[[socket.socket, threading.Event], None]:
    def handle(conn: socket.socket, stop: threading.Event) -> None:
        conn.settimeout(5)
        conn.recv(65_536)  # the ClientHello
        if answer:
            conn.sendall(answer)

    return handle


@pytest.fixture
def serve() -> Iterator[Callable[[bytes], int]]:
    servers: list[LoopbackServer] = []

    def start(answer: bytes) -> int:
        server = LoopbackServer("127.0.0.1", _answering(answer)).start()
        servers.append(server)
        return server.port

    yield start
    for server in servers:
        server.stop()


def _peek(port: int) -> tuple[bytes, ...]:
    return peek_certificates(("127.0.0.1", port), socket.AF_INET, "www.test", 3.0)


def test_the_certificates_are_read_across_records(serve: Callable[[bytes], int]) -> None:
    leaf, issuer = _der(), _der()
    entries = b"".join(len(d).to_bytes(3, "big") + d for d in (leaf, issuer))
    certificate = _handshake(11, len(entries).to_bytes(3, "big") + entries)
    server_hello = _handshake(2, b"\x03\x03" + b"\x00" * 32 + b"\x00\xc0\x2b\x00")
    stream = server_hello + certificate
    middle = len(server_hello) + 10  # the Certificate message split over two records
    answer = _record(22, stream[:middle]) + _record(22, stream[middle:])
    assert _peek(serve(answer)) == (leaf, issuer)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (_record(21, b"\x02\x28"), "refused every offer (TLS alert 40)"),
        (b"HTTP/1.1 400 Bad Request\r\n\r\n", "unexpected TLS record type 72"),
        (b"", "closed the connection before its certificate"),
        (_record(22, _handshake(2, b"\x03\x03" + b"\x00" * 35) + _handshake(14, b"")),
         "sent no certificate"),
    ],
    ids=["alert", "not-tls", "hang-up", "no-certificate"],
)
def test_no_certificate_is_a_reason_never_a_guess(
    serve: Callable[[bytes], int], answer: bytes, reason: str
) -> None:
    with pytest.raises(PeekError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        _peek(serve(answer))


def test_the_client_hello_is_well_formed_and_offers_the_weak_curve() -> None:
    hello = client_hello("www.test")
    kind, version, size = struct.unpack("!BHH", hello[:5])
    assert (kind, version, size) == (22, 0x0301, len(hello) - 5)
    assert hello[5] == 1 and int.from_bytes(hello[6:9], "big") == len(hello) - 9
    assert b"www.test" in hello
    assert struct.pack("!H", 19) in hello  # secp192r1 among the supported groups
    assert b"www.test" not in client_hello(None)
