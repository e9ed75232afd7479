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
from cryptography.hazmat.primitives.asymmetric import (
    dsa,
    ec,
    ed448,
    ed25519,
    padding,
    rsa,
    x25519,
)
from cryptography.x509.oid import NameOID

#: CA/Browser Forum maximum validity of public TLS certificates by issuance date (the notBefore
#: date, UTC; Baseline Requirements 6.3.2), latest first. Sources, checked when written:
#:
#: - 825 days from 01/03/2018: Ballot 193 "825-day Certificate Lifetimes" (voted March 2017,
#:   "from 39 months to 825 days"); its effective date was set by Ballot 197 "Effective Date of
#:   Ballot 193 Provisions" (the date 01/03/2018 is taken from the issue, not read in the ballot).
#: - 398 days from 01/09/2020: Ballot SC31 "Browser Alignment" (passed 16/07/2020), which wrote
#:   the root programs' 398-day rule into 6.3.2 with effect 01/09/2020. (Ballot SC22 "Reduce
#:   Certificate Lifetimes", 398 days, was voted down in September 2019.)
#: - 200 days from 15/03/2026, 100 from 15/03/2027, 47 from 15/03/2029: Ballot SC-081v3
#:   "Introduce Schedule of Reducing Validity and Data Reuse Periods" (passed 11/04/2025).
#: - Before 01/03/2018: 39 months (calendar months from notBefore). The 60 months allowed
#:   before 01/04/2015 are not modelled: such certificates expired long ago.
#:
#: A fixed "30 days left" alarm misfires on 47-day certificates, which is why the facts carry
#: the fraction of the lifetime left as well.
PUBLIC_LIFETIME_SCHEDULE: tuple[tuple[dt.date, int], ...] = (
    (dt.date(2029, 3, 15), 47),
    (dt.date(2027, 3, 15), 100),
    (dt.date(2026, 3, 15), 200),
    (dt.date(2020, 9, 1), 398),
    (dt.date(2018, 3, 1), 825),
)
#: Before the first date of the schedule the limit is counted in calendar months.
_EARLIEST_PUBLIC_MONTHS = 39
_DAY_SECONDS = 86_400


def _add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole calendar months, clamped to the month's last day (31/01 + 1 = 28/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")  # pragma: no cover


def public_lifetime_limit(issued: dt.date) -> int:
    """Longest lifetime (days) a public CA may give a TLS certificate issued on `issued`."""
    for since, days in PUBLIC_LIFETIME_SCHEDULE:
        if issued >= since:
            return days
    return (_add_months(issued, _EARLIEST_PUBLIC_MONTHS) - issued).days


