"""An account of the CRL files the inventory declares (`tls_policy.crl_files`), like the trust
anchors' (anchors.py): every file read is an input of the run, with its SHA-256, and a file no
verdict rests on is reported as unused with the reason — a CRL naming no issuer of any
certificate the declaring systems present, or declared by systems with no certificate to
judge. A file that cannot be read is not unused: each certificate it was declared for has a
revocation `error` naming it (crl_files.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.model.results import NOT_DECLARED, InputFile, Text2, UnusedInput
from auditor.probes.crl_files import read_crl
from auditor.probes.revocation_types import RevocationObservation
from auditor.probes.runner import ProbeResults
from auditor.probes.targets import CrlRef, ProbePlan

KIND = "crl_file"

_NO_ISSUER = Text2(
    vi="không nêu tổ chức cấp của chứng thư nào mà các hệ thống khai báo nó xuất trình",
    en="names the issuer of no certificate the systems declaring it present",
)
_NOTHING_TO_JUDGE = Text2(
    vi="các hệ thống khai báo nó không có chứng thư nào được kiểm tra (không có điểm cuối HTTPS "
       "hay tệp chứng thư, hoặc không kết nối được)",
    en="the systems declaring it had no certificate judged (no HTTPS endpoint or certificate "
       "file, or none could be reached)",
)


def _judged(results: ProbeResults) -> Iterable[tuple[tuple[CrlRef, ...], RevocationObservation]]:
    for tls in results.tls:
        if tls.revocation is not None:
            yield tls.target.crls, tls.revocation
    for file in results.files:
        if file.revocation is not None:
            yield file.target.crls, file.revocation


def account_crl_files(
    plan: ProbePlan, results: ProbeResults
) -> tuple[tuple[InputFile, ...], tuple[UnusedInput, ...]]:
    """(the declared CRL files read, as inputs; those no verdict rests on)."""
    declared: dict[str, CrlRef] = {}
    for _system, ref in plan.crl_files:
        declared.setdefault(str(ref.resolved), ref)
    inputs: list[InputFile] = []
    unreadable: set[str] = set()
    for key, ref in declared.items():
        loaded = read_crl(ref)
        if loaded.sha256 is not None:
            inputs.append(InputFile(key, KIND, loaded.sha256))
        if loaded.crl is None:
            unreadable.add(key)
    used: set[str] = set()
    judged: set[str] = set()
    for refs, observation in _judged(results):
        by_written = {ref.path: str(ref.resolved) for ref in refs}
        judged.update(by_written.values())
        used.update(by_written[a.where] for a in observation.answers
                    if a.source == "crl_file" and a.where in by_written)
    unused = [
        UnusedInput(key, KIND, _NO_ISSUER if key in judged else _NOTHING_TO_JUDGE,
                    ref.origin or NOT_DECLARED)
        for key, ref in declared.items() if key not in used and key not in unreadable
    ]
    return tuple(inputs), tuple(unused)
