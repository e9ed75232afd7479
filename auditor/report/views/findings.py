"""The findings tables of a system, an agency or the organisation: what needs attention with
evidence, legal basis and remediation (by requirement group), what passed, the waivers and the
attestations declared."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from auditor.model.results import (
    AttestationRecord,
    AttestationStatus,
    Finding,
    Origin,
    WaiverNote,
)
from auditor.report import labels
from auditor.report.views.condensed import CompactLine, compact_lines, without_manual_ids
from auditor.report.views.context import (
    COMPACT,
    STATUS_ORDER,
    Context,
    finding_order,
    group_order,
    line_order,
)
from auditor.report.views.values import format_value


@dataclass(frozen=True, slots=True)
class EvidenceView:
    fact: str
    value: str
    origin: str


@dataclass(frozen=True, slots=True)
class FindingView:
    """A finding that needs attention (fail, error, manual, waived), with everything to act."""

    rule_id: str
    subject: str | None
    title: str
    status: str
    status_label: str
    measured_label: str | None  # what was measured, when a waiver changed the status
    severity: str
    severity_label: str
    message: str
    evidence: tuple[EvidenceView, ...]
    reference: str
    remediation: str
    waiver: WaiverNote | None
    gate: bool
    unverified: bool = False  # its rule rests on a source not checked against the text (U)


@dataclass(frozen=True, slots=True)
class CompactFinding:
    """A passed or not-applicable finding: listed by rule id and title only."""

    rule_id: str
    subject: str | None
    title: str
    status: str
    status_label: str


@dataclass(frozen=True, slots=True)
class GroupView:
    code: str
    label: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True, slots=True)
class FindingsView:
    groups: tuple[GroupView, ...]  # non-passing findings by requirement group (full pages)
    compact: tuple[CompactFinding, ...]  # passed and not applicable, by rule id (full pages)
    open_lines: tuple[CompactLine, ...]  # non-passing rule ids by status and severity
    compact_lines: tuple[CompactLine, ...]  # passed / not-applicable rule ids by status
    open: int  # non-passing findings


@dataclass(frozen=True, slots=True)
class WaiverRow:
    rule_id: str
    title: str
    subject: str | None
    status_label: str
    measured_label: str
    waiver: WaiverNote


@dataclass(frozen=True, slots=True)
class AttestationView:
    """One declared attestation (used or not) with its validity at the audit date."""

    rule_id: str
    document: str
    date: dt.date | None
    attested_by: str
    valid_until: dt.date | None
    expired: bool  # lapsed at the audit date: the row is marked
    status: str  # valid | lapsed | not_yet_effective | unused
    status_label: str
    use: str  # the findings that read it, or why none did
    origin: str  # file:line of the attestation
    known: bool  # it names a rule of the catalog (linked to the requirement)


def waiver_note(ctx: Context, finding: Finding) -> WaiverNote | None:
    """The finding's waiver with its decision's dates in the page's conventions."""
    note = finding.waiver
    if note is None:
        return None
    return replace(note, decision=ctx.decision(note.decision))


def finding_view(
    ctx: Context, finding: Finding, regime: str | None, level: int | None = None
) -> FindingView:
    status = finding.status.value
    measured = finding.measured_status.value
    lang = ctx.lang
    return FindingView(
        rule_id=finding.rule_id,
        subject=finding.subject,
        title=ctx.title(finding.rule_id),
        status=status,
        status_label=ctx.status_labels[status],
        measured_label=ctx.status_labels[measured] if measured != status else None,
        severity=finding.severity.value,
        severity_label=ctx.severity_labels[finding.severity.value],
        message=finding.message.en if lang == "en" else finding.message.vi,
        evidence=tuple(
            EvidenceView(e.fact, format_value(e.value, lang), ctx.origin(e.origin))
            for e in finding.evidence
        ),
        reference=ctx.reference(finding.rule_id, regime, level),
        remediation=ctx.remediation(finding.rule_id),
        waiver=waiver_note(ctx, finding),
        gate=finding.gate,
        unverified=ctx.unverified(finding.rule_id),
    )


