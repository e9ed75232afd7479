"""The revocation status of an endpoint's certificate: what is known of it, from where, at the
audit instant. One blocking function of one endpoint address that never raises.

Sources, each judged on its own (ocsp.py, crl.py):

1. the OCSP response the server staples to a handshake that asks for it (staple.py): always,
   it contacts no one but the server;
2. with `--revocation` only (off by default: these URLs are named by the certificate, not by the
   inventory): the OCSP responder the certificate names, and, when no responder gave a usable
   answer, the CRL at its distribution points (revocation_fetch.py).

Each answer is judged at the audit instant: the moment it was received when that falls on the
`--as-of` day (UTC), else the start of that day (as the chain is judged, chaintime.py). A staple
or answer produced after it did not exist yet, one whose nextUpdate is before it is stale. (The
moment of receipt, not of the TLS probe's first handshake: a responder answers "now", seconds
after that handshake began.)

`summarise` turns the answers into the one verdict CERT-09 reads: revoked by any usable source;
else good by any usable source; else *why not known*: an `error` when a service that was asked
failed (unreachable, refused, bad signature, stale), otherwise a note naming what to do
(`manual`): no staple and `--revocation` off, or a responder that does not know the certificate.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from auditor.probes.chaintime import load_bundle
from auditor.probes.crl import judge_crl, load_crl
from auditor.probes.ocsp import CertStatus, OcspAnswer, Unusable, find_issuer, judge_response
from auditor.probes.revocation_fetch import (
    ask_responder,
    crl_urls,
    download_crl,
    ocsp_urls,
)
from auditor.probes.staple import request_staple


@dataclass(frozen=True)
class SourceAnswer:
    """What one source said: `answer` when one was obtained, else `error` (could not ask)."""

    source: str  # "staple", "ocsp" (the responder) or "crl"
    where: str | None = None  # the URL asked
    answer: OcspAnswer | None = None
    error: str | None = None


@dataclass(frozen=True)
class RevocationObservation:
    """Everything known of one endpoint leaf's revocation status."""

    instant: dt.datetime  # the staple's judgement (online answers: each when received)
    asked_online: bool  # --revocation
    serial: str | None = None
    stapled: bool | None = None  # None: the status-requesting handshake failed
    staple: OcspAnswer | None = None
    staple_error: str | None = None
    answers: tuple[SourceAnswer, ...] = ()  # the responder, then CRLs (with --revocation)
    error: str | None = None  # nothing could be judged (no issuer in hand…)


@dataclass(frozen=True)
class RevocationVerdict:
    """What CERT-09 reads: `status` (good/revoked), else `error` or `note` (manual)."""

    status: str | None
    source: str | None = None
    error: str | None = None
    note: str | None = None
    this_update: dt.datetime | None = None
    next_update: dt.datetime | None = None
    revoked_at: dt.datetime | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def audit_instant(as_of: dt.date, observed_at: dt.datetime | None) -> dt.datetime:
    """The observation moment on the `as_of` day (UTC), else the start of that day."""
    if observed_at is not None and observed_at.astimezone(dt.UTC).date() == as_of:
        return observed_at.astimezone(dt.UTC)
    return dt.datetime.combine(as_of, dt.time(0, 0), tzinfo=dt.UTC)


def _online(
    leaf: x509.Certificate, issuer: x509.Certificate, as_of: dt.date, timeout: float
) -> tuple[SourceAnswer, ...]:
    """Ask the responders, then (when none gave a usable answer) the CRL distribution points."""
    found: list[SourceAnswer] = []
    for url in ocsp_urls(leaf):
        fetched = ask_responder(url, leaf, issuer, timeout=timeout)
        if fetched.body is None:
            found.append(SourceAnswer("ocsp", url, error=fetched.error))
            continue
        answer = judge_response(fetched.body, leaf, issuer, audit_instant(as_of, _now()))
        found.append(SourceAnswer("ocsp", url, answer))
        if answer.status is not None:
            return tuple(found)
    for url in crl_urls(leaf):
        fetched = download_crl(url, timeout=timeout)
        if fetched.body is None:
            found.append(SourceAnswer("crl", url, error=fetched.error))
            continue
        loaded = load_crl(fetched.body, url)
        if loaded.crl is None:
            found.append(SourceAnswer("crl", url, error=f"{url}: {loaded.error}"))
            continue
        answer = judge_crl(loaded.crl, leaf, issuer, audit_instant(as_of, _now()))
        found.append(SourceAnswer("crl", url, answer))
        if answer.status is not None:
            break
    if not found:
        found.append(SourceAnswer("ocsp", error="the certificate names no OCSP responder and "
                                  "no CRL distribution point (http://)"))
    return tuple(found)


