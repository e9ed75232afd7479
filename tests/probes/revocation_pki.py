"""A test PKI for revocation: a CA, a delegated OCSP responder, leaves that name an OCSP
responder and a CRL distribution point on loopback, OCSP responses and CRLs made with
`cryptography`, and a real OCSP responder (`openssl ocsp`) behind a loopback HTTP server."""

from __future__ import annotations

import base64
import datetime as dt
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID
from probes.tls_servers import Issued, ec_key, issue

DAY = dt.timedelta(days=1)


@dataclass
class Pki:
    root: Issued
    responder: Issued  # delegated: id-kp-OCSPSigning, issued by root
    stranger: Issued  # a CA that did not issue the leaves


def make_pki(now: dt.datetime) -> Pki:
    root = issue("Revocation CA (test)", key=ec_key(), not_before=now - 400 * DAY,
                 not_after=now + 3000 * DAY, ca=True)
    stranger = issue("Stranger CA (test)", key=ec_key(), not_before=now - 400 * DAY,
                     not_after=now + 3000 * DAY, ca=True)
    key = ec_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "OCSP (test)")]))
        .issuer_name(root.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - 10 * DAY)
        .not_valid_after(now + 300 * DAY)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False)
        .sign(root.key, hashes.SHA256())
    )
    return Pki(root, Issued(cert, key), stranger)


def leaf(pki: Pki, name: str, now: dt.datetime, *, ocsp_url: str | None = None,
         crl_url: str | None = None, serial: int | None = None) -> Issued:
    """A server certificate for `name` by the test CA, naming the given services."""
    issued = issue(name, key=ec_key(), not_before=now - 30 * DAY, not_after=now + 300 * DAY,
                   issuer=pki.root, sans=(name,), serial=serial)
    if ocsp_url is None and crl_url is None:
        return issued
    builder = (
        x509.CertificateBuilder()
        .subject_name(issued.cert.subject)
        .issuer_name(issued.cert.issuer)
        .public_key(issued.key.public_key())
        .serial_number(issued.cert.serial_number)
        .not_valid_before(issued.cert.not_valid_before_utc)
        .not_valid_after(issued.cert.not_valid_after_utc)
    )
    for extension in issued.cert.extensions:
        builder = builder.add_extension(extension.value, extension.critical)
    if ocsp_url is not None:
        builder = builder.add_extension(x509.AuthorityInformationAccess([
            x509.AccessDescription(AuthorityInformationAccessOID.OCSP,
                                   x509.UniformResourceIdentifier(ocsp_url))]), critical=False)
    if crl_url is not None:
        builder = builder.add_extension(x509.CRLDistributionPoints([
            x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        ]), critical=False)
    return Issued(builder.sign(pki.root.key, hashes.SHA256()), issued.key)


def ocsp_response(
    target: x509.Certificate, issuer: x509.Certificate, signer: Issued, *,
    status: ocsp.OCSPCertStatus = ocsp.OCSPCertStatus.GOOD, this_update: dt.datetime,
    next_update: dt.datetime | None, revoked_at: dt.datetime | None = None,
    include_signer: bool = False,
) -> bytes:
    """A DER basic OCSP response for `target`, signed by `signer` (the issuer or a delegate)."""
    builder = ocsp.OCSPResponseBuilder().add_response(
        cert=target, issuer=issuer, algorithm=hashes.SHA1(), cert_status=status,  # noqa: S303
        this_update=this_update, next_update=next_update,
        revocation_time=revoked_at if status is ocsp.OCSPCertStatus.REVOKED else None,
        revocation_reason=None,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, signer.cert)
    if include_signer:
        builder = builder.certificates([signer.cert])
    response = builder.sign(signer.key, hashes.SHA256())  # type: ignore[arg-type]
    return response.public_bytes(serialization.Encoding.DER)


def crl(issuer: Issued, *, this_update: dt.datetime, next_update: dt.datetime,
        revoked: tuple[int, ...] = (), revoked_at: dt.datetime | None = None) -> bytes:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.cert.subject)
        .last_update(this_update)
        .next_update(next_update)
    )
    for serial in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial)
            .revocation_date(revoked_at or this_update).build())
    return builder.sign(issuer.key, hashes.SHA256()).public_bytes(  # type: ignore[arg-type]
        serialization.Encoding.DER)


def write_pem(path: Path, issued: Issued) -> tuple[Path, Path]:
    cert = path.with_suffix(".pem")
    key = path.with_suffix(".key")
    cert.write_bytes(issued.cert.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(issued.key.private_bytes(serialization.Encoding.PEM,
                                             serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()))
    return cert, key


def index_line(cert: x509.Certificate, revoked_at: dt.datetime | None) -> str:
    """One line of `openssl ocsp -index` (the `openssl ca` database): V valid, R revoked."""
    expiry = cert.not_valid_after_utc.strftime("%y%m%d%H%M%SZ")
    subject = "/CN=" + cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    serial = f"{cert.serial_number:X}"
    if len(serial) % 2:
        serial = "0" + serial
    if revoked_at is None:
        return f"V\t{expiry}\t\t{serial}\tunknown\t{subject}\n"
    return f"R\t{expiry}\t{revoked_at.strftime('%y%m%d%H%M%SZ')}\t{serial}\tunknown\t{subject}\n"


class _Handler(BaseHTTPRequestHandler):
    """GET /<base64 request> (RFC 6960 A.1) → `openssl ocsp` answers it; GET /*.crl → a file."""

    server: _Server

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        if self.path.endswith(".crl"):
            body = self.server.crls.get(self.path.lstrip("/"))
            self._send(body, "application/pkix-crl")
            return
        try:
            request = base64.b64decode(unquote(self.path.lstrip("/")), validate=True)
        except ValueError:
            self._send(None, "text/plain")
            return
        self._send(self.server.answer(request), "application/ocsp-response")

    def _send(self, body: bytes | None, kind: str) -> None:
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def __init__(self, folder: Path, ca: Path, signer: tuple[Path, Path]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.folder, self.ca, self.signer = folder, ca, signer
        self.requests: list[str] = []
        self.crls: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def answer(self, request: bytes) -> bytes:
        """The real `openssl ocsp` responder answering one request from files (it has no
        option to listen on loopback only, so this server listens and it answers)."""
        with self._lock:
            (self.folder / "req.der").write_bytes(request)
            subprocess.run(
                ["openssl", "ocsp", "-index", str(self.folder / "index.txt"), "-CA",
                 str(self.ca), "-rsigner", str(self.signer[0]), "-rkey", str(self.signer[1]),
                 "-ndays", "1", "-reqin", str(self.folder / "req.der"), "-respout",
                 str(self.folder / "resp.der")],
                check=True, capture_output=True, timeout=30,
            )
            return (self.folder / "resp.der").read_bytes()


@contextmanager
def responder(folder: Path, pki: Pki, index: str) -> Iterator[_Server]:
    """An OCSP responder and CRL server on 127.0.0.1 (`server.server_address[1]` is its port)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.txt").write_text(index, encoding="ascii")
    ca, _ = write_pem(folder / "ca", pki.root)
    signer = write_pem(folder / "ocsp", pki.responder)
    server = _Server(folder, ca, signer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
