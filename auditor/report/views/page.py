"""The whole report page: its sections built in order from one audit run, in one language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from auditor.model.results import AuditRun, SystemResult, UnusedInput
from auditor.report import labels
from auditor.report.views.condensed import full_detail
from auditor.report.views.context import LEVELS, Context
from auditor.report.views.findings import (
    AttestationView,
    FindingsView,
    attestation_views,
    findings_view,
)
from auditor.report.views.observed import ObservedTables
from auditor.report.views.overview import Overview, failing_systems, overview
from auditor.report.views.requirements import RequirementView, requirement_view
from auditor.report.views.sections import AgencySection, agency_section
from auditor.report.views.values import format_instant
from auditor.rules import Catalog


@dataclass(frozen=True, slots=True)
class Page:
    lang: str
    title: str
    organisation_id: str
    as_of: dt.date
    tool_version: str
    rules: int
    inputs: tuple[str, ...]
    #: Inputs no verdict rests on (e.g. a trust anchor covering no endpoint), with the reason.
    unused_inputs: tuple[str, ...]
    score_method: str
    overview: Overview
    organisation_findings: FindingsView
    organisation_attestations: tuple[AttestationView, ...]
    agencies: tuple[AgencySection, ...]
    requirements: tuple[RequirementView, ...]
    status_names: Mapping[str, str]  # status code → label, for column headings
    full: bool  # every finding in full; False: condensed (see FULL_DETAIL_MAX_SYSTEMS)
    live: bool  # the run probed endpoints and certificates (auditor audit --live)
    observed_at: str  # when the probes ran, in the page's conventions; "" when not live
    scanned: bool  # port-scan records exist (a live scan or an imported one)
    levels: tuple[int, ...] = LEVELS


#: The inputs the method section lists (the checklists are the rules, listed in full).
_LISTED_INPUTS = ("inventory", "trust_anchor")


def _unused(unused: UnusedInput, lang: str) -> str:
    """`FILE:LINE: PATH — reason` (the path and reason alone for a command-line option)."""
    origin = unused.origin
    where = f"{origin.file}:{origin.line}: " if origin.file and origin.line else ""
    reason = unused.reason.en if lang == "en" else unused.reason.vi
    return f"{where}{unused.path} — {reason}"


def build_page(run: AuditRun, catalog: Catalog, lang: str, full: bool | None = None) -> Page:
    """The whole report as view models, in `lang` ('vi' or 'en').

    `full` None: every finding in full up to FULL_DETAIL_MAX_SYSTEMS systems, condensed above.
    """
    labels.ui(lang)  # rejects an unknown language before any work
    if full is None:
        full = full_detail(len(run.systems))
    return _page(Context(run, catalog, lang, full))


def _page(ctx: Context) -> Page:
    run, lang = ctx.run, ctx.lang
    by_agency: dict[str, list[SystemResult]] = {}
    for system in run.systems:
        by_agency.setdefault(system.agency, []).append(system)
    observed = ObservedTables(ctx)
    sections = []
    for agency in run.agencies:
        systems = by_agency.get(agency.id, ())
        live, ports = observed.agency(agency.id, systems)
        sections.append(agency_section(ctx, agency, systems, live, ports))
    agencies = tuple(sections)
    failing = failing_systems(run.systems)
    method = run.run.score_method
    observed_at = run.run.observed_at
    return Page(
        lang=lang,
        title=run.organisation.name,
        organisation_id=run.organisation.id,
        as_of=run.run.as_of,
        tool_version=run.run.tool_version,
        rules=run.run.rules,
        inputs=tuple(i.path for i in run.run.inputs if i.kind in _LISTED_INPUTS),
        unused_inputs=tuple(_unused(u, lang) for u in run.run.unused_inputs),
        score_method="" if method is None else (method.en if lang == "en" else method.vi),
        overview=overview(ctx, agencies, failing),
        organisation_findings=findings_view(ctx, run.organisation.findings, None),
        organisation_attestations=attestation_views(ctx, run.organisation.attestations),
        agencies=agencies,
        requirements=tuple(requirement_view(ctx, rule, failing) for rule in ctx.rules.values()),
        status_names=MappingProxyType(ctx.status_labels),
        full=ctx.full,
        live=run.run.live,
        observed_at=format_instant(observed_at, lang) if run.run.live and observed_at else "",
        scanned=any(a.ports.rows for a in agencies),
    )
