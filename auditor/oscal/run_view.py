"""One audit run as the OSCAL export needs it, from the results JSON or the history store.

The two sources do not hold the same things: a results file (an AuditRun) keeps every
finding's evidence (fact, value, origin); the history store keeps the findings and their
messages but not their evidence (`evidence` is None then, and the export says so rather than
presenting the finding as resting on nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from auditor.model.results import (
    AttestationRecord,
    AttestationStatus,
    AuditRun,
    BodyResult,
    Evidence,
    Finding,
    InputFile,
    Obligation,
    Severity,
    Status,
    Text2,
    WaiverNote,
)
from auditor.store.rows import RunDetail


@dataclass(frozen=True, slots=True)
class FindingView:
    finding_id: str
    rule_id: str
    owner: str  # the system, agency or organisation id
    owner_kind: str  # "system" | "agency" | "organisation"
    subject: str | None  # the host, endpoint or certificate of a per-subject rule
    status: Status
    measured_status: Status
    severity: Severity
    obligation: Obligation
    gate: bool
    message: Text2
    evidence: tuple[Evidence, ...] | None  # None: not kept where the run was read from
    waiver: WaiverNote | None = None


@dataclass(frozen=True, slots=True)
class UnusedAttestation:
    """An attestation the inventory declares and no rule reads: accounted for, not dropped."""

    owner: str
    owner_kind: str
    record: AttestationRecord


@dataclass(frozen=True, slots=True)
class SystemView:
    id: str
    name: str
    agency: str
    lifecycle: str
    system_type: str
    effective_level: int
    governing_regime: str


@dataclass(frozen=True, slots=True)
class BodyView:
    id: str
    name: str
    kind: str  # "agency" | "organisation"


@dataclass(frozen=True, slots=True)
class RunView:
    key: str  # names the run in every UUID derived for it
    source: str  # "results" (a results file) | "history" (the history store)
    as_of: dt.date
    tool_version: str
    live: bool
    observed_at: str | None  # when the live probes ran (ISO 8601 UTC)
    recorded_at: str | None  # when the history store recorded the run
    run_id: int | None  # the history store's run id
    rules: int
    organisation: BodyView
    agencies: tuple[BodyView, ...]
    systems: tuple[SystemView, ...]
    findings: tuple[FindingView, ...]
    inputs: tuple[InputFile, ...]
    unused: tuple[UnusedAttestation, ...] = ()  # the history store does not keep them


def _unused(run: AuditRun) -> Iterator[UnusedAttestation]:
    owners: list[tuple[str, str, tuple[AttestationRecord, ...]]] = [
        (run.organisation.id, run.organisation.kind, run.organisation.attestations),
        *((a.id, a.kind, a.attestations) for a in run.agencies),
        *((s.id, "system", s.attestations) for s in run.systems),
    ]
    for owner, kind, records in owners:
        for record in records:
            if record.status is AttestationStatus.UNUSED:
                yield UnusedAttestation(owner, kind, record)


def _finding(found: Finding, owner: str, kind: str) -> FindingView:
    return FindingView(
        finding_id=found.id, rule_id=found.rule_id, owner=owner, owner_kind=kind,
        subject=found.subject, status=found.status, measured_status=found.measured_status,
        severity=found.severity, obligation=found.obligation, gate=found.gate,
        message=found.message, evidence=found.evidence, waiver=found.waiver,
    )


def _run_findings(run: AuditRun) -> Iterator[FindingView]:
    """The organisation's findings, then each agency's, then each system's (run order)."""
    bodies: list[BodyResult] = [run.organisation, *run.agencies]
    for body in bodies:
        for found in body.findings:
            yield _finding(found, body.id, body.kind)
    for system in run.systems:
        for found in system.findings:
            yield _finding(found, system.id, "system")


def view_of_run(run: AuditRun, key: str) -> RunView:
    """A run read from a results file; `key` names it (e.g. the file's SHA-256)."""
    return RunView(
        key=key, source="results", as_of=run.run.as_of, tool_version=run.run.tool_version,
        live=run.run.live, observed_at=run.run.observed_at, recorded_at=None, run_id=None,
        rules=run.run.rules,
        organisation=BodyView(run.organisation.id, run.organisation.name, "organisation"),
        agencies=tuple(BodyView(a.id, a.name, "agency") for a in run.agencies),
        systems=tuple(
            SystemView(
                id=s.id, name=s.name, agency=s.agency, lifecycle=s.lifecycle,
                system_type=s.system_type, effective_level=s.level.effective,
                governing_regime=s.level.governing_regime,
            )
            for s in run.systems
        ),
        findings=tuple(_run_findings(run)),
        inputs=run.run.inputs,
        unused=tuple(_unused(run)),
    )


def view_of_detail(detail: RunDetail) -> RunView:
    """A run read from the history store (its findings without evidence)."""
    run = detail.run
    return RunView(
        key=f"history\x1f{run.organisation}\x1f{run.id}\x1f{run.recorded_at}",
        source="history", as_of=run.as_of, tool_version=run.tool_version, live=run.live,
        observed_at=run.observed_at, recorded_at=run.recorded_at, run_id=run.id,
        rules=run.rules,
        organisation=BodyView(run.organisation, run.organisation_name, "organisation"),
        agencies=tuple(BodyView(a.agency_id, a.name, "agency") for a in detail.agencies),
        systems=tuple(
            SystemView(
                id=s.system_id, name=s.name, agency=s.agency_id, lifecycle=s.lifecycle,
                system_type=s.system_type, effective_level=s.effective,
                governing_regime=s.governing_regime,
            )
            for s in detail.systems
        ),
        findings=tuple(
            FindingView(
                finding_id=f.finding_id, rule_id=f.rule_id, owner=f.owner,
                owner_kind=f.owner_kind, subject=f.subject, status=f.status,
                measured_status=f.measured_status, severity=f.severity,
                obligation=f.obligation, gate=f.gate, message=Text2(f.message_vi, f.message_en),
                evidence=None, waiver=f.waiver,
            )
            for f in detail.findings
        ),
        inputs=run.inputs,
    )
