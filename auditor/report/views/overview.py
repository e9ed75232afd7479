"""The province overview at the top of the page: levels per agency, agencies compared, the
systems that may not go live, the most frequent gaps, the expired waivers, and the observation
and port-scan counts per agency."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from auditor.model.results import AuditRun, Finding, Status, SystemResult
from auditor.report import labels
from auditor.report.views.context import LEVELS, OPEN, Context, anchor, finding_order
from auditor.report.views.live import LiveCounts, LiveRow, add_counts
from auditor.report.views.ports import PortCounts, PortsRow, add_port_counts
from auditor.report.views.sections import AgencySection
from auditor.report.views.summary import SummaryView, summary_view
from auditor.scoring import gate_blocking

TOP_GAPS: Final = 10
_NEEDS_ACTION: Final = frozenset({Status.FAIL, Status.ERROR, Status.MANUAL})


@dataclass(frozen=True, slots=True)
class LevelRow:
    agency_id: str
    anchor: str
    name: str
    counts: tuple[int, ...]  # systems at effective level 1..5
    total: int


@dataclass(frozen=True, slots=True)
class AgencyRow:
    id: str
    anchor: str
    name: str
    systems: int
    blocked: int
    summary: SummaryView


@dataclass(frozen=True, slots=True)
class RuleRef:
    rule_id: str
    title: str
    status_label: str


@dataclass(frozen=True, slots=True)
class BlockedSystem:
    id: str
    anchor: str
    name: str
    agency_name: str
    level: int
    lifecycle: str
    rules: tuple[RuleRef, ...]
    rule_ids: str  # the same ids on one line, for condensed pages


@dataclass(frozen=True, slots=True)
class Gap:
    rule_id: str
    title: str
    severity_label: str
    systems: int
    share: float  # percentage of all systems


@dataclass(frozen=True, slots=True)
class ExpiredWaiver:
    owner_kind: str
    owner_id: str
    owner_name: str
    anchor: str
    rule_id: str
    title: str
    decision: str
    approver: str
    expires: dt.date
    measured_label: str


@dataclass(frozen=True, slots=True)
class Overview:
    summary: SummaryView
    systems: int
    blocked: int
    level_rows: tuple[LevelRow, ...]
    level_totals: tuple[int, ...]
    agency_rows: tuple[AgencyRow, ...]
    gate_blocked: tuple[BlockedSystem, ...]
    frequent_gaps: tuple[Gap, ...]
    expired_waivers: tuple[ExpiredWaiver, ...]
    live: LiveCounts  # the whole province (all zero when the run was not live)
    live_rows: tuple[LiveRow, ...]  # per agency
    ports: PortCounts  # the whole province (all zero without a port scan)
    port_rows: tuple[PortsRow, ...]  # per agency
    unverified: int = 0  # open findings (fail, error, manual) of rules with confidence U
    unverified_rules: tuple[str, ...] = ()  # those rules' ids


def overview(
    ctx: Context, agencies: Sequence[AgencySection], failing: Mapping[str, int]
) -> Overview:
    run = ctx.run
    names = {a.id: a.name for a in run.agencies}
    level_rows = tuple(
        LevelRow(
            agency_id=a.id,
            anchor=a.anchor,
            name=a.name,
            counts=tuple(sum(1 for s in a.systems if s.level.effective == n) for n in LEVELS),
            total=len(a.systems),
        )
        for a in agencies
    )
    blocked = tuple(
        blocked_system(ctx, s, names.get(s.agency, s.agency))
        for s in run.systems
        if s.summary.gate_blocked
    )
    return Overview(
        summary=summary_view(run.summary, ctx.lang),
        systems=len(run.systems),
        blocked=len(blocked),
        level_rows=level_rows,
        level_totals=tuple(sum(r.counts[i] for r in level_rows) for i in range(len(LEVELS))),
        agency_rows=tuple(
            AgencyRow(a.id, a.anchor, a.name, len(a.systems), a.blocked, a.summary)
            for a in agencies
        ),
        gate_blocked=blocked,
        frequent_gaps=gaps(ctx, failing, len(run.systems)),
        expired_waivers=expired_waivers(ctx),
        live=add_counts(a.live.counts for a in agencies),
        live_rows=tuple(LiveRow(a.id, a.anchor, a.name, a.live.counts) for a in agencies),
        ports=add_port_counts(a.ports.counts for a in agencies),
        port_rows=tuple(PortsRow(a.id, a.ports.id, a.name, a.ports.counts) for a in agencies),
        unverified=sum(ctx.unverified(f.rule_id) for f in _open_findings(run)),
        unverified_rules=tuple(
            sorted({f.rule_id for f in _open_findings(run) if ctx.unverified(f.rule_id)})
        ),
    )


def blocked_system(ctx: Context, system: SystemResult, agency_name: str) -> BlockedSystem:
    rules = tuple(
        RuleRef(f.rule_id, ctx.title(f.rule_id), ctx.status_labels[f.status.value])
        for f in sorted(gate_blocking(system.findings), key=finding_order)
    )
    return BlockedSystem(
        id=system.id,
        anchor=anchor("s", system.id),
        name=system.name,
        agency_name=agency_name,
        level=system.level.effective,
        lifecycle=labels.lifecycle(system.lifecycle, ctx.lang),
        rules=rules,
        rule_ids=", ".join(r.rule_id for r in rules),
    )


def gaps(ctx: Context, failing: Mapping[str, int], systems: int) -> tuple[Gap, ...]:
    ranked = sorted(failing.items(), key=lambda item: (-item[1], item[0]))[:TOP_GAPS]
    return tuple(
        Gap(
            rule_id=rule_id,
            title=ctx.title(rule_id),
            severity_label=ctx.rule_severity(rule_id),
            systems=count,
            share=100 * count / systems if systems else 0.0,
        )
        for rule_id, count in ranked
    )


def expired_waivers(ctx: Context) -> tuple[ExpiredWaiver, ...]:
    run = ctx.run
    owners: list[tuple[str, str, str, str, Sequence[Finding]]] = [
        (
            "kind_organisation",
            run.organisation.id,
            run.organisation.name,
            "org",
            run.organisation.findings,
        ),
        *(("kind_agency", a.id, a.name, anchor("a", a.id), a.findings) for a in run.agencies),
        *(("kind_system", s.id, s.name, anchor("s", s.id), s.findings) for s in run.systems),
    ]
    rows = []
    for kind, owner_id, owner_name, owner_anchor, findings in owners:
        for finding in findings:
            note = finding.waiver
            if note is None or not note.expired:
                continue
            rows.append(
                ExpiredWaiver(
                    owner_kind=ctx.t[kind],
                    owner_id=owner_id,
                    owner_name=owner_name,
                    anchor=owner_anchor,
                    rule_id=finding.rule_id,
                    title=ctx.title(finding.rule_id),
                    decision=ctx.decision(note.decision),
                    approver=note.approver,
                    expires=note.expires,
                    measured_label=ctx.status_labels[finding.measured_status.value],
                )
            )
    rows.sort(key=lambda r: (r.expires, r.owner_id, r.rule_id))
    return tuple(rows)


def _open_findings(run: AuditRun) -> Iterator[Finding]:
    """Findings still needing action (fail, error, manual) across the whole run."""
    for findings in (
        run.organisation.findings,
        *(a.findings for a in run.agencies),
        *(s.findings for s in run.systems),
    ):
        yield from (f for f in findings if f.status in _NEEDS_ACTION)


def failing_systems(systems: Iterable[SystemResult]) -> dict[str, int]:
    """Rule id → number of systems on which it failed or erred (each system counted once)."""
    tally: Counter[str] = Counter()
    for system in systems:
        tally.update({f.rule_id for f in system.findings if f.status in OPEN})
    return dict(tally)