def validity_period_days(not_before: dt.datetime, not_after: dt.datetime) -> int:
    """The validity period in days as the Baseline Requirements count it (1.6.1, 6.3.2): from
    notBefore through notAfter *inclusive* (RFC 5280 4.1.2.5), so one second more than their
    difference; a day is 86,400 seconds and any part of a day more counts as a day. A
    certificate whose notAfter is exactly 398 days after its notBefore is valid 398 days and
    one second: 399 days."""
    seconds = int((not_after - not_before).total_seconds()) + 1
    return max(0, -(-seconds // _DAY_SECONDS))


@dataclass(frozen=True)
class IntermediateFacts:
    """One certificate the server presented (or the file held) after the leaf."""

    subject: str
    issuer: str
    not_after: dt.date
    days_left: int
    self_signed: bool
    #: Where it stands in the chain as presented, the leaf being 1.
    position: int = 0
    signature_hash: str = "unknown"
    key_type: str = "unknown"
    key_bits: int | None = None


@dataclass(frozen=True)
class UnreadableCert:
    """A certificate of the chain or file that `cryptography` cannot fully parse."""

    position: int  # in the chain as presented (or the file's order), the leaf being 1
    reason: str  # "unreadable certificate: …"


#: Signature hashes ranked weakest first; any other (sha256, sha384, …, none) ranks after.
_WEAK_HASH_RANK = {"md2": 0, "md4": 1, "md5": 2, "sha1": 3, "unknown": 4}
UNREADABLE = "unreadable certificate"
#: What loading a certificate, or reading a part of it, may raise: InvalidVersion,
#: DuplicateExtension and UnsupportedGeneralNameType are not ValueErrors.
UNREADABLE_ERRORS: tuple[type[Exception], ...] = (
    ValueError, TypeError, UnsupportedAlgorithm, x509.InvalidVersion, x509.DuplicateExtension,
    x509.UnsupportedGeneralNameType,
)


def unreadable(exc: BaseException) -> str:
    """The reason a certificate cannot be judged, clipped (never the certificate's bytes)."""
    detail = " ".join(str(exc).split())[:200] or type(exc).__name__
    return f"{UNREADABLE}: {detail}"


def unreadable_problem(cert: x509.Certificate) -> str | None:
    """None when every part the facts read parses, else the reason.

    `cryptography` parses lazily: a certificate that loads may still raise on its names,
    extensions (a duplicate, an unsupported general name) or key when they are first read.
    """
    try:
        cert.subject.rfc4514_string()
        cert.issuer.rfc4514_string()
        for _extension in cert.extensions:
            pass
        if cert.not_valid_after_utc < cert.not_valid_before_utc:
            return f"{UNREADABLE}: negative validity (notAfter is before notBefore)"
        _ = cert.serial_number
        signature_hash(cert)
        key_type_and_bits(cert)
    except UNREADABLE_ERRORS as exc:
        return unreadable(exc)
    return None


def weakest_signatures(
    chain: Sequence[IntermediateFacts],
) -> tuple[str | None, tuple[str, ...]]:
    """(the weakest signature hash among the certificates whose signature counts, the weak
    ones named with their position). A self-signed root's own signature does not count."""
    counted = [c for c in chain if not c.self_signed]
    if not counted:
        return None, ()
    weakest = min(counted, key=lambda c: _WEAK_HASH_RANK.get(c.signature_hash, 99))
    weak = tuple(
        f"#{c.position} {c.subject} ({c.signature_hash})"
        for c in counted
        if c.signature_hash in _WEAK_HASH_RANK
    )
    return weakest.signature_hash, weak


def chain_keys(chain: Sequence[IntermediateFacts]) -> dict[str, object]:
    """What the keys of the certificates after the leaf say, the root's included (its own
    signature does not count, its key does): the smallest RSA and EC sizes, how many keys are
    of another kind than RSA, EC or EdDSA (DSA, unknown), and each key named with its position
    (the leaf is 1). Empty when no such certificate is in hand."""
    if not chain:
        return {}
    found: dict[str, object] = {
        "chain_keys": [f"#{c.position} {c.subject} ({c.key_type} {c.key_bits or '?'})"
                       for c in chain],
        "chain_other_keys": sum(c.key_type not in ("rsa", "ec", "ed25519", "ed448")
                                for c in chain),
    }
    for kind in ("rsa", "ec"):
        sizes = [c.key_bits or 0 for c in chain if c.key_type == kind]
        if sizes:
            found[f"chain_min_{kind}_bits"] = min(sizes)
    return found


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
    #: Certificates after the leaf that could not be parsed (judged as errors, one by one).
    unreadable: tuple[UnreadableCert, ...] = ()

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
    try:
        if cert.subject != cert.issuer:
            return False
        cert.verify_directly_issued_by(cert)
    except ValueError:
        # cryptography's verifier refuses SHA-1 and MD5 signatures ("Unsupported signature
        # algorithm"): an old root signed so is still self-signed; check its signature directly.
        return _signed_by_own_key(cert)
    except (InvalidSignature, TypeError, UnsupportedAlgorithm):
        return False
    return True


def _signed_by_own_key(cert: x509.Certificate) -> bool:
    try:
        key = cert.public_key()
        algorithm = cert.signature_hash_algorithm
        if algorithm is None:
            return False
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(algorithm))
        elif isinstance(key, dsa.DSAPublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes, algorithm)
        else:
            return False
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True


def _days_left(not_after: dt.datetime, as_of: dt.date) -> int:
    return (not_after.date() - as_of).days


def cert_facts(
    cert: x509.Certificate,
    chain: Sequence[x509.Certificate] = (),
    *,
    as_of: dt.date,
    positions: Sequence[int] | None = None,
) -> CertFacts:
    """Facts about `cert`; `chain` is what the server presented (the leaf itself is skipped).

    `positions` are the places of `chain`'s certificates in the chain as sent (the leaf is 1),
    when some were left out; by default they follow `chain`, the leaf being 1.
    """
    not_before = cert.not_valid_before_utc
    not_after = cert.not_valid_after_utc
    lifetime_days = (not_after.date() - not_before.date()).days
    days_left = _days_left(not_after, as_of)
    fraction = 0.0 if lifetime_days <= 0 else min(1.0, max(0.0, days_left / lifetime_days))
    limit = public_lifetime_limit(not_before.date())
    validity_days = validity_period_days(not_before, not_after)
    dns, ips = subject_alt_names(cert)
    key_type, key_bits = key_type_and_bits(cert)
    intermediates: list[IntermediateFacts] = []
    broken: list[UnreadableCert] = []
    if positions is None:
        first = 1 if chain and chain[0] == cert else 2
        positions = range(first, first + len(chain))
    others = [(n, c) for n, c in zip(positions, chain, strict=True) if c != cert]
    for position, c in others:
        problem = unreadable_problem(c)
        if problem is not None:
            broken.append(UnreadableCert(position, problem))
            continue
        other_key, other_bits = key_type_and_bits(c)
        intermediates.append(IntermediateFacts(
            subject=_name(c.subject),
            issuer=_name(c.issuer),
            not_after=c.not_valid_after_utc.date(),
            days_left=_days_left(c.not_valid_after_utc, as_of),
            self_signed=is_self_signed(c),
            position=position,
            signature_hash=signature_hash(c),
            key_type=other_key,
            key_bits=other_bits,
        ))
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
        exceeds_public_lifetime=validity_days > limit,
        key_type=key_type,
        key_bits=key_bits,
        signature_hash=signature_hash(cert),
        self_signed=is_self_signed(cert),
        intermediates=tuple(intermediates),
        unreadable=tuple(broken),
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
