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
from pathlib import Path

from cryptography import x509

from auditor.probes.chaintime import load_bundle
from auditor.probes.crl import LoadedCrl, judge_crl, load_crl
from auditor.probes.crl_files import judge_chain, read_crls
from auditor.probes.ocsp import CertStatus, OcspAnswer, Unusable, find_issuer, judge_response
from auditor.probes.revocation_fetch import (
    ask_responder,
    crl_urls,
    download_crl,
    ocsp_urls,
)
from auditor.probes.revocation_types import (
    RevocationObservation,
    RevocationVerdict,
    SourceAnswer,
)
from auditor.probes.staple import request_staple
from auditor.probes.targets import CrlRef

__all__ = ["RevocationObservation", "RevocationVerdict", "SourceAnswer", "audit_instant",
           "certificate_file_revocation", "endpoint_revocation",
           "file_revocation", "observe_revocation", "summarise"]


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
    crls: Sequence[LoadedCrl] = (), ask_staple: bool = True,
) -> RevocationObservation:
    """Ask the server for its staple and, with `online`, the services the certificate names;
    judge the chain it sent against the declared CRL files `crls`. Without `ask_staple`
    (--no-staple) and with nothing else to judge, the server is not contacted at all."""
    if not ask_staple and not online and not crls:
        return RevocationObservation(audit_instant(as_of, _now()), online, staple_asked=False)
    seen = request_staple(address, port, server_name, timeout)
    instant = audit_instant(as_of, _now())
    if seen.error is not None or not seen.chain:
        reason = seen.error or "the server presented no certificate"
        return RevocationObservation(instant, online, staple_error=reason, error=reason)
    leaf = seen.chain[0]
    serial = f"{leaf.serial_number:x}"
    if seen.staple is None and not online and not crls:  # nothing to verify with the issuer
        return RevocationObservation(instant, online, serial, stapled=False)
    issuer = find_issuer(leaf, (*seen.chain[1:], *ca_bundle_certs))
    if issuer is None:
        reason = ("the certificate's issuer is neither in the chain the server sent nor in the "
                  "CA bundle: no OCSP answer or CRL can be checked without it")
        return RevocationObservation(instant, online, serial, stapled=seen.staple is not None,
                                     staple_error=reason, error=reason)
    staple = None if seen.staple is None else judge_response(seen.staple, leaf, issuer, instant)
    answers = _online(leaf, issuer, as_of, timeout) if online else ()
    from_files, unused = judge_chain(seen.chain, ca_bundle_certs, crls, instant)
    return RevocationObservation(instant, online, serial, stapled=seen.staple is not None,
                                 staple=staple, answers=(*answers, *from_files),
                                 crl_files_unused=unused)


def certificate_file_revocation(
    chain_der: Sequence[bytes], ca_bundle: Path | None, crl_refs: Sequence[CrlRef],
    as_of: dt.date,
) -> RevocationObservation | None:
    """`file_revocation` of a certificate file's readable chain (None when it has none)."""
    if not chain_der:
        return None
    chain = [x509.load_der_x509_certificate(der) for der in chain_der]
    return file_revocation(chain, _bundle(ca_bundle) if ca_bundle else (),
                           read_crls(crl_refs), as_of)


def file_revocation(
    chain: Sequence[x509.Certificate], ca_bundle_certs: Sequence[x509.Certificate],
    crls: Sequence[LoadedCrl], as_of: dt.date,
) -> RevocationObservation:
    """A certificate file's chain (leaf first) judged against the declared CRL files only."""
    instant = audit_instant(as_of, None)
    answers, unused = judge_chain(chain, ca_bundle_certs, crls, instant)
    return RevocationObservation(instant, False, f"{chain[0].serial_number:x}", answers=answers,
                                 of_file=True, crl_files_unused=unused)


def _usable(answers: Sequence[tuple[SourceAnswer, OcspAnswer]], status: CertStatus
            ) -> tuple[SourceAnswer, OcspAnswer] | None:
    # Good is only ever said of the leaf; revoked of any certificate of its chain.
    return next(((s, a) for s, a in answers if a.status is status
                 and (s.position == 1 or status is CertStatus.REVOKED)), None)


def _said(source: SourceAnswer, answer: OcspAnswer) -> RevocationVerdict:
    where = source.source if source.position == 1 else f"{source.source} #{source.position}"
    return RevocationVerdict(str(answer.status), where, this_update=answer.this_update,
                             next_update=answer.next_update, revoked_at=answer.revoked_at)


_NAMES = {"staple": "OCSP staple", "ocsp": "OCSP responder", "crl": "CRL",
          "crl_file": "CRL file"}


def summarise(observation: RevocationObservation) -> RevocationVerdict:
    """The one verdict CERT-09 reads (see the module docstring)."""
    if observation.error is not None:
        return RevocationVerdict(None, error=observation.error)
    judged: list[tuple[SourceAnswer, OcspAnswer]] = []
    if observation.staple is not None:
        judged.append((SourceAnswer("staple"), observation.staple))
    judged += [(a, a.answer) for a in observation.answers if a.answer is not None]
    for status in (CertStatus.REVOKED, CertStatus.GOOD):
        found = _usable(judged, status)
        if found is not None:
            return _said(*found)
    failures, notes = [], []
    for source, answer in judged:
        named = f"{_NAMES[source.source]} {source.where}" if source.source == "crl_file" else (
            _NAMES[source.source])
        words = f"{named}: {answer.problem or 'the certificate is unknown to it'}"
        # A staple is the server's doing (CERT-10 judges it); a service asked or a file
        # declared that gave no usable evidence is an error; "unknown" or "did not exist yet"
        # is no evidence either way.
        if source.source != "staple" and answer.unusable not in (None, Unusable.NOT_YET):
            failures.append(words)
        else:
            notes.append(words)
    failures += [a.error for a in observation.answers if a.error is not None]
    if failures:
        return RevocationVerdict(None, error="; ".join(failures + notes))
    if observation.of_file:
        notes.insert(0, "no CRL file the inventory declares (tls_policy.crl_files) is from "
                     "this certificate's issuer")
        return RevocationVerdict(None, note="; ".join(notes))
    if not observation.staple_asked:
        notes.insert(0, "no OCSP staple was asked for (--no-staple)")
    elif not observation.stapled:
        notes.insert(0, "the server staples no OCSP response")
    if not observation.asked_online:
        notes.append("the OCSP responder / CRL named in the certificate was not asked: run with "
                     "--revocation")
    return RevocationVerdict(None, note="; ".join(notes))


def endpoint_revocation(
    host: str, port: int, address: str, ca_bundle: Path | None, timeout: float, as_of: dt.date,
    online: bool, crl_refs: Sequence[CrlRef] = (), *, staple: bool = True,
) -> RevocationObservation:
    """`observe_revocation` for one endpoint address the TLS probe reached (SNI: its name)."""
    return observe_revocation(
        address, port, None if _is_ip(host) else host, timeout=timeout, as_of=as_of,
        ca_bundle_certs=_bundle(ca_bundle) if ca_bundle else (), online=online,
        crls=read_crls(crl_refs), ask_staple=staple,
    )


#: A bundle's certificates, read once per process (every endpoint of a system shares it).
_bundle = functools.lru_cache(maxsize=64)(load_bundle)


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
