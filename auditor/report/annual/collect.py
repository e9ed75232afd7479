"""Read a period's audits out of the history store and fold them into the annual figures."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from auditor.errors import AuditorError
from auditor.messages import Msg
from auditor.model.results import Status
from auditor.model.targets import AnnualTargets
from auditor.report.annual.build import build_figures
from auditor.report.annual.figures import AnnualFigures, Gap, Period
from auditor.report.annual.kpis import Cycles
from auditor.store import HistoryStore


class NoAuditsError(AuditorError):
    """Nothing recorded in the period, or several organisations and none chosen."""


def _organisation(store: HistoryStore, period: Period, organisation: str | None) -> tuple[str, str]:
    runs = store.runs(since=period.since, until=period.until)
    names = {run.organisation: run.organisation_name for run in reversed(runs)}
    since_vi, until_vi = f"{period.since:%d/%m/%Y}", f"{period.until:%d/%m/%Y}"
    since, until = period.since.isoformat(), period.until.isoformat()
    if organisation is not None:
        if organisation not in names:
            listed = ", ".join(sorted(names))
            raise NoAuditsError(
                Msg(
                    f"{store.name}: không có lần đánh giá nào của '{organisation}' được ghi từ "
                    f"{since_vi} đến {until_vi} (các tổ chức được đánh giá trong thời gian đó: "
                    f"{listed or 'không có'})",
                    f"{store.name}: no audit of '{organisation}' recorded from {since} to "
                    f"{until} (organisations audited then: {listed or 'none'})",
                )
            )
        return organisation, names[organisation]
    if not names:
        raise NoAuditsError(
            Msg(
                f"{store.name}: không có lần đánh giá nào được ghi từ {since_vi} đến {until_vi}; "
                "hãy chạy `auditor audit` trước (mỗi lần chạy đều được ghi lại)",
                f"{store.name}: no audit recorded from {since} to {until}; run `auditor audit` "
                "first (every run is recorded)",
            )
        )
    if len(names) > 1:
        listed = ", ".join(sorted(names))
        raise NoAuditsError(
            Msg(
                f"{store.name}: trong kỳ có các lần đánh giá của nhiều tổ chức ({listed}); hãy "
                "chọn một tổ chức bằng --organisation",
                f"{store.name}: audits of several organisations in the period ({listed}); "
                "choose one with --organisation",
            )
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
    cycles: Cycles,
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
        cycles=cycles,
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
    cycles: Cycles | None = None,
) -> AnnualFigures:
    """This period's figures, with last year's (same span, a year earlier) for the trend.

    `citations`: rule id → references (`kpis.citations(catalog)`), the indicators' basis;
    `cycles`: the inspection cycles the rules set (`kpis.periodic_cycles(catalog)`)."""
    citations = citations or {}
    cycles = cycles or {}
    organisation, name = _organisation(store, period, organisation)
    earlier = period.previous()
    previous = None
    if store.runs(organisation=organisation, since=earlier.since, until=earlier.until):
        previous = _figures(
            store, organisation, name, earlier, targets, None, citations, cycles
        )
    return _figures(store, organisation, name, period, targets, previous, citations, cycles)
