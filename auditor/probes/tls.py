"""TLS endpoint probe: one blocking function of one target, which never raises.

`probe_endpoint` makes one to four handshakes to one address (plus one retry of a timeout
or reset):

1. *verify* — against the system trust store plus an optional CA bundle, host name checking
   off, so the OpenSSL reason for an untrusted chain is recorded on its own; host name matching
   is judged separately by `certinfo.hostname_matches`. When it succeeds it also yields the
   leaf certificate, the presented chain (Python 3.13+ only), protocol and cipher;
2. *observe* — only when verification did not succeed: no verification, OpenSSL security
   level 0 (no anonymous suite: the certificate is what is wanted) and TLS 1.0 upward, so
   expired, self-signed, wrong-host and weak certificates (and old servers) are still seen;
   when even that handshake fails (a P-192 key, which OpenSSL will not negotiate from Python),
   the certificate is read from a certificate-only handshake (tls_peek.py), and protocol and
   cipher stay unknown;
3. and 4. *legacy* — TLS 1.0 and TLS 1.1 only, at OpenSSL security level 0, to see whether the
   server still accepts them. If the local OpenSSL will not even offer them, that is recorded as
   not checked, never as "not accepted".

Contexts are built once per process (per CA bundle) and shared by every probe thread: loading
the system trust store costs ~20 ms of CPU, more than the handshakes themselves (bench/README).
What is computed from a certificate the server sent (its facts; its chain verdict at the audit
date, chaintime.py) is a pure function of its bytes, so it is memoised (memo.py): an estate that
serves one certificate on many endpoints has it parsed, described and judged once. Every
connection still makes its own verifying handshake, and host names are matched per endpoint.

Every expected failure (refused, timed out, reset, not TLS) becomes `TlsObservation.error`.
The timeout bounds connect plus handshake of each attempt; a timeout or reset is retried once
(the connections themselves: tls_connect.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509

from auditor.probes.certinfo import (
    UNREADABLE_ERRORS,
    CertFacts,
    UnreadableCert,
    cert_facts,
    hostname_matches,
    unreadable,
    unreadable_problem,
)
from auditor.probes.chain_read import parse_chain, unverified_chain
from auditor.probes.chaintime import judge_at
from auditor.probes.memo import Memo
from auditor.probes.tls_connect import (
    LOCAL_REFUSALS,
    LocalRefusalError,
    ProbeError,
    handshake,
    is_ip,
    legacy_context,
    observe_context,
    socket_address,
    verify_context,
    with_retry,
)
from auditor.probes.tls_peek import PeekError, peek_certificates


class VerifyReason(enum.StrEnum):
    """Stable codes for why the chain did not verify (rules match on these, not on text)."""

    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    SELF_SIGNED = "self_signed"
    UNKNOWN_ISSUER = "unknown_issuer"
    HOSTNAME_MISMATCH = "hostname_mismatch"
    WEAK = "weak"
    OTHER = "other"


# OpenSSL X509_V_ERR_* codes (x509_vfy.h).
_VERIFY_CODES: dict[int, VerifyReason] = {
    2: VerifyReason.UNKNOWN_ISSUER,  # unable to get issuer certificate
    9: VerifyReason.NOT_YET_VALID,
    10: VerifyReason.EXPIRED,
    18: VerifyReason.SELF_SIGNED,  # depth zero self-signed certificate
    # "self-signed certificate in certificate chain": the chain ends in a root the trust store
    # does not hold, i.e. an issuer not trusted (unknown CA); the leaf itself is not self-signed.
    19: VerifyReason.UNKNOWN_ISSUER,
    20: VerifyReason.UNKNOWN_ISSUER,  # unable to get local issuer certificate
    21: VerifyReason.UNKNOWN_ISSUER,  # unable to verify the first certificate
    62: VerifyReason.HOSTNAME_MISMATCH,
    66: VerifyReason.WEAK,  # EE key too small
    67: VerifyReason.WEAK,  # CA key too small
    68: VerifyReason.WEAK,  # CA md too weak
}


@dataclass(frozen=True)
class TlsObservation:
    """Everything one probe of one (name, address, port) saw. `error` set ⇒ nothing else is."""

    host: str
    port: int
    server_name: str
    address: str | None
    as_of: dt.date
    error: str | None = None
    #: When the first handshake began (UTC): the live observation's own time.
    observed_at: dt.datetime | None = None
    #: The instant the chain verdict stands for (the audit date, chaintime.py); None when the
    #: handshake's verdict was kept as it was.
    verified_at: dt.datetime | None = None
    attempts: int = 0
    protocol: str | None = None
    cipher: str | None = None
    cert: CertFacts | None = None
    chain_presented: bool = False
    chain_note: str | None = None
    chain_verified: bool | None = None
    verify_error: str | None = None
    verify_reason: VerifyReason | None = None
    hostname_matches: bool | None = None
    legacy_checked: bool = False
    legacy_note: str | None = None
    tls1_0_accepted: bool | None = None
    tls1_1_accepted: bool | None = None
    #: Set when no handshake completed and the certificate was read from a certificate-only
    #: handshake (tls_peek.py): why, so protocol and cipher are unknown, never "not TLS 1.3".
    handshake_note: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


#: A certificate's facts are a pure function of the bytes the server sent and the audit date:
#: computed once per distinct (leaf, chain, date) and process, for the last 1,024 (memo.py).
_FACTS: Memo[CertFacts] = Memo(1024)
_matches = functools.lru_cache(maxsize=1024)(hostname_matches)  # plain strings in, a bool out
# A certificate hashes and compares by its DER, and the chains come memoised (parse_chain):
# each distinct certificate is screened once, not once per endpoint presenting it.
_problem = functools.lru_cache(maxsize=4096)(unreadable_problem)


def _resolve(host: str, port: int) -> str:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not infos:
        raise ProbeError(f"name does not resolve: {host}")
    return str(infos[0][4][0])


@dataclass(frozen=True)
class _Seen:
    """What one successful handshake showed of the server."""

    der: bytes | None
    protocol: str | None
    cipher: str | None
    chain: tuple[x509.Certificate, ...]
    chain_der: tuple[bytes, ...]  # the DER of `chain` (empty when it could not be read)
    chain_note: str | None
    positions: tuple[int, ...] = ()  # of `chain`'s certificates in the chain sent (leaf: 1)
    unloadable: tuple[UnreadableCert, ...] = ()  # those of the chain sent that do not load

    def leaf(self) -> x509.Certificate:
        """The peer certificate, parsed once: it is the chain's first when the chain was read."""
        if self.der is not None and self.chain_der[:1] == (self.der,):
            return self.chain[0]
        return x509.load_der_x509_certificate(self.der or b"")


