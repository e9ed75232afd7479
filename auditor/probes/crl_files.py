"""CRL files the inventory names (`tls_policy.crl_files`), judged for every certificate of an
endpoint's chain or of a certificate file: the leaf and each intermediate.

A CRL applies to a certificate when it names the certificate's issuer. It is read once per
process and path (bounded, `MAX_CRL_FILE_BYTES`); a file that cannot be read, or a CRL that is
not usable for a certificate it applies to (signature not verified with the issuer's key,
nextUpdate before the audit instant), is said so as an error of that certificate's revocation,
never silently skipped. A CRL that applies to no certificate of the item is listed as not used
for it (`revocation.crl_files_unused`), so every declared file is accounted for.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509

from auditor.probes.certfile import _FileError, _read_bounded
from auditor.probes.crl import LoadedCrl, judge_crl, load_crl
from auditor.probes.ocsp import find_issuer
from auditor.probes.revocation_types import SourceAnswer
from auditor.probes.targets import CrlRef

MAX_CRL_FILE_BYTES = 16 * 1024 * 1024


@functools.lru_cache(maxsize=256)
def _read(path: Path, shown: str) -> LoadedCrl:
    # The certificate files' bounded reader: a FIFO, device or directory is refused unread.
    try:
        data = _read_bounded(path, MAX_CRL_FILE_BYTES)
    except _FileError as failure:
        return LoadedCrl(shown, error=failure.reason)
    return dataclasses.replace(load_crl(data, shown), sha256=hashlib.sha256(data).hexdigest())


def read_crl(ref: CrlRef) -> LoadedCrl:
    """One declared CRL file, read once per process (or why it is not)."""
    if ref.refused is not None:
        return LoadedCrl(ref.path, error=ref.refused)
    return _read(ref.resolved, ref.path)


def read_crls(refs: Sequence[CrlRef]) -> tuple[LoadedCrl, ...]:
    """Each declared CRL file, read (or why not), in the inventory's order."""
    return tuple(read_crl(ref) for ref in refs)


def judge_chain(
    chain: Sequence[x509.Certificate], extra_issuers: Sequence[x509.Certificate],
    crls: Sequence[LoadedCrl], at: dt.datetime,
) -> tuple[tuple[SourceAnswer, ...], tuple[str, ...]]:
    """For each certificate of `chain` (position 1 = the leaf) and each CRL naming its issuer,
    the CRL's answer (or why there is none); and the files used by none of them."""
    found: list[SourceAnswer] = []
    used: set[str] = set()
    for loaded in crls:
        if loaded.crl is None:
            used.add(loaded.where)
            found.append(SourceAnswer("crl_file", loaded.where,
                                      error=f"{loaded.where}: {loaded.error}"))
    for position, cert in enumerate(chain, start=1):
        matching = [c for c in crls if c.crl is not None and c.crl.issuer == cert.issuer]
        if not matching:
            continue
        issuer = find_issuer(cert, (*chain[position:], *extra_issuers))
        for loaded in matching:
            used.add(loaded.where)
            if issuer is None:
                found.append(SourceAnswer(
                    "crl_file", loaded.where, position=position,
                    error=f"{loaded.where}: the issuer of certificate {position} is not in "
                    "hand to verify the CRL"))
                continue
            assert loaded.crl is not None  # noqa: S101 - filtered above
            answer = judge_crl(loaded.crl, cert, issuer, at)
            found.append(SourceAnswer("crl_file", loaded.where, answer, position=position))
    unused = tuple(c.where for c in crls if c.where not in used)
    return tuple(found), unused