def findings_view(
    ctx: Context, findings: Sequence[Finding], regime: str | None, level: int | None = None
) -> FindingsView:
    full: dict[str, list[Finding]] = {}
    passed: list[Finding] = []
    for finding in findings:
        if finding.status in COMPACT:
            passed.append(finding)
        else:
            full.setdefault(finding.group, []).append(finding)
    passed.sort(key=lambda f: (f.rule_id, f.subject or "", STATUS_ORDER[f.status]))
    open_findings = sorted((f for group in full.values() for f in group), key=line_order)
    open_lines = compact_lines(ctx, open_findings, by_severity=True)
    passed_lines = compact_lines(
        ctx,
        sorted(passed, key=lambda f: (STATUS_ORDER[f.status], f.rule_id, f.subject or "")),
        by_severity=False,
    )
    if not ctx.full:
        return FindingsView(
            (), (), without_manual_ids(open_lines), passed_lines, len(open_findings)
        )
    groups = tuple(
        GroupView(
            code=code,
            label=labels.group(code, ctx.lang),
            findings=tuple(
                finding_view(ctx, f, regime, level) for f in sorted(full[code], key=finding_order)
            ),
        )
        for code in sorted(full, key=group_order)
    )
    compact = tuple(
        CompactFinding(
            rule_id=f.rule_id,
            subject=f.subject,
            title=ctx.title(f.rule_id),
            status=f.status.value,
            status_label=ctx.status_labels[f.status.value],
        )
        for f in passed
    )
    return FindingsView(groups, compact, open_lines, passed_lines, len(open_findings))


def waiver_rows(ctx: Context, findings: Iterable[Finding]) -> tuple[WaiverRow, ...]:
    rows = []
    for finding in sorted(findings, key=lambda f: (f.rule_id, f.subject or "")):
        waiver = waiver_note(ctx, finding)
        if waiver is None:
            continue
        rows.append(
            WaiverRow(
                rule_id=finding.rule_id,
                title=ctx.title(finding.rule_id),
                subject=finding.subject,
                status_label=ctx.status_labels[finding.status.value],
                measured_label=ctx.status_labels[finding.measured_status.value],
                waiver=waiver,
            )
        )
    return tuple(rows)


def attestation_views(
    ctx: Context, records: Iterable[AttestationRecord]
) -> tuple[AttestationView, ...]:
    """Every attestation declared, in the inventory's order, lapsed ones marked."""
    return tuple(
        attestation_view(record, ctx.lang, record.rule in ctx.rules) for record in records
    )


def _where(origin: Origin) -> str:
    """file:line of an attestation, or the workbook cell it was answered in."""
    if origin.source == "workbook" and origin.via:
        return origin.via
    return f"{origin.file}:{origin.line}" if origin.file and origin.line else ""


def attestation_view(record: AttestationRecord, lang: str, known: bool) -> AttestationView:
    """An attestation as the report lists it: validity, and which findings read it or why none
    did (the words come from the results, the template only shows them)."""
    t = labels.ui(lang)
    if record.status is AttestationStatus.UNUSED:
        reason = record.reason
        use = (reason.vi if lang == "vi" else reason.en) if reason is not None else ""
    else:
        use = ", ".join(dict.fromkeys(_rule_of(f) for f in record.used_by))
    origin = record.origin
    return AttestationView(
        rule_id=record.rule,
        document=record.document.number,
        date=record.document.date,
        attested_by=record.attested_by,
        valid_until=record.valid_until,
        expired=record.status is AttestationStatus.LAPSED,
        status=record.status.value,
        status_label=t[f"attestation_{record.status.value}"],
        use=use,
        origin=_where(origin),
        known=known,
    )


def _rule_of(finding_id: str) -> str:
    """A finding id is rule:owner[:subject]; its subject is shown only when there is one."""
    rule, _, rest = finding_id.partition(":")
    _, _, subject = rest.partition(":")
    return f"{rule} [{subject}]" if subject else rule