def _seen(tls: ssl.SSLSocket) -> _Seen:
    try:
        cipher_info = tls.cipher()
        sent = unverified_chain(tls)
        return _Seen(tls.getpeercert(binary_form=True), tls.version(),
                     cipher_info[0] if cipher_info else None, sent.certificates, sent.ders,
                     sent.note, sent.positions, sent.unloadable)
    finally:
        tls.close()


@dataclass(frozen=True)
class _Verified:
    verified: bool | None
    error: str | None = None
    reason: VerifyReason | None = None
    seen: _Seen | None = None  # the handshake, when verification succeeded
    failure: ProbeError | None = None  # a network failure: the endpoint did not answer


def _verify(
    address: str, port: int, server_name: str, timeout: float, ca_bundle: Path | None,
    retries: int,
) -> _Verified:
    try:
        ctx = verify_context(ca_bundle)
    except (OSError, ssl.SSLError) as exc:
        return _Verified(None, f"CA bundle unusable: {exc}", VerifyReason.OTHER)
    try:
        tls, _attempts = with_retry(ctx, address, port, server_name, timeout, retries)
    except ssl.SSLCertVerificationError as exc:
        code = exc.verify_code
        message = str(exc.verify_message or exc.reason or exc)
        return _Verified(False, message, _VERIFY_CODES.get(code, VerifyReason.OTHER))
    except ProbeError as failure:
        return _Verified(None, f"verification handshake failed: {failure.reason}",
                         failure=failure)
    return _Verified(True, seen=_seen(tls))


def _with_unloadable(facts: CertFacts, unloadable: tuple[UnreadableCert, ...]) -> CertFacts:
    """`facts` with the chain's certificates that did not even load among its unreadable."""
    if not unloadable:
        return facts
    found = sorted((*facts.unreadable, *unloadable), key=lambda u: u.position)
    return dataclasses.replace(facts, unreadable=tuple(found))


def _peek(address: str, port: int, server_name: str, timeout: float) -> _Seen | None:
    """What the server presents to a certificate-only handshake (tls_peek.py), when OpenSSL
    would not complete one even at security level 0 (a P-192 or DSA key); None if nothing."""
    family, sockaddr = socket_address(address, port)
    try:
        ders = peek_certificates(sockaddr, family, None if is_ip(server_name) else server_name,
                                 timeout)
    except (PeekError, OSError):
        return None
    if not ders:
        return None
    sent = parse_chain(ders)
    return _Seen(ders[0], None, None, sent.certificates, sent.ders, None, sent.positions,
                 sent.unloadable)


def _legacy(
    address: str, port: int, server_name: str, timeout: float, version: ssl.TLSVersion
) -> bool | None:
    """True accepted, False refused by the server, None unknown (network trouble)."""
    ctx = legacy_context(version)
    try:
        tls = handshake(ctx, address, port, server_name, timeout)
    except ssl.SSLError as exc:
        if exc.reason in LOCAL_REFUSALS:
            note = f"local OpenSSL refused to offer {version.name}: {exc.reason}"
            raise LocalRefusalError(note) from exc
        return False
    except OSError:
        return None
    tls.close()
    return True


