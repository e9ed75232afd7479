"""Pure facts about an X.509 certificate and its presented chain (no I/O).

Everything is computed from a `cryptography` certificate and an `as_of` date, so the same
certificate gives the same facts on every run. Host name matching is written here on purpose
(RFC 6125 subset: exact names and a single left-most `*` label, SANs only, no CN fallback), so
it can be judged separately from OpenSSL's chain verification.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa, x25519
from cryptography.x509.oid import NameOID

#: CA/Browser Forum maximum validity of public TLS certificates by issuance date (Baseline
#: Requirements 6.3.2 as amended by ballot SC-081): 398 days until 15/03/2026, then 200, 100
#: from 15/03/2027 and 47 from 15/03/2029. A fixed "30 days left" alarm misfires on 47-day
#: certificates, which is why the facts carry the fraction of the lifetime left as well.
PUBLIC_LIFETIME_SCHEDULE: tuple[tuple[dt.date, int], ...] = (
    (dt.date(2029, 3, 15), 47),
    (dt.date(2027, 3, 15), 100),
    (dt.date(2026, 3, 15), 200),
    (dt.date(2020, 9, 1), 398),
)
#: Before 01/09/2020 the limit was 825 days (ballot SC-22).
_EARLIEST_PUBLIC_LIMIT = 825


def public_lifetime_limit(issued: dt.date) -> int:
    """Longest lifetime (days) a public CA may give a TLS certificate issued on `issued`."""
    for since, days in PUBLIC_LIFETIME_SCHEDULE:
        if issued >= since:
            return days
    return _EARLIEST_PUBLIC_LIMIT


@dataclass(frozen=True)
class IntermediateFacts:
    """One certificate the server presented after the leaf."""

    subject: str
    issuer: str
    not_after: dt.date
    days_left: int
    self_signed: bool


@dataclass(frozen=True)
class CertFacts:
    """What a leaf certificate says about itself, judged at `as_of`."""

    subject: str
    subject_cn: str | None
    san_dns: tuple[str, ...]
    san_ip: tuple[str, ...]
    issuer: str
    serial_hex: str
    not_before: dt.date
    not_after: dt.date
    as_of: dt.date
    days_left: int
    lifetime_days: int
    lifetime_left_fraction: float
    public_lifetime_limit: int
    exceeds_public_lifetime: bool
    key_type: str
    key_bits: int | None
    signature_hash: str
    self_signed: bool
    intermediates: tuple[IntermediateFacts, ...] = ()

    @property
    def expired(self) -> bool:
        return self.days_left < 0

    @property
    def not_yet_valid(self) -> bool:
        return self.as_of < self.not_before


def _name(name: x509.Name) -> str:
    return name.rfc4514_string()


def common_name(cert: x509.Certificate) -> str | None:
    attrs = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not attrs:
        return None
    value = attrs[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def subject_alt_names(cert: x509.Certificate) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(DNS names, IP addresses) from the SAN extension; empty when there is none."""
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return (), ()
    dns = tuple(ext.get_values_for_type(x509.DNSName))
    ips = tuple(str(ip) for ip in ext.get_values_for_type(x509.IPAddress))
    return dns, ips


def key_type_and_bits(cert: x509.Certificate) -> tuple[str, int | None]:
    try:
        key = cert.public_key()
    except (UnsupportedAlgorithm, ValueError):
        return "unknown", None
    if isinstance(key, rsa.RSAPublicKey):
        return "rsa", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ec", key.curve.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "ed25519", 256
    if isinstance(key, ed448.Ed448PublicKey):
        return "ed448", 456
    if isinstance(key, dsa.DSAPublicKey):
        return "dsa", key.key_size
    if isinstance(key, x25519.X25519PublicKey):
        return "x25519", 256
    return "x448", 448  # the last member of cryptography's CertificatePublicKeyTypes


def signature_hash(cert: x509.Certificate) -> str:
    """`sha256`, `sha1`, `md5`, … ; `none` for Ed25519/Ed448; `unknown` if unsupported."""
    try:
        algorithm = cert.signature_hash_algorithm
    except UnsupportedAlgorithm:
        return "unknown"
    return "none" if algorithm is None else algorithm.name


def is_self_signed(cert: x509.Certificate) -> bool:
    """Subject equals issuer and the certificate's own key verifies its signature."""
    if cert.subject != cert.issuer:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True


def _days_left(not_after: dt.datetime, as_of: dt.date) -> int:
    return (not_after.date() - as_of).days


def cert_facts(
    cert: x509.Certificate, chain: Sequence[x509.Certificate] = (), *, as_of: dt.date
) -> CertFacts:
    """Facts about `cert`; `chain` is what the server presented (the leaf itself is skipped)."""
    not_before = cert.not_valid_before_utc
    not_after = cert.not_valid_after_utc
    lifetime_days = (not_after.date() - not_before.date()).days
    days_left = _days_left(not_after, as_of)
    fraction = 0.0 if lifetime_days <= 0 else min(1.0, max(0.0, days_left / lifetime_days))
    limit = public_lifetime_limit(not_before.date())
    dns, ips = subject_alt_names(cert)
    key_type, key_bits = key_type_and_bits(cert)
    intermediates = tuple(
        IntermediateFacts(
            subject=_name(c.subject),
            issuer=_name(c.issuer),
            not_after=c.not_valid_after_utc.date(),
            days_left=_days_left(c.not_valid_after_utc, as_of),
            self_signed=is_self_signed(c),
        )
        for c in chain
        if c != cert
    )
    return CertFacts(
        subject=_name(cert.subject),
        subject_cn=common_name(cert),
        san_dns=dns,
        san_ip=ips,
        issuer=_name(cert.issuer),
        serial_hex=format(cert.serial_number, "x"),
        not_before=not_before.date(),
        not_after=not_after.date(),
        as_of=as_of,
        days_left=days_left,
        lifetime_days=lifetime_days,
        lifetime_left_fraction=round(fraction, 4),
        public_lifetime_limit=limit,
        exceeds_public_lifetime=lifetime_days > limit,
        key_type=key_type,
        key_bits=key_bits,
        signature_hash=signature_hash(cert),
        self_signed=is_self_signed(cert),
        intermediates=intermediates,
    )


def _normalise(name: str) -> str:
    name = name.strip().rstrip(".").lower()
    if not name.isascii():
        name = name.encode("idna").decode("ascii")
    return name


def _dns_matches(pattern: str, host: str) -> bool:
    pattern = _normalise(pattern)
    if not pattern or not host:
        return False
    if "*" not in pattern:
        return pattern == host
    first, sep, rest = pattern.partition(".")
    # Only a whole left-most label may be a wildcard, it needs a parent, and matches one label.
    if first != "*" or not sep or not rest or "*" in rest:
        return False
    host_first, host_sep, host_rest = host.partition(".")
    return bool(host_first) and bool(host_sep) and host_rest == rest


def hostname_matches(server_name: str, san_dns: Sequence[str], san_ip: Sequence[str]) -> bool:
    """Does `server_name` (a DNS name or IP literal) match the certificate's SANs?"""
    try:
        ip = ipaddress.ip_address(server_name.strip("[]"))
    except ValueError:
        ip = None
    if ip is not None:
        for value in san_ip:
            try:
                if ipaddress.ip_address(value) == ip:
                    return True
            except ValueError:
                continue
        return False
    try:
        host = _normalise(server_name)
    except UnicodeError:
        return False
    return any(_dns_matches(pattern, host) for pattern in san_dns)
