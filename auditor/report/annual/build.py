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
from auditor.report.annual.agency_lines import agency_lines, points_score
from auditor.report.annual.figures import (
    LEVELS,
    SEVERITIES,
    TOP_GAPS,
    AnnualFigures,
    CertificateHealth,
    Gap,
    KpiValue,
    Period,
    SystemLine,
)
from auditor.report.annual.form08_counts import (
    ReqAcc,
    fold_requirements,
    headline,
    in_scope,
    owners,
    periodic_status,
    requirements,
)
from auditor.report.annual.kpi_values import count_value, share_value, staff_value
from auditor.report.annual.kpis import (
    ASSESSMENTS,
    CERTIFICATE_RULES,
    IPV6,
    KPIS,
    LAYERS,
    REGULATION,
    Cycles,
    KpiDef,
    system_status,
)
from auditor.store.rows import AgencyRow, RunRow, SystemRow

_OPEN = (Status.FAIL, Status.ERROR)
_MEASURED = (Status.PASS, Status.FAIL)

# Every rule any indicator or section reads, so a snapshot's findings are scanned once.
_SECTION_KPIS: tuple[KpiDef, ...] = (*KPIS, *LAYERS, *IPV6[1:], *ASSESSMENTS, REGULATION)


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
    retired: list[SystemLine] = field(default_factory=list)
    severity: Counter[str] = field(default_factory=Counter)
    group: Counter[str] = field(default_factory=Counter)
    gaps: dict[str, _GapAcc] = field(default_factory=dict)
    certs: Counter[str] = field(default_factory=Counter)
    requirements: dict[str, ReqAcc] = field(default_factory=dict)


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


def _fold(snapshot: SnapshotLike, period: Period, acc: _Acc, cycles: Cycles) -> None:
    system = snapshot.system
    register = system.register
    if not in_scope(system.lifecycle, register, period):
        acc.retired.append(_retired_line(snapshot))
        return
    statuses: dict[str, list[Status]] = defaultdict(list)
    meta: dict[str, tuple[str, Obligation]] = {}
    open_here: Counter[str] = Counter()
    failed_rules: set[str] = set()
    cert_subjects: dict[str | None, set[str]] = defaultdict(set)
    for finding in snapshot.findings:
        statuses[finding.rule_id].append(finding.status)
        meta[finding.rule_id] = (finding.group, finding.obligation)
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
    periodic, lapses = periodic_status(
        register, system.governing_regime, system.effective, period, cycles
    )
    computed = system.computed.get(system.governing_regime)
    line = SystemLine(
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
            periodic=periodic,
            periodic_lapses=lapses,
        )
    acc.lines.append(line)
    fold_requirements(line, statuses, meta, acc.requirements)


def _retired_line(snapshot: SnapshotLike) -> SystemLine:
    """A retired system as a bare line, for the note that says it was not counted."""
    system = snapshot.system
    return SystemLine(
        agency_id=system.agency_id,
        system_id=system.system_id,
        name=system.name,
        lifecycle=system.lifecycle,
        system_type=system.system_type,
        effective_level=system.effective,
        declared_level=system.declared,
        computed_level=system.computed.get(system.governing_regime),
        governing_regime=system.governing_regime,
        register=system.register,
        audited_on=snapshot.run.as_of,
        run_id=snapshot.run.id,
        live=snapshot.run.live,
        score=system.score,
        points=system.points,
        open_by_severity={},
        kpis={},
        expired_certificates=0,
        in_scope=False,
    )



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
    cycles: Cycles | None = None,
) -> AnnualFigures:
    """Fold the period's snapshots (streamed) into the report's figures.

    `citations` maps a rule id to its legal references as text (see `citations()`), which
    become each indicator's stated basis.

    `runs` are the organisation's runs of the period, newest first (the first one's
    organisation figures count for the staff indicator); `previous`, the figures of the
    year before, for the trend; `cycles`, the inspection cycle of each (regime, level)
    (`kpis.periodic_cycles(catalog)`; none known without it).
    """
    acc = _Acc()
    for snapshot in snapshots:
        _fold(snapshot, period, acc, cycles or {})
    lines = sorted(acc.lines, key=lambda line: (line.agency_id, line.system_id))
    retired = sorted(acc.retired, key=lambda line: (line.agency_id, line.system_id))
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
            kpis.append(share_value(kpi, target, lines))
        elif kpi.kind == "staff":
            kpis.append(staff_value(kpi, target, staff))
        else:
            kpis.append(count_value(kpi, target, certificates))
    ipv6_target = float(targets.ipv6_portals)
    ranked = agency_lines(lines, retired, agencies, target_of)
    organisation_run = runs[0] if runs else None
    org_register = organisation_run.register if organisation_run is not None else None
    org_points = org_register.own_points if org_register is not None else None
    # The whole scored as `auditor audit` scores a run: every system's points, every agency's
    # own and the organisation's own.
    score, points = points_score(
        [*(a.points for a in ranked), *([org_points] if org_points else [])]
    )
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
        agencies=ranked,
        headline=headline(lines, retired),
        kpis=cited(_with_previous(kpis, previous_kpis)),
        layers=cited(
            _with_previous(
                [share_value(k, float(targets.four_layer), lines) for k in LAYERS], previous_kpis
            )
        ),
        ipv6=cited(
            _with_previous([share_value(k, ipv6_target, lines) for k in IPV6], previous_kpis)
        ),
        assessments=cited(
            _with_previous([share_value(k, 100.0, lines) for k in ASSESSMENTS], previous_kpis)
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
        regulation=cited((share_value(REGULATION, 100.0, lines),))[0],
        requirements=requirements(acc.requirements),
        owners=owners(agencies, organisation_run),
        letter=org_register.letter if org_register is not None else None,
        retired=tuple(retired),
    )