def probe_endpoint(
    host: str,
    port: int,
    server_name: str,
    address: str | None,
    timeout: float,
    ca_bundle: Path | None,
    as_of: dt.date,
    *,
    retries: int = 1,
    check_legacy: bool = True,
) -> TlsObservation:
    """Observe one TLS endpoint at `address` (resolved from `host` only if None). Never raises."""
    base: dict[str, Any] = {
        "host": host, "port": port, "server_name": server_name, "address": address,
        "as_of": as_of, "observed_at": dt.datetime.now(dt.UTC).replace(microsecond=0),
    }
    try:
        if address is None:
            address = _resolve(host, port)
            base["address"] = address
        else:
            socket_address(address, port)  # refuses anything but an IP literal, before any I/O
    except ValueError:
        return TlsObservation(**base, error=f"not an IP address: {address!r}")
    except ProbeError as failure:
        return TlsObservation(**base, error=failure.reason)
    except OSError as exc:
        return TlsObservation(**base, error=f"name does not resolve: {host} ({exc})")

    verification = _verify(address, port, server_name, timeout, ca_bundle, retries)
    seen = verification.seen
    attempts = 1
    unanswered = verification.failure
    if unanswered is not None and unanswered.network:
        # No TLS conversation at all: observing again would only wait as long again.
        return TlsObservation(**base, error=unanswered.reason, attempts=unanswered.attempts)
    handshake_note = None
    if seen is None:
        try:
            tls, attempts = with_retry(observe_context(), address, port, server_name,
                                        timeout, retries)
        except ProbeError as observed_failure:
            peeked = None if observed_failure.network else _peek(
                address, port, server_name, timeout)
            if peeked is None:
                return TlsObservation(**base, error=observed_failure.reason,
                                      attempts=observed_failure.attempts)
            seen, attempts = peeked, observed_failure.attempts + 1
            handshake_note = (
                f"no handshake completed ({observed_failure.reason}); the certificate was read "
                "from a certificate-only TLS 1.2 handshake"
            )
        else:
            seen = _seen(tls)
    if not seen.der:
        return TlsObservation(**base, error="server presented no certificate", attempts=attempts)
    try:
        leaf = seen.leaf()
    except UNREADABLE_ERRORS as exc:
        return TlsObservation(**base, error=unreadable(exc), attempts=attempts)
    problem = _problem(leaf)
    if problem is not None:
        return TlsObservation(**base, error=problem, attempts=attempts)
    facts = _FACTS.get(
        (seen.der, seen.chain_der, seen.unloadable, as_of),
        lambda: _with_unloadable(
            cert_facts(leaf, seen.chain, as_of=as_of, positions=seen.positions or None),
            seen.unloadable),
    )
    # The verifier at the audit date reads only what parses (an unreadable one is an error).
    readable_chain = tuple(c for c in seen.chain if _problem(c) is None)

    matches = _matches(server_name, facts.san_dns, facts.san_ip)
    # Every time-dependent verdict is judged at the audit date, as CERT-01 is (chaintime.py).
    at = judge_at(
        (verification.verified, verification.reason, verification.error),
        leaf, readable_chain, ca_bundle, server_name, matches, as_of, base["observed_at"],
    )
    verified, verify_error = at.verified, at.error
    reason = VerifyReason(at.reason) if at.reason is not None else None
    if reason is VerifyReason.UNKNOWN_ISSUER and verification.reason is VerifyReason.UNKNOWN_ISSUER:
        verify_error = f"issuer not trusted (unknown CA): {verify_error}"
    if verified and not matches:
        verify_error = f"hostname mismatch: certificate is not valid for {server_name!r}"
        reason = VerifyReason.HOSTNAME_MISMATCH

    legacy: dict[str, Any] = {}
    if check_legacy:
        try:
            legacy["tls1_0_accepted"] = _legacy(address, port, server_name, timeout,
                                                ssl.TLSVersion.TLSv1)
            legacy["tls1_1_accepted"] = _legacy(address, port, server_name, timeout,
                                                ssl.TLSVersion.TLSv1_1)
            legacy["legacy_checked"] = True
        except LocalRefusalError as refusal:
            legacy = {"legacy_checked": False, "legacy_note": str(refusal)}
    else:
        legacy = {"legacy_checked": False, "legacy_note": "legacy check not requested"}

    return TlsObservation(
        **base,
        attempts=attempts,
        protocol=seen.protocol,
        cipher=seen.cipher,
        cert=facts,
        chain_presented=bool(seen.chain),
        chain_note=seen.chain_note,
        chain_verified=verified,
        verify_error=verify_error,
        verify_reason=reason,
        verified_at=at.judged_at,
        hostname_matches=matches,
        handshake_note=handshake_note,
        **legacy,
    )
