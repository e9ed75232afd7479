"""What is known of a certificate's revocation: each source's answer, everything observed of
one endpoint address or certificate file, and the one verdict CERT-09 reads (revocation.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from auditor.probes.ocsp import OcspAnswer


@dataclass(frozen=True)
class SourceAnswer:
    """What one source said: `answer` when one was obtained, else `error` (could not ask)."""

    source: str  # "staple", "ocsp" (the responder), "crl" (a distribution point), "crl_file"
    where: str | None = None  # the URL asked, or the CRL file as the inventory names it
    answer: OcspAnswer | None = None
    error: str | None = None
    position: int = 1  # the certificate answered for: 1 the leaf, 2 its issuer…


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
    of_file: bool = False  # a certificate file: no server, only CRL files
    crl_files_unused: tuple[str, ...] = ()  # declared CRL files naming no issuer of the chain
    staple_asked: bool = True  # False: --no-staple, and nothing else needed the connection


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
