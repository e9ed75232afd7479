"""Real loopback servers and a private test PKI for the TLS probe tests.

Only 127.0.0.1 and ::1 are ever bound. Each server listens on an ephemeral port (bind port 0)
in a daemon thread and completes handshakes until `stop()`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

LOOPBACKS = ("127.0.0.1", "::1")
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def rsa_key(bits: int) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _name(cn: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "auditor test PKI"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


@dataclass
class Issued:
    cert: x509.Certificate
    key: PrivateKey


def issue(
    cn: str,
    *,
    key: PrivateKey,
    not_before: dt.datetime,
    not_after: dt.datetime,
    issuer: Issued | None = None,
    sans: tuple[str, ...] = (),
    ca: bool = False,
    hash_algorithm: hashes.HashAlgorithm | None = None,
    serial: int | None = None,
) -> Issued:
    """Issue a certificate; `issuer=None` makes it self-signed."""
    subject = _name(cn)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(serial if serial is not None else x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if sans:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False
        )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
    signer = issuer.key if issuer else key
    cert = builder.sign(signer, hash_algorithm or hashes.SHA256())
    return Issued(cert, key)


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def write_chain(directory: Path, name: str, leaf: Issued, *extra: x509.Certificate) -> Path:
    """Write `name.pem` (leaf then `extra`) and `name.key`; return the directory-relative pem."""
    directory.mkdir(parents=True, exist_ok=True)
    chain = directory / f"{name}.pem"
    chain.write_bytes(b"".join(pem(c) for c in (leaf.cert, *extra)))
    (directory / f"{name}.key").write_bytes(
        leaf.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return chain


def _listener(host: str) -> socket.socket:
    if host not in LOOPBACKS:
        raise ValueError(f"tests bind loopback only, not {host!r}")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    sock.listen(16)
    sock.settimeout(0.05)
    return sock


@dataclass
class LoopbackServer:
    """Accept connections on loopback in a thread and pass each to `handler` until stopped."""

    host: str
    handler: Callable[[socket.socket, threading.Event], None]
    _sock: socket.socket | None = None
    _thread: threading.Thread | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _conns: list[socket.socket] = field(default_factory=list)
    handshakes: int = 0

    @property
    def port(self) -> int:
        assert self._sock is not None
        return int(self._sock.getsockname()[1])

    def start(self) -> LoopbackServer:
        self._sock = _listener(self.host)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            self._conns.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            self.handler(conn, self._stop)
        except Exception:  # noqa: S110 - a client hanging up mid-handshake is expected here
            pass
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._sock is not None:
            self._sock.close()
        for conn in self._conns:
            conn.close()


def tls_handler(context: ssl.SSLContext) -> Callable[[socket.socket, threading.Event], None]:
    def handle(conn: socket.socket, stop: threading.Event) -> None:
        conn.settimeout(5)
        # Handshake, then wait for the client to close (it does right after the handshake).
        with context.wrap_socket(conn, server_side=True) as tls, contextlib.suppress(OSError):
            tls.recv(1)

    return handle


def silent_handler(conn: socket.socket, stop: threading.Event) -> None:
    """Accept and never speak (a TCP service that is not TLS and never answers)."""
    stop.wait(30)


def http_handler(conn: socket.socket, stop: threading.Event) -> None:
    """Answer whatever arrives with plain HTTP, as a port-80 server would."""
    conn.settimeout(5)
    conn.recv(4096)
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def server_context(
    chain: Path, *, weak: bool = False, tls_version: ssl.TLSVersion | None = None
) -> ssl.SSLContext:
    """A server context for `chain` (+ `.key`); `weak` lowers the security level to 0."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if weak or tls_version is not None:
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    if tls_version is not None:
        ctx.minimum_version = tls_version
        ctx.maximum_version = tls_version
    ctx.load_cert_chain(chain, chain.with_suffix(".key"))
    return ctx


def free_port(host: str) -> int:
    """A port on loopback that nothing listens on (bound, then closed)."""
    sock = _listener(host)
    port = int(sock.getsockname()[1])
    sock.close()
    return port


def _read_request_head(conn: socket.socket | ssl.SSLSocket, limit: int = 65_536) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data and len(data) < limit:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def http_raw_handler(
    response: bytes | Callable[[bytes], bytes],
    *,
    context: ssl.SSLContext | None = None,
    requests: list[bytes] | None = None,
) -> Callable[[socket.socket, threading.Event], None]:
    """Read one request head (over TLS with `context`), record it in `requests`, send
    `response` verbatim (or `response(request)`), then close without a TLS close_notify."""

    def answer(conn: socket.socket | ssl.SSLSocket) -> None:
        request = _read_request_head(conn)
        if requests is not None:
            requests.append(request)
        conn.sendall(response(request) if callable(response) else response)

    def handle(conn: socket.socket, stop: threading.Event) -> None:
        conn.settimeout(5)
        if context is None:
            answer(conn)
            return
        with context.wrap_socket(conn, server_side=True) as tls:
            answer(tls)

    return handle


def trickle_handler(
    data: bytes, interval: float, *, duration: float = 5.0
) -> Callable[[socket.socket, threading.Event], None]:
    """Read the request, then send `data` one byte every `interval` seconds, then repeat its
    last byte, for `duration` seconds: each recv gets something quickly, the response does not
    end (a client without an overall deadline waits the whole `duration`)."""

    def handle(conn: socket.socket, stop: threading.Event) -> None:
        conn.settimeout(5)
        _read_request_head(conn)
        position = 0
        end = time.monotonic() + duration
        while not stop.wait(interval) and time.monotonic() < end:
            conn.sendall(data[position : position + 1] or data[-1:])
            position += 1

    return handle


def html_response(
    body: str | bytes,
    *,
    status: str = "200 OK",
    headers: tuple[tuple[str, str], ...] = (),
) -> bytes:
    """A complete HTTP/1.1 response with Content-Length."""
    payload = body.encode("utf-8") if isinstance(body, str) else body
    lines = [f"HTTP/1.1 {status}", "Content-Type: text/html; charset=utf-8",
             f"Content-Length: {len(payload)}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload
