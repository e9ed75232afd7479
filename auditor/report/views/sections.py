"""The agency and system sections of the page: each with its summary, level, findings,
waivers and attestations (an agency's also with its observation tables)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from auditor.model.results import BodyResult, SystemResult
from auditor.report import labels
from auditor.report.views.context import OPEN, Context, anchor
from auditor.report.views.findings import (
    AttestationView,
    FindingsView,
    WaiverRow,
    attestation_views,
    findings_view,
    waiver_rows,
)
from auditor.report.views.levels import LevelView, level_view
from auditor.report.views.live import AgencyLive
from auditor.report.views.ports import AgencyPorts
from auditor.report.views.summary import SummaryView, summary_view


@dataclass(frozen=True, slots=True)
class SystemSection:
    id: str
    anchor: str
    name: str
    agency_id: str
    agency_name: str
    lifecycle: str
    system_type: str
    level: LevelView
    summary: SummaryView
    failing: bool  # at least one failed or errored finding
    blocked: bool  # may not go live
    css: str  # filter classes: "sys l3 f b"
    findings: FindingsView
    waivers: tuple[WaiverRow, ...]
    attestations: tuple[AttestationView, ...]


@dataclass(frozen=True, slots=True)
class AgencySection:
    id: str
    anchor: str
    name: str
    summary: SummaryView
    blocked: int
    findings: FindingsView
    waivers: tuple[WaiverRow, ...]
    attestations: tuple[AttestationView, ...]
    systems: tuple[SystemSection, ...]
    live: AgencyLive
    ports: AgencyPorts


def system_section(ctx: Context, system: SystemResult, agency_name: str) -> SystemSection:
    failing = any(f.status in OPEN for f in system.findings)
    blocked = system.summary.gate_blocked
    css = f"sys l{system.level.effective}" + (" f" if failing else "") + (" b" if blocked else "")
    lang = ctx.lang
    return SystemSection(
        id=system.id,
        anchor=anchor("s", system.id),
        name=system.name,
        agency_id=system.agency,
        agency_name=agency_name,
        lifecycle=labels.lifecycle(system.lifecycle, lang),
        system_type=labels.system_type(system.system_type, lang),
        level=level_view(system.level, lang),
        summary=summary_view(system.summary, lang),
        failing=failing,
        blocked=blocked,
        css=css,
        findings=findings_view(
            ctx, system.findings, system.level.governing_regime, system.level.effective
        ),
        waivers=waiver_rows(ctx, system.findings),
        attestations=attestation_views(ctx, system.attestations),
    )


def agency_section(
    ctx: Context,
    agency: BodyResult,
    systems: Sequence[SystemResult],
    live: AgencyLive,
    ports: AgencyPorts,
) -> AgencySection:
    return AgencySection(
        id=agency.id,
        anchor=anchor("a", agency.id),
        name=agency.name,
        summary=summary_view(agency.summary, ctx.lang),
        blocked=sum(1 for s in systems if s.summary.gate_blocked),
        findings=findings_view(ctx, agency.findings, None),
        waivers=waiver_rows(ctx, agency.findings),
        attestations=attestation_views(ctx, agency.attestations),
        systems=tuple(system_section(ctx, s, agency.name) for s in systems),
        live=live,
        ports=ports,
    )
