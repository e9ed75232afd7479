"""Certificate files named in an inventory: one blocking function of one path, which never raises.

For example an agency's specialised digital-signature certificate (chứng thư số chuyên dùng
công vụ, Decree 68/2024/NĐ-CP) or a server certificate kept on disk. The format is detected
from the content, never from the extension:

* `pem` — one or more `CERTIFICATE` blocks (other blocks, private keys included, are skipped);
* `der` — one DER certificate;
* `pkcs7-pem` / `pkcs7-der` — a PKCS#7 (`.p7b`, `.p7c`) certificate bag;
* `pkcs12` — a PKCS#12 (`.p12`, `.pfx`) file without a password (or with the empty password).

The file's trust is judged too (certtrust.py): its certificates plus the CA bundle the system
declares must build a valid path at the audit date, for signing.

Private keys are never parsed, kept or quoted: the observation holds `CertFacts` only, and error
messages never contain bytes of the file. The read is bounded: at most `max_bytes + 1` bytes of
a regular file are read; directories, FIFOs, devices and sockets are refused without reading.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7, pkcs12

from auditor.probes.certinfo import (
    UNREADABLE_ERRORS,
    CertFacts,
    UnreadableCert,
    cert_facts,
    unreadable,
    unreadable_problem,
)
from auditor.probes.certtrust import FileTrust, TrustReason, judge_file_trust

_PEM_BLOCK = re.compile(
    rb"-----BEGIN ([A-Z0-9 ]{1,64})-----\r?\n?(.*?)-----END \1-----", re.DOTALL
)
_CERT_LABELS = frozenset({b"CERTIFICATE", b"X509 CERTIFICATE", b"TRUSTED CERTIFICATE"})
_PKCS7_LABELS = frozenset({b"PKCS7", b"CMS"})
_PKCS12_PROTECTED = "PKCS#12 file is password-protected; export the certificate as PEM"


@dataclass(frozen=True)
class CertFileObservation:
    """Every certificate in one file, judged at `as_of`. `error` set ⇒ no certificates."""

    path: str  # as given
    as_of: dt.date
    error: str | None = None
    format: str | None = None  # "pem" | "der" | "pkcs7-pem" | "pkcs7-der" | "pkcs12"
    certificates: tuple[CertFacts, ...] = ()  # leaf first, then its issuers, then the rest
    #: Certificates of the file `cryptography` cannot fully parse, by their place in the file
    #: (1 = the first certificate): each is an `error` of its own; the others are still judged.
    unreadable: tuple[UnreadableCert, ...] = ()
    #: The file's trust verdict against the CA bundle (certtrust.py); None when not judged.
    trust: FileTrust | None = None
    #: The readable certificates, leaf first (DER): judged against declared CRL files.
    chain_der: tuple[bytes, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def leaf(self) -> CertFacts | None:
        """The end-entity certificate (see `order_certificates`), or None if there is none."""
        return self.certificates[0] if self.certificates else None


class _FileError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _read_bounded(path: Path, max_bytes: int) -> bytes:
    """At most `max_bytes` of a regular file; anything else is a `_FileError`."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)  # O_NONBLOCK: opening a FIFO without a writer must not hang
    except FileNotFoundError as exc:
        raise _FileError("not found") from exc
    except IsADirectoryError as exc:
        raise _FileError("is a directory, not a certificate file") from exc
    except PermissionError as exc:
        raise _FileError("permission denied") from exc
    except OSError as exc:
        raise _FileError(f"cannot open: {exc.strerror or exc}") from exc
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _FileError("is a directory, not a certificate file")
        if not stat.S_ISREG(info.st_mode):
            raise _FileError("not a regular file (a FIFO, device or socket)")
        if info.st_size > max_bytes:
            raise _FileError(f"too large: {info.st_size} bytes (limit {max_bytes})")
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, max_bytes + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:  # it grew after fstat
            raise _FileError(f"too large: more than {max_bytes} bytes")
        return b"".join(chunks)
    except OSError as exc:
        raise _FileError(f"cannot read: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


def _der_element(data: bytes, offset: int = 0) -> tuple[int, int, int] | None:
    """(tag, start of contents, end of element) of the DER/BER element at `offset`.

    End is -1 for BER indefinite length. None when the bytes are not a plausible element.
    """
    if len(data) < offset + 2:
        return None
    tag = data[offset]
    first = data[offset + 1]
    pos = offset + 2
    if first < 0x80:
        return tag, pos, pos + first
    if first == 0x80:
        return tag, pos, -1
    count = first & 0x7F
    if count > 4 or len(data) < pos + count:
        return None
    length = int.from_bytes(data[pos : pos + count], "big")
    return tag, pos + count, pos + count + length


def _der_kind(data: bytes) -> str | None:
    """"der", "pkcs7-der" or "pkcs12" from the first two DER headers; None if none fits."""
    outer = _der_element(data)
    if outer is None or outer[0] != 0x30:
        return None
    inner = _der_element(data, outer[1])
    if inner is None:
        return None
    if inner[0] == 0x30:
        return "der"  # Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, ... }
    if inner[0] == 0x06:
        return "pkcs7-der"  # ContentInfo ::= SEQUENCE { contentType OID, ... }
    if inner[0] == 0x02 and data[inner[1] : inner[2]] == b"\x03":
        return "pkcs12"  # PFX ::= SEQUENCE { version INTEGER (3), ... }
    return None


def _first_der_certificate(der: bytes) -> x509.Certificate:
    """A DER certificate, ignoring what follows it (OpenSSL's TRUSTED CERTIFICATE aux data)."""
    element = _der_element(der)
    if element is not None and 0 < element[2] < len(der):
        der = der[: element[2]]
    return x509.load_der_x509_certificate(der)


def _load_pkcs12(data: bytes) -> list[x509.Certificate]:
    for password in (None, b""):
        try:
            _key, cert, extra = pkcs12.load_key_and_certificates(data, password)
        except (ValueError, UnsupportedAlgorithm):
            continue
        del _key  # never kept
        return ([cert] if cert is not None else []) + list(extra)
    raise _FileError(_PKCS12_PROTECTED)


_Loaded = tuple[str, list[x509.Certificate | str]]  # a certificate, or why it is unreadable


def _load_pem(data: bytes) -> _Loaded:
    blocks = _PEM_BLOCK.findall(data)
    certs: list[x509.Certificate | str] = []
    fmt: str | None = None
    keys = False
    for number, (label, body) in enumerate(blocks, start=1):
        if label not in _CERT_LABELS and label not in _PKCS7_LABELS:
            keys = keys or b"PRIVATE KEY" in label
            continue
        try:
            der = base64.b64decode(b"".join(body.split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise _FileError(f"PEM block {number} ({label.decode()}) is not valid base64") from exc
        try:
            if label in _CERT_LABELS:
                certs.append(_first_der_certificate(der))
                fmt = fmt or "pem"
            else:
                certs.extend(pkcs7.load_der_pkcs7_certificates(der))
                fmt = fmt or "pkcs7-pem"
        except UNREADABLE_ERRORS as exc:
            if label not in _CERT_LABELS:
                raise _FileError(
                    f"PEM block {number} ({label.decode()}) is not a readable certificate"
                ) from exc
            certs.append(f"{unreadable(exc)} (PEM block {number})")
            fmt = fmt or "pem"
    if fmt is None:
        if keys:
            raise _FileError("no certificate in the file: it holds a private key only")
        raise _FileError("no certificate in the file: PEM without a CERTIFICATE block")
    return fmt, certs


def _load(data: bytes) -> _Loaded:
    if b"-----BEGIN " in data:
        return _load_pem(data)
    kind = _der_kind(data)
    if kind is None:
        raise _FileError("not a certificate: neither PEM, DER, PKCS#7 nor PKCS#12")
    if kind == "pkcs12":
        return kind, list(_load_pkcs12(data))
    try:
        if kind == "der":
            return kind, [x509.load_der_x509_certificate(data)]
        return kind, list(pkcs7.load_der_pkcs7_certificates(data))
    except UNREADABLE_ERRORS as exc:
        if kind == "der":
            raise _FileError(unreadable(exc)) from exc
        raise _FileError("not a certificate: unreadable PKCS#7 data") from exc


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False
    except ValueError:  # a malformed extension: not evidence of a CA
        return False


def order_certificates(certs: list[x509.Certificate]) -> list[x509.Certificate]:
    """Duplicates dropped; the leaf first, then its issuers found in the file, then the rest.

    The leaf is the first certificate (in file order) that is not a CA (no BasicConstraints
    with ca=True) and issued no other certificate in the file; failing that, the first one that
    issued no other; failing that, the first certificate.
    """
    unique: list[x509.Certificate] = []
    for cert in certs:
        if cert not in unique:
            unique.append(cert)
    if not unique:
        return []

    def issued_another(cert: x509.Certificate) -> bool:
        return any(o is not cert and o.issuer == cert.subject for o in unique)

    leaf = next(
        (c for c in unique if not _is_ca(c) and not issued_another(c)),
        next((c for c in unique if not issued_another(c)), unique[0]),
    )
    ordered = [leaf]
    current = leaf
    while current.issuer != current.subject:
        issuer = next(
            (c for c in unique if c not in ordered and c.subject == current.issuer), None
        )
        if issuer is None:
            break
        ordered.append(issuer)
        current = issuer
    ordered += [c for c in unique if c not in ordered]
    return ordered


def read_certificate_file(
    path: Path,
    *,
    as_of: dt.date,
    max_bytes: int = 1_048_576,
    ca_bundle: Path | None = None,
    bundle_refused: str | None = None,
) -> CertFileObservation:
    """Read every certificate in the file at `path`, judged at `as_of`. Never raises.

    Detect the format from content, not the extension. Certificates come leaf first (see
    `order_certificates`); the leaf's `intermediates` are the other certificates of the file,
    in that order, and the other certificates have none. The trust of the file is judged
    against `ca_bundle` (certtrust.py); `bundle_refused` says why the bundle is not read.
    """
    shown = str(path)
    try:
        data = _read_bounded(Path(path), max_bytes)
        fmt, loaded = _load(data)
    except _FileError as failure:
        return CertFileObservation(path=shown, as_of=as_of, error=failure.reason)
    readable: list[x509.Certificate] = []
    broken: list[UnreadableCert] = []
    for place, cert in enumerate(loaded, start=1):
        problem = cert if isinstance(cert, str) else unreadable_problem(cert)
        if problem is None and not isinstance(cert, str):
            readable.append(cert)
        else:
            broken.append(UnreadableCert(place, str(problem)))
    ordered = order_certificates(readable)
    if not ordered:
        error = broken[0].reason if broken else "no certificate in the file"
        return CertFileObservation(
            path=shown, as_of=as_of, format=fmt, error=error, unreadable=tuple(broken)
        )
    try:
        facts = [cert_facts(ordered[0], ordered[1:], as_of=as_of)]
        facts += [cert_facts(cert, as_of=as_of) for cert in ordered[1:]]
    except UNREADABLE_ERRORS as exc:  # pragma: no cover - screened by unreadable_problem
        return CertFileObservation(path=shown, as_of=as_of, format=fmt, error=unreadable(exc))
    if bundle_refused is not None:
        trust = FileTrust(None, TrustReason.OTHER, bundle_refused)
    else:
        trust = judge_file_trust(ordered, ca_bundle, as_of)
    return CertFileObservation(
        path=shown, as_of=as_of, format=fmt, certificates=tuple(facts),
        unreadable=tuple(broken), trust=trust,
        chain_der=tuple(c.public_bytes(Encoding.DER) for c in ordered),
    )
