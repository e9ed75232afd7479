"""Read a period's audits out of the history store and fold them into the annual figures."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from auditor.errors import AuditorError
from auditor.model.results import Status
from auditor.model.targets import AnnualTargets
from auditor.report.annual.build import build_figures
from auditor.report.annual.figures import AnnualFigures, Gap, Period
from auditor.store import HistoryStore


class NoAuditsError(AuditorError):
    """Nothing recorded in the period, or several organisations and none chosen."""


def _organisation(store: HistoryStore, period: Period, organisation: str | None) -> tuple[str, str]:
    runs = store.runs(since=period.since, until=period.until)
    names = {run.organisation: run.organisation_name for run in reversed(runs)}
    if organisation is not None:
        if organisation not in names:
            known = ", ".join(sorted(names)) or "none"
            raise NoAuditsError(
                f"{store.name}: no audit of '{organisation}' recorded from "
                f"{period.since.isoformat()} to {period.until.isoformat()} "
                f"(organisations audited then: {known})"
            )
        return organisation, names[organisation]
    if not names:
        raise NoAuditsError(
            f"{store.name}: no audit recorded from {period.since.isoformat()} to "
            f"{period.until.isoformat()}; run `auditor audit` first (every run is recorded)"
        )
    if len(names) > 1:
        raise NoAuditsError(
            f"{store.name}: audits of several organisations in the period "
            f"({', '.join(sorted(names))}); choose one with --organisation"
        )
    ((only, name),) = names.items()
    return only, name


def _figures(
    store: HistoryStore,
    organisation: str,
    name: str,
    period: Period,
    targets: AnnualTargets,
    previous: AnnualFigures | None,
    citations: Mapping[str, tuple[str, ...]],
) -> AnnualFigures:
    runs = store.runs(organisation=organisation, since=period.since, until=period.until)
    figures = build_figures(
        organisation=organisation,
        organisation_name=runs[0].organisation_name if runs else name,
        period=period,
        snapshots=store.iter_latest_briefs(
            since=period.since, until=period.until, organisation=organisation
        ),
        agencies=store.latest_per_agency(
            since=period.since, until=period.until, organisation=organisation
        ),
        runs=runs,
        targets=targets,
        previous=previous,
        citations=citations,
    )
    return dataclasses.replace(figures, gaps=tuple(_with_message(store, g) for g in figures.gaps))


def _with_message(store: HistoryStore, gap: Gap) -> Gap:
    """The gap with the message of its example finding (read for the few gaps shown only:
    the million findings behind the figures are read without their messages)."""
    for finding in store.findings(
        gap.example_run, system_id=gap.example_system, rule_id=gap.rule_id
    ):
        if finding.status is Status.FAIL and finding.severity.value == gap.severity:
            return dataclasses.replace(
                gap, message_vi=finding.message_vi, message_en=finding.message_en
            )
    return gap


def collect_figures(
    store: HistoryStore,
    period: Period,
    targets: AnnualTargets,
    organisation: str | None = None,
    citations: Mapping[str, tuple[str, ...]] | None = None,
) -> AnnualFigures:
    """This period's figures, with last year's (same span, a year earlier) for the trend.

    `citations`: rule id → references (`kpis.citations(catalog)`), the indicators' basis."""
    citations = citations or {}
    organisation, name = _organisation(store, period, organisation)
    earlier = period.previous()
    previous = None
    if store.runs(organisation=organisation, since=earlier.since, until=earlier.until):
        previous = _figures(store, organisation, name, earlier, targets, None, citations)
    return _figures(store, organisation, name, period, targets, previous, citations)