def observe_revocation(
    address: str, port: int, server_name: str | None, *, timeout: float, as_of: dt.date,
    ca_bundle_certs: Sequence[x509.Certificate] = (), online: bool = False,
) -> RevocationObservation:
    """Ask the server for its staple and, with `online`, the services the certificate names."""
    seen = request_staple(address, port, server_name, timeout)
    instant = audit_instant(as_of, _now())
    if seen.error is not None or not seen.chain:
        reason = seen.error or "the server presented no certificate"
        return RevocationObservation(instant, online, staple_error=reason, error=reason)
    leaf = seen.chain[0]
    serial = f"{leaf.serial_number:x}"
    issuer = find_issuer(leaf, (*seen.chain[1:], *ca_bundle_certs))
    if issuer is None:
        reason = ("the certificate's issuer is neither in the chain the server sent nor in the "
                  "CA bundle: no OCSP answer or CRL can be checked without it")
        return RevocationObservation(instant, online, serial, stapled=seen.staple is not None,
                                     staple_error=reason, error=reason)
    staple = None if seen.staple is None else judge_response(seen.staple, leaf, issuer, instant)
    answers = _online(leaf, issuer, as_of, timeout) if online else ()
    return RevocationObservation(instant, online, serial, stapled=seen.staple is not None,
                                 staple=staple, answers=answers)


def _usable(answers: Sequence[tuple[str, OcspAnswer]], status: CertStatus
            ) -> tuple[str, OcspAnswer] | None:
    return next(((s, a) for s, a in answers if a.status is status), None)


def _said(source: str, answer: OcspAnswer) -> RevocationVerdict:
    return RevocationVerdict(str(answer.status), source, this_update=answer.this_update,
                             next_update=answer.next_update, revoked_at=answer.revoked_at)


_NAMES = {"staple": "OCSP staple", "ocsp": "OCSP responder", "crl": "CRL"}


def summarise(observation: RevocationObservation) -> RevocationVerdict:
    """The one verdict CERT-09 reads (see the module docstring)."""
    if observation.error is not None:
        return RevocationVerdict(None, error=observation.error)
    judged: list[tuple[str, OcspAnswer]] = []
    if observation.staple is not None:
        judged.append(("staple", observation.staple))
    judged += [(a.source, a.answer) for a in observation.answers if a.answer is not None]
    for status in (CertStatus.REVOKED, CertStatus.GOOD):
        found = _usable(judged, status)
        if found is not None:
            return _said(*found)
    failures, notes = [], []
    for source, answer in judged:
        words = f"{_NAMES[source]}: {answer.problem or 'the certificate is unknown to it'}"
        # A staple is the server's doing (CERT-10 judges it); a service asked that answered
        # no usable evidence is an error; "unknown" or "did not exist yet" is no evidence.
        if source != "staple" and answer.unusable not in (None, Unusable.NOT_YET):
            failures.append(words)
        else:
            notes.append(words)
    failures += [a.error for a in observation.answers if a.error is not None]
    if failures:
        return RevocationVerdict(None, error="; ".join(failures + notes))
    if not observation.stapled:
        notes.insert(0, "the server staples no OCSP response")
    if not observation.asked_online:
        notes.append("the OCSP responder / CRL named in the certificate was not asked: run with "
                     "--revocation, or attest the status")
    return RevocationVerdict(None, note="; ".join(notes))


def endpoint_revocation(
    host: str, port: int, address: str, ca_bundle: Path | None, timeout: float, as_of: dt.date,
    online: bool,
) -> RevocationObservation:
    """`observe_revocation` for one endpoint address the TLS probe reached (SNI: its name)."""
    return observe_revocation(
        address, port, None if _is_ip(host) else host, timeout=timeout, as_of=as_of,
        ca_bundle_certs=_bundle(ca_bundle) if ca_bundle else (),
        online=online,
    )


#: A bundle's certificates, read once per process (every endpoint of a system shares it).
_bundle = functools.lru_cache(maxsize=64)(load_bundle)


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
