"""What an agency is asked to prove: the evidence requests of its workbook.

From an audit of the current inventory, every finding still `manual` whose rule is closed by an
attestation (an `attested` check anywhere in it) becomes one request: the subject (a system, or
the agency itself), the rule, what is asked, the legal reference, and the topic an answer is
filed under. Pure: it reads an AuditRun, the catalog and the inventory, and returns rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from auditor.model.inventory import Agency, Attestation, Regime
from auditor.model.results import AuditRun, Finding, Status
from auditor.rules import Catalog, Rule


@dataclass(frozen=True)
class EvidenceRequest:
    kind: Literal["system", "agency"]
    subject: str  # the system's or the agency's id
    name: str
    rule_id: str
    topic: str  # the attestation's `rule:` an answer is filed under
    item: str | None  # a host/endpoint the finding is about, else None
    asked_vi: str
    asked_en: str
    reference: str
    #: Document numbers already attested for this topic when the workbook was made.
    existing: tuple[str, ...]

    def asked(self, lang: str) -> str:
        return self.asked_en if lang == "en" else self.asked_vi


def attested_topics(rule: Rule) -> tuple[str, ...]:
    """The attestation topics a rule's checks read (the rule's id unless a check names one)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, BaseModel):
            if getattr(node, "kind", None) == "attested":
                found.append(getattr(node, "topic", None) or rule.id)
            for value in node.__dict__.values():
                walk(value)
        elif isinstance(node, tuple | list):
            for value in node:
                walk(value)

    walk(rule.check)
    return tuple(dict.fromkeys(found))


def _numbers(attestations: tuple[Attestation, ...], topic: str) -> tuple[str, ...]:
    return tuple(a.document.number for a in attestations if a.rule == topic)


def _rows(
    kind: Literal["system", "agency"],
    subject: str,
    name: str,
    findings: tuple[Finding, ...],
    attestations: tuple[Attestation, ...],
    catalog: Catalog,
    regime: Regime | None,
    level: int | None,
) -> Iterator[EvidenceRequest]:
    for finding in findings:
        if finding.status is not Status.MANUAL:
            continue
        rule = catalog.get(finding.rule_id)
        if rule is None:
            continue
        for topic in attested_topics(rule):
            yield EvidenceRequest(
                kind=kind,
                subject=subject,
                name=name,
                rule_id=rule.id,
                topic=topic,
                item=finding.subject,
                asked_vi=f"{rule.title.vi}. {finding.message.vi}",
                asked_en=f"{rule.title.en}. {finding.message.en}",
                reference=rule.reference_text(regime, level),
                existing=_numbers(attestations, topic),
            )


def evidence_requests(run: AuditRun, catalog: Catalog, agency: Agency) -> list[EvidenceRequest]:
    """The agency's own requests first, then its systems' in inventory order."""
    requests: list[EvidenceRequest] = []
    body = next((b for b in run.agencies if b.id == agency.id), None)
    if body is not None:
        requests.extend(
            _rows("agency", agency.id, agency.name, body.findings, agency.attestations,
                  catalog, None, None)
        )
    results = {s.id: s for s in run.systems if s.agency == agency.id}
    for system in agency.systems:
        result = results.get(system.id)
        if result is None:
            continue
        requests.extend(
            _rows("system", system.id, system.name, result.findings, system.attestations,
                  catalog, Regime(result.level.governing_regime), result.level.effective)
        )
    return requests
