"""The annual report's figures: one pass over the last audit of each system in a period.

Input is what the history store hands out (`BriefSnapshot`s, one per system, in any order,
possibly streamed; the agencies' rows; the organisation's latest run); output is a frozen
`AnnualFigures` that the HTML, PDF, XLSX and CSV exports all lay out. Pure: no I/O, and
nothing here depends on how many runs the period holds — only on the number of systems,
since each snapshot is folded into small counters and one `SystemLine` as it arrives.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from auditor.model.results import BodyRegister, Obligation, Severity, Status
from auditor.model.targets import AnnualTargets
from auditor.report.annual.figures import (
    DEPLOYMENTS,
    DOSSIER_STATUSES,
    LEVELS,
    SEVERITIES,
    TOP_GAPS,
    AgencyLine,
    AnnualFigures,
    CertificateHealth,
    Gap,
    Headline,
    KpiValue,
    Period,
    SystemLine,
)
from auditor.report.annual.kpis import (
    ASSESSMENTS,
    CERTIFICATE_RULES,
    IPV6,
    KPIS,
    LAYERS,
    KpiDef,
    KpiStatus,
    system_status,
)
from auditor.store.rows import AgencyRow, RunRow, SystemRow

_OPEN = (Status.FAIL, Status.ERROR)
_MEASURED = (Status.PASS, Status.FAIL)

# Every rule any indicator or section reads, so a snapshot's findings are scanned once.
_SECTION_KPIS: tuple[KpiDef, ...] = (*KPIS, *LAYERS, *IPV6[1:], *ASSESSMENTS)


# -- folding ----------------------------------------------------------------------------------


@dataclass
class _GapAcc:
    systems: int = 0
    severity: str = ""
    group: str = ""
    example: tuple[int, str] = (0, "")


@dataclass
class _Acc:
    lines: list[SystemLine] = field(default_factory=list)
    severity: Counter[str] = field(default_factory=Counter)
    group: Counter[str] = field(default_factory=Counter)
    gaps: dict[str, _GapAcc] = field(default_factory=dict)
    certs: Counter[str] = field(default_factory=Counter)


_SEVERITY_RANK = {name: rank for rank, name in enumerate(reversed(SEVERITIES))}


class FindingLike(Protocol):
    """What counting needs of a finding (the store's FindingBrief or FindingRow)."""

    @property
    def rule_id(self) -> str: ...
    @property
    def subject(self) -> str | None: ...
    @property
    def status(self) -> Status: ...
    @property
    def measured_status(self) -> Status: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def group(self) -> str: ...
    @property
    def obligation(self) -> Obligation: ...


class SnapshotLike(Protocol):
    """A system as its last audit of the period saw it (BriefSnapshot or SystemSnapshot)."""

    @property
    def run(self) -> RunRow: ...
    @property
    def system(self) -> SystemRow: ...
    @property
    def findings(self) -> Sequence[FindingLike]: ...


def _fold(snapshot: SnapshotLike, period: Period, acc: _Acc) -> None:
    system = snapshot.system
    statuses: dict[str, list[Status]] = defaultdict(list)
    open_here: Counter[str] = Counter()
    failed_rules: set[str] = set()
    cert_subjects: dict[str | None, set[str]] = defaultdict(set)
    for finding in snapshot.findings:
        statuses[finding.rule_id].append(finding.status)
        if finding.status in _OPEN and finding.obligation is not Obligation.ADVISORY:
            open_here[finding.severity.value] += 1
            acc.group[finding.group] += 1
        if finding.status is Status.FAIL and finding.rule_id not in failed_rules:
            failed_rules.add(finding.rule_id)
            gap = acc.gaps.setdefault(finding.rule_id, _GapAcc())
            gap.systems += 1
            gap.group = finding.group
            if _SEVERITY_RANK[finding.severity.value] > _SEVERITY_RANK.get(gap.severity, -1):
                gap.severity = finding.severity.value
                gap.example = (snapshot.run.id, system.system_id)
        for kind, rules in CERTIFICATE_RULES.items():
            # Only a measured result counts: a certificate the probe could not fetch (error)
            # was not checked, and is not "healthy" either.
            if finding.rule_id in rules and finding.measured_status in _MEASURED:
                cert_subjects[finding.subject].add("seen")
                if finding.measured_status is Status.FAIL:
                    cert_subjects[finding.subject].add(kind)
    acc.severity.update(open_here)
    for subject, kinds in cert_subjects.items():
        if subject is None:
            continue
        acc.certs["observed"] += 1
        problems = kinds - {"seen"}
        acc.certs.update(problems)
        if not problems:
            acc.certs["healthy"] += 1
    register = system.register
    periodic = register.periodic if register is not None else None
    computed = system.computed.get(system.governing_regime)
    acc.lines.append(
        SystemLine(
            agency_id=system.agency_id,
            system_id=system.system_id,
            name=system.name,
            lifecycle=system.lifecycle,
            system_type=system.system_type,
            effective_level=system.effective,
            declared_level=system.declared,
            computed_level=computed,
            governing_regime=system.governing_regime,
            register=register,
            audited_on=snapshot.run.as_of,
            run_id=snapshot.run.id,
            live=snapshot.run.live,
            score=system.score,
            points=system.points,
            open_by_severity=dict(open_here),
            kpis={
                k.id: system_status([s for r in k.rules for s in statuses.get(r, ())])
                for k in _SECTION_KPIS
                if k.kind == "share"
            },
            expired_certificates=sum(
                1 for subject, kinds in cert_subjects.items() if subject and "expired" in kinds
            ),
            periodic_in_period=periodic is not None
            and period.since <= periodic.date <= period.until,
        )
    )


def _share(kpi: KpiDef, target: float, lines: Sequence[SystemLine]) -> KpiValue:
    tally = Counter(line.kpis.get(kpi.id, KpiStatus.NOT_APPLICABLE) for line in lines)
    met, not_met, unverified = (
        tally[KpiStatus.MET],
        tally[KpiStatus.NOT_MET],
        tally[KpiStatus.UNVERIFIED],
    )
    applicable = met + not_met + unverified
    value = 100 * met / applicable if applicable else None
    return KpiValue(
        kpi,
        target,
        value,
        met,
        applicable,
        not_met,
        unverified,
        achieved=None if value is None else value >= target,
    )


def _staff(kpi: KpiDef, target: float, staff: tuple[int, int] | None) -> KpiValue:
    if staff is None or staff[1] == 0:
        return KpiValue(kpi, target, None, 0, 0)
    trained, total = staff
    value = 100 * trained / total
    return KpiValue(
        kpi, target, value, trained, total, not_met=total - trained, achieved=value >= target
    )


def _count(kpi: KpiDef, target: float, certificates: CertificateHealth) -> KpiValue:
    if certificates.observed == 0:
        return KpiValue(kpi, target, None, 0, 0)
    expired = certificates.expired
    return KpiValue(
        kpi,
        target,
        float(expired),
        certificates.observed - expired,
        certificates.observed,
        not_met=expired,
        achieved=expired <= target,
    )


def _headline(lines: Sequence[SystemLine]) -> Headline:
    registers = [line.register for line in lines if line.register is not None]
    dossier = Counter(r.dossier_status for r in registers if r.dossier_status)
    plan = Counter(r.plan_deployment or "undeclared" for r in registers)
    return Headline(
        systems=len(lines),
        classified=sum(1 for r in registers if r.proposed_level is not None),
        no_dossier=sum(1 for r in registers if r.dossier_status is None),
        dossier={status: dossier[status] for status in DOSSIER_STATUSES},
        with_regulation=sum(1 for r in registers if r.security_regulation is not None),
        plan={d: plan[d] for d in (*DEPLOYMENTS, "undeclared")},
        inspected_pre_operation=sum(1 for r in registers if r.pre_operation is not None),
        inspected_periodic=sum(1 for line in lines if line.periodic_in_period),
        expected_completion=sum(
            1
            for r in registers
            if r.dossier_status != "approved" and r.expected_approval is not None
        ),
        national_security=sum(1 for r in registers if r.national_security_critical),
        not_recorded=len(lines) - len(registers),
    )


def _points_score(points: Iterable[tuple[int, int]]) -> tuple[float | None, tuple[int, int]]:
    earned = possible = 0
    for e, p in points:
        earned += e
        possible += p
    return (100 * earned / possible if possible else None), (earned, possible)


def _agencies(
    lines: Sequence[SystemLine], agencies: Sequence[tuple[RunRow, AgencyRow]]
) -> tuple[AgencyLine, ...]:
    by_agency: dict[str, list[SystemLine]] = defaultdict(list)
    for line in lines:
        by_agency[line.agency_id].append(line)
    names = {row.agency_id: row for _, row in agencies}
    result: list[AgencyLine] = []
    for agency_id, own in by_agency.items():
        row = names.get(agency_id)
        score, points = _points_score(line.points for line in own)
        kpi_met: dict[str, tuple[int, int]] = {}
        for kpi in KPIS:
            if kpi.kind != "share":
                continue
            statuses = [line.kpis.get(kpi.id, KpiStatus.NOT_APPLICABLE) for line in own]
            applicable = [s for s in statuses if s is not KpiStatus.NOT_APPLICABLE]
            kpi_met[kpi.id] = (sum(1 for s in applicable if s is KpiStatus.MET), len(applicable))
        result.append(
            AgencyLine(
                agency_id=agency_id,
                name=row.name if row is not None else agency_id,
                systems=len(own),
                score=score,
                points=points,
                kpi_met=kpi_met,
                open_critical_high=sum(
                    line.open_by_severity.get("critical", 0) + line.open_by_severity.get("high", 0)
                    for line in own
                ),
                by_level=dict(Counter(line.effective_level for line in own)),
                staff=row.register if row is not None else None,
            )
        )
    # Best first: score, then fewer open critical/high findings, then id for a stable order.
    result.sort(
        key=lambda a: (a.score is None, -(a.score or 0.0), a.open_critical_high, a.agency_id)
    )
    return tuple(_ranked(result))


def _ranked(agencies: list[AgencyLine]) -> Iterable[AgencyLine]:
    for position, agency in enumerate(agencies, start=1):
        yield dataclasses.replace(agency, rank=position)


def _staff_total(
    agencies: Sequence[tuple[RunRow, AgencyRow]], organisation_run: RunRow | None
) -> tuple[int, int] | None:
    bodies: list[BodyRegister] = [a.register for _, a in agencies if a.register is not None]
    if organisation_run is not None and organisation_run.register is not None:
        bodies.append(organisation_run.register)
    counted = [b for b in bodies if b.security_staff is not None and b.trained is not None]
    if not counted:
        return None
    return (sum(b.trained or 0 for b in counted), sum(b.security_staff or 0 for b in counted))


def _with_previous(
    values: Sequence[KpiValue], previous: Mapping[str, KpiValue]
) -> tuple[KpiValue, ...]:
    out: list[KpiValue] = []
    for value in values:
        before = previous.get(value.kpi.id)
        out.append(
            KpiValue(
                value.kpi,
                value.target,
                value.value,
                value.met,
                value.applicable,
                value.not_met,
                value.unverified,
                value.achieved,
                before.value if before is not None else None,
                value.basis,
            )
        )
    return tuple(out)


def _cited(
    citations: Mapping[str, tuple[str, ...]],
) -> Callable[[tuple[KpiValue, ...]], tuple[KpiValue, ...]]:
    def cite(values: tuple[KpiValue, ...]) -> tuple[KpiValue, ...]:
        out = []
        for value in values:
            kpi = value.kpi
            parts = [ref for r in kpi.rules for ref in citations.get(r, ())]
            if kpi.basis is not None:
                parts.append(kpi.basis.vi)
            # several rules often cite the same clause: keep each once, in order
            text = "; ".join(dict.fromkeys(parts))
            out.append(dataclasses.replace(value, basis=text))
        return tuple(out)

    return cite


def build_figures(
    *,
    organisation: str,
    organisation_name: str,
    period: Period,
    snapshots: Iterable[SnapshotLike],
    agencies: Sequence[tuple[RunRow, AgencyRow]],
    runs: Sequence[RunRow],
    targets: AnnualTargets,
    previous: AnnualFigures | None = None,
    citations: Mapping[str, tuple[str, ...]] | None = None,
) -> AnnualFigures:
    """Fold the period's snapshots (streamed) into the report's figures.

    `citations` maps a rule id to its legal references as text (see `citations()`), which
    become each indicator's stated basis.

    `runs` are the organisation's runs of the period, newest first (the first one's
    organisation figures count for the staff indicator); `previous`, the figures of the
    year before, for the trend.
    """
    acc = _Acc()
    for snapshot in snapshots:
        _fold(snapshot, period, acc)
    lines = sorted(acc.lines, key=lambda line: (line.agency_id, line.system_id))
    certificates = CertificateHealth(
        observed=acc.certs["observed"],
        healthy=acc.certs["healthy"],
        expired=acc.certs["expired"],
        expiring=acc.certs["expiring"],
        untrusted=acc.certs["untrusted"],
        weak=acc.certs["weak"],
        systems_unobserved=sum(1 for line in lines if not line.live),
    )
    staff = _staff_total(agencies, runs[0] if runs else None)
    target_of = targets.model_dump()
    kpis: list[KpiValue] = []
    for kpi in KPIS:
        target = float(target_of[kpi.id])
        if kpi.kind == "share":
            kpis.append(_share(kpi, target, lines))
        elif kpi.kind == "staff":
            kpis.append(_staff(kpi, target, staff))
        else:
            kpis.append(_count(kpi, target, certificates))
    ipv6_target = float(targets.ipv6_portals)
    score, points = _points_score(line.points for line in lines)
    previous_kpis: dict[str, KpiValue] = {}
    if previous is not None:
        for value in (*previous.kpis, *previous.layers, *previous.ipv6, *previous.assessments):
            previous_kpis[value.kpi.id] = value
    gaps = sorted(
        (
            Gap(rule, g.systems, g.severity, g.group, g.example[0], g.example[1])
            for rule, g in acc.gaps.items()
        ),
        key=lambda g: (-g.systems, -_SEVERITY_RANK[g.severity], g.rule_id),
    )
    cited = _cited(citations or {})
    return AnnualFigures(
        organisation=organisation,
        organisation_name=organisation_name,
        period=period,
        runs=tuple(runs),
        systems=tuple(lines),
        agencies=_agencies(lines, agencies),
        headline=_headline(lines),
        kpis=cited(_with_previous(kpis, previous_kpis)),
        layers=cited(
            _with_previous(
                [_share(k, float(targets.four_layer), lines) for k in LAYERS], previous_kpis
            )
        ),
        ipv6=cited(_with_previous([_share(k, ipv6_target, lines) for k in IPV6], previous_kpis)),
        assessments=cited(
            _with_previous([_share(k, 100.0, lines) for k in ASSESSMENTS], previous_kpis)
        ),
        certificates=certificates,
        by_level={
            level: sum(1 for line in lines if line.effective_level == level) for level in LEVELS
        },
        by_regime=dict(Counter(line.governing_regime for line in lines)),
        open_by_severity={s: acc.severity[s] for s in SEVERITIES},
        open_by_group=dict(acc.group.most_common()),
        gaps=tuple(gaps[:TOP_GAPS]),
        score=score,
        points=points,
        staff=staff,
        live_systems=sum(1 for line in lines if line.live),
        previous=previous,
    )
