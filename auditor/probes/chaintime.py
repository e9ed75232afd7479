"""Chain verification judged at `--as-of`, not at the moment of the handshake.

OpenSSL verifies the chain during the handshake against the real clock; CERT-01 judges the
leaf's dates at `--as-of`. So that one report never contradicts itself, the time-dependent part
of the verdict is judged here at the audit date, with `cryptography`'s verifier (which takes a
time) and the same trust as the handshake (the system store plus the CA bundle):

- OpenSSL refused the chain for a reason time does not change (unknown issuer, self-signed,
  weak key…): that verdict stands.
- Otherwise (OpenSSL accepted it, or refused it as expired / not yet valid at the handshake),
  the presented chain is verified at the audit date. Verified there: trusted. Not verified there
  but verified at the moment of the observation: the difference is time, so the chain is not
  valid at the audit date (`expired` or `not_yet_valid`, from the certificates' dates).
  Refused at both instants (the verifier's profile is stricter than OpenSSL's on something time
  does not change): the handshake's verdict stands.

The audit date is a day; certificate dates are instants. The instant judged is the start of the
audit date (UTC) — so a certificate expiring during that day is still valid, as CERT-01 counts
it (0 days left) — or, when a certificate of the chain becomes valid during that day, that
moment (so it is valid on that day, as CERT-01 says too).

Host-name matching stays separate (certinfo.hostname_matches): the chain is verified for a name
the leaf holds, so a wrong name never masks, or stands in for, a chain problem.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import ipaddress
import re
import ssl
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509 import DNSName, IPAddress
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from auditor.probes.memo import Memo

_PEM = re.compile(
    rb"-----BEGIN CERTIFICATE-----\s.+?\s-----END CERTIFICATE-----", re.DOTALL
)
#: `warnings.catch_warnings` swaps a process-wide filter list: every use in the probes holds this.
WARNINGS_LOCK = threading.Lock()
_STORE_LOCK = threading.Lock()
#: Time-dependent reasons a handshake may give (VerifyReason values).
TIME_REASONS = frozenset({"expired", "not_yet_valid"})
_SHA256 = hashes.SHA256()
_VERDICTS: Memo[str | None] = Memo(1024)
_SUBJECTS: Memo[DNSName | IPAddress | None] = Memo(1024)


def _certificates(data: bytes) -> list[x509.Certificate]:
    """Every parsable certificate of a PEM bundle (one bad block does not lose the others)."""
    found = []
    # Trust stores hold old roots (e.g. a zero serial) that cryptography loads with a warning.
    with WARNINGS_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for block in _PEM.findall(data):
            try:
                found.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                continue
    return found


def _system_files() -> list[Path]:
    paths = ssl.get_default_verify_paths()
    for name in (paths.cafile, paths.openssl_cafile):
        if name and Path(name).is_file():
            return [Path(name)]
    folder = paths.capath or paths.openssl_capath
    if folder and Path(folder).is_dir():
        return sorted(p for p in Path(folder).iterdir() if p.is_file())
    return []


@functools.cache
def _system_roots() -> tuple[x509.Certificate, ...]:
    roots: list[x509.Certificate] = []
    for path in _system_files():
        try:
            roots.extend(_certificates(path.read_bytes()))
        except OSError:
            continue
    return tuple(roots)


def trust_store(ca_bundle: Path | None) -> Store | None:
    """The system trust store plus `ca_bundle`, as the handshake trusts; None when empty.
    Built once per bundle and process (probe threads share it)."""
    with _STORE_LOCK:
        return _trust_store(ca_bundle)


def load_bundle(ca_bundle: Path) -> tuple[x509.Certificate, ...]:
    """The certificates of a CA bundle file, unique, in file order; () when unreadable."""
    try:
        found = _certificates(ca_bundle.read_bytes())
    except OSError:
        return ()
    return tuple({c.fingerprint(_SHA256): c for c in found}.values())


@functools.lru_cache(maxsize=64)
def _trust_store(ca_bundle: Path | None) -> Store | None:
    roots = list(_system_roots())
    if ca_bundle is not None:
        with contextlib.suppress(OSError):
            roots.extend(_certificates(ca_bundle.read_bytes()))
    unique = {root.fingerprint(hashes.SHA256()): root for root in roots}
    return Store(list(unique.values())) if unique else None


# The handshake (OpenSSL) is the judge of profile questions; this verifier only asks what time
# changes. So it asks no more of extensions than OpenSSL does: a CA needs basicConstraints, a
# server certificate a subjectAltName (the verifier cannot match a name otherwise).
_CA_POLICY = ExtensionPolicy.permit_all().require_present(
    x509.BasicConstraints, Criticality.AGNOSTIC, None
)
_EE_POLICY = ExtensionPolicy.permit_all().require_present(
    x509.SubjectAlternativeName, Criticality.AGNOSTIC, None
)


def _subject(
    leaf: x509.Certificate, server_name: str, matches: bool
) -> DNSName | IPAddress | None:
    """The name to verify the chain for: the server name when the leaf holds it, else a name the
    leaf does hold (host-name matching is judged on its own)."""
    candidates: list[str] = [server_name] if matches else []
    try:
        san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        candidates += [str(ip) for ip in san.get_values_for_type(x509.IPAddress)]
        candidates += [
            ("x" + name[1:]) if name.startswith("*.") else name
            for name in san.get_values_for_type(x509.DNSName)
        ]
    except x509.ExtensionNotFound:
        pass
    for name in candidates:
        try:
            return IPAddress(ipaddress.ip_address(name))
        except ValueError:
            pass
        try:
            return DNSName(name)
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class _Chain:
    """A presented chain and what identifies it in the memos (never the parsed certificates,
    memo.py): the SHA-256 fingerprints of the leaf and of the other certificates."""

    leaf: x509.Certificate
    intermediates: list[x509.Certificate]
    key: tuple[bytes, tuple[bytes, ...]]

    @classmethod
    def of(cls, leaf: x509.Certificate, chain: Sequence[x509.Certificate]) -> _Chain:
        intermediates = [c for c in chain if c != leaf]
        key = (leaf.fingerprint(_SHA256), tuple(c.fingerprint(_SHA256) for c in intermediates))
        return cls(leaf, intermediates, key)


def _verify(
    chain: _Chain, store: Store, subject: DNSName | IPAddress, when: dt.datetime
) -> str | None:
    """None when the chain verifies at `when`, else the verifier's reason.

    A pure function of its arguments (a `Store` is immutable, and `trust_store` gives one
    object per bundle and process) whose signature checks cost about a third of a handshake:
    a chain an estate serves on many endpoints is verified once per instant (memo.py)."""
    key = (chain.key, store, type(subject).__name__, str(subject.value), when)
    return _VERDICTS.get(
        key, lambda: _verify_now(chain.leaf, chain.intermediates, store, subject, when)
    )


def _verify_now(
    leaf: x509.Certificate,
    intermediates: list[x509.Certificate],
    store: Store,
    subject: DNSName | IPAddress,
    when: dt.datetime,
) -> str | None:
    verifier = (
        PolicyBuilder()
        .store(store)
        .time(when)
        .extension_policies(ca_policy=_CA_POLICY, ee_policy=_EE_POLICY)
        .build_server_verifier(subject)
    )
    try:
        verifier.verify(leaf, intermediates)
    except VerificationError as exc:
        return str(exc)
    return None


def instant_of(as_of: dt.date, certificates: Sequence[x509.Certificate]) -> dt.datetime:
    """The instant the audit date stands for (see the module docstring)."""
    start = dt.datetime.combine(as_of, dt.time(0, 0), tzinfo=dt.UTC)
    during = [
        c.not_valid_before_utc for c in certificates if c.not_valid_before_utc.date() == as_of
    ]
    return max([start, *during])


def _time_reason(
    certificates: Sequence[x509.Certificate], when: dt.datetime
) -> tuple[str, str] | None:
    """(reason, text) for the first certificate not valid at `when`, leaf first."""
    for cert in certificates:
        if cert.not_valid_before_utc > when:
            return "not_yet_valid", (
                f"certificate {cert.subject.rfc4514_string()} not yet valid at the audit date "
                f"{when:%d/%m/%Y} (valid from {cert.not_valid_before_utc:%d/%m/%Y})"
            )
        if cert.not_valid_after_utc < when:
            return "expired", (
                f"certificate {cert.subject.rfc4514_string()} expired before the audit date "
                f"{when:%d/%m/%Y} (valid until {cert.not_valid_after_utc:%d/%m/%Y})"
            )
    return None


@dataclass(frozen=True)
class AsOfVerdict:
    """The chain verdict at the audit date (verified, reason code, error text, instant)."""

    verified: bool | None
    reason: str | None
    error: str | None
    judged_at: dt.datetime | None  # None: the handshake's verdict stands as it was


def judge_at(
    handshake: tuple[bool | None, str | None, str | None],
    leaf: x509.Certificate,
    chain: Sequence[x509.Certificate],
    ca_bundle: Path | None,
    server_name: str,
    hostname_matches: bool,
    as_of: dt.date,
    observed_at: dt.datetime,
) -> AsOfVerdict:
    """The handshake's (verified, reason, error), judged again at `as_of` (module docstring)."""
    verified, reason, error = handshake
    unchanged = AsOfVerdict(verified, reason, error, None)
    if verified is None or (verified is False and reason not in TIME_REASONS):
        return unchanged
    store = trust_store(ca_bundle)
    presented = _Chain.of(leaf, chain)
    subject = _SUBJECTS.get(
        (presented.key[0], server_name, hostname_matches),
        lambda: _subject(leaf, server_name, hostname_matches),
    )
    if store is None or subject is None:
        return unchanged
    certificates = [leaf, *presented.intermediates]
    when = instant_of(as_of, certificates)
    refused = _verify(presented, store, subject, when)
    if refused is None:
        return AsOfVerdict(True, None, None, when)
    if _verify(presented, store, subject, observed_at) is not None:
        return unchanged  # refused at both instants: not a question of time
    timed = _time_reason(certificates, when)
    if timed is None:  # pragma: no cover - time made the difference, so a date is out
        return AsOfVerdict(False, "other", f"not valid at the audit date: {refused}", when)
    return AsOfVerdict(False, timed[0], timed[1], when)
