"""The annual report page: AnnualFigures → what the template lays out, charts included.

Every number is formatted here in the page's language (dd/mm/yyyy and a decimal comma in
Vietnamese), every order decided here; `templates/annual.html.j2` only places them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from auditor import __version__
from auditor.model.results import DocumentNote
from auditor.model.targets import TargetsFile
from auditor.report import filters, labels
from auditor.report.annual.columns import inspections_done
from auditor.report.annual.figures import (
    LEVELS,
    SEVERITIES,
    AnnualFigures,
    SystemLine,
)
from auditor.report.annual.form08 import Form08, LetterOptions, build_form08, governs_nd331
from auditor.report.annual.kpi_rows import KpiRow, change_since, kpi_bars, kpi_row
from auditor.report.annual.words import words
from auditor.report.charts import (
    Bar,
    Series,
    bar_chart,
    grouped_bar_chart,
    kpi_chart,
    stacked_bar,
)
from auditor.rules import Catalog

RUNS_LISTED = 24  # the method note lists the period's runs up to this many
# The PDF's annex stops here (about 5 systems to a landscape A4 page): a printed list of
# tens of thousands of rows helps nobody, and Chromium gives up printing ~2,000 pages. The
# XLSX and CSV annexes always hold every system.
PRINT_ANNEX_MAX = 2_000


@dataclass(frozen=True, slots=True)
class Row:
    """A table row of already formatted cells; `css` marks the state of the row."""

    cells: tuple[str, ...]
    css: str = ""


@dataclass(frozen=True, slots=True)
class Page:
    lang: str
    title: str
    organisation: str
    period: str
    period_kind: str
    due: str
    sources: str
    targets_from: str
    tool_version: str
    generated_on: str
    headline: tuple[Row, ...]
    kpis: tuple[KpiRow, ...]
    kpi_chart: Markup
    staff_note: str
    level_chart: Markup
    level_matrix: tuple[Row, ...]
    level_totals: Row
    regimes: tuple[Row, ...]
    dossier_chart: Markup
    plan_chart: Markup
    layers: tuple[KpiRow, ...]
    layers_chart: Markup
    assessments: tuple[KpiRow, ...]
    inspections: tuple[Row, ...]
    ipv6: tuple[KpiRow, ...]
    ipv6_chart: Markup
    live_note: str
    certificates: tuple[Row, ...]
    severity_chart: Markup
    severity_rows: tuple[Row, ...]
    groups: tuple[Row, ...]
    gaps: tuple[Row, ...]
    ranking: tuple[Row, ...]
    has_previous: bool
    no_previous: str
    trend: tuple[Row, ...]
    annex: tuple[Row, ...]
    annex_note: str  # when the annex shows only part of the systems: where the rest is
    runs: tuple[Row, ...]
    more_runs: str
    bases: tuple[KpiRow, ...]  # every indicator with its rules and legal basis
    form08: Form08  # the letter, Form 08 sections 1-2, Art. 36.7/36.9-36.10, agencies
    regulation: KpiRow | None  # Art. 36.7


def _doc(note: DocumentNote | None, lang: str) -> str:
    if note is None:
        return ""
    parts = [note.number, filters.date(note.date, lang)]
    if note.body:
        parts.append(note.body)
    return ", ".join(parts)


def _annex_row(line: SystemLine, agency: str, lang: str, w: Mapping[str, str]) -> Row:
    r = line.register
    audit = (
        filters.date(line.audited_on, lang),
        filters.score(line.score, lang),
    )
    if r is None:
        blank = (w["not_recorded"],) + ("",) * 9
        return Row((line.name, agency, *blank, *audit), css="unrecorded")
    return Row(
        (
            line.name,
            agency,
            r.owner or "",
            r.operator or "",
            filters.number(r.proposed_level, lang) if r.proposed_level else "",
            w[r.dossier_status] if r.dossier_status else w["no_dossier"],
            _doc(r.decision, lang),
            _doc(r.security_regulation, lang),
            filters.date(r.expected_approval, lang) if r.expected_approval else "",
            w[r.plan_deployment] if r.plan_deployment else w["undeclared"],
            filters.date(r.full_deployment_expected, lang) if r.full_deployment_expected else "",
            inspections_done(r, line, lang) or "",
            *audit,
        )
    )


def _n(value: int, lang: str) -> str:
    return filters.number(value, lang)


def _headline(f: AnnualFigures, lang: str, w: Mapping[str, str]) -> tuple[Row, ...]:
    h = f.headline
    before = f.previous.headline if f.previous is not None else None

    def row(label: str, now: int, then: int | None) -> Row:
        prev = filters.DASH if then is None else _n(then, lang)
        change = filters.DASH if then is None else change_since(now, then, lang, "count")
        return Row((label, _n(now, lang), prev, change))

    rows = [
        row(w["h_systems"], h.systems, before.systems if before else None),
        row(w["h_classified"], h.classified, before.classified if before else None),
        # cumulative, as Form 08 reads: an approved dossier has been appraised and built
        row(w["h_built"], h.built, before.built if before else None),
        row(w["h_appraised"], h.appraised, before.appraised if before else None),
        row(w["h_approved"], h.approved, before.approved if before else None),
        row(
            w["h_drafting"],
            h.dossier.get("draft", 0),
            before.dossier.get("draft", 0) if before else None,
        ),
    ]
    rows += [
        row(w["h_no_dossier"], h.no_dossier, before.no_dossier if before else None),
        row(w["h_with_regulation"], h.with_regulation, before.with_regulation if before else None),
    ]
    for deployment in ("full", "partial", "none", "undeclared"):
        rows.append(
            row(
                f"{w['plan_status']}: {w[deployment].lower() if lang == 'en' else w[deployment]}",
                h.plan[deployment],
                before.plan[deployment] if before else None,
            )
        )
    rows += [
        row(
            w["h_pre_operation"],
            h.inspected_pre_operation,
            before.inspected_pre_operation if before else None,
        ),
        row(w["h_periodic"], h.inspected_periodic, before.inspected_periodic if before else None),
        row(
            w["h_expected"],
            h.expected_missing,
            before.expected_missing if before else None,
        ),
        row(
            w["h_national_security"],
            h.national_security,
            before.national_security if before else None,
        ),
    ]
    if h.not_recorded:
        rows.append(Row((w["h_not_recorded"], _n(h.not_recorded, lang), "", ""), css="warn"))
    return tuple(rows)


def _levels(f: AnnualFigures, lang: str, w: Mapping[str, str]) -> tuple[tuple[Row, ...], Row]:
    rows = []
    for agency in sorted(f.agencies, key=lambda a: a.agency_id):
        counts = [_n(agency.by_level.get(level, 0), lang) for level in LEVELS]
        rows.append(Row((agency.name, *counts, _n(agency.systems, lang))))
    totals = Row(
        (w["total"], *(_n(f.by_level[level], lang) for level in LEVELS), _n(len(f.systems), lang))
    )
    return tuple(rows), totals


def _previous_value(f: AnnualFigures, attr: str) -> float | None:
    if f.previous is None:
        return None
    value = getattr(f.previous, attr)
    return float(value) if value is not None else None


def build_page(
    figures: AnnualFigures,
    catalog: Catalog,
    lang: str,
    targets: TargetsFile,
    today: dt.date,
    annex_limit: int | None = None,
    letter: LetterOptions | None = None,
) -> Page:
    """The page; `annex_limit` cuts the per-system annex (the PDF: PRINT_ANNEX_MAX);
    `letter`, what the command line sets on the covering letter."""
    w = words(lang, nd331=governs_nd331(figures.period))
    f = figures
    p = f.period
    agency_names = {a.agency_id: a.name for a in f.agencies}
    last = max((run.as_of for run in f.runs), default=None)
    sources = w["sources_text"].format(
        runs=_n(len(f.runs), lang),
        last=filters.date(last, lang),
        live=_n(f.live_systems, lang),
    )
    plan = targets.plan
    targets_from = (
        w["targets_default"]
        if plan is None
        else ", ".join(
            x for x in (plan.number, filters.date(plan.date, lang), plan.body or "") if x
        )
    )
    h = f.headline
    dossier_parts = [
        Bar(w[s], float(h.dossier[s]), css=f"dossier-{s}")
        for s in ("approved", "appraised", "submitted", "draft")
    ] + [Bar(w["no_dossier"], float(h.no_dossier), css="dossier-none")]
    plan_parts = [
        Bar(w[d], float(h.plan[d]), css=f"plan-{d}")
        for d in ("full", "partial", "none", "undeclared")
    ]
    level_rows, level_totals = _levels(f, lang, w)
    certs = f.certificates
    cert_rows = tuple(
        Row((w[key], _n(value, lang)), css=css)
        for key, value, css in (
            ("c_observed", certs.observed, ""),
            ("c_healthy", certs.healthy, ""),
            ("c_expired", certs.expired, "bad" if certs.expired else ""),
            ("c_expiring", certs.expiring, "warn" if certs.expiring else ""),
            ("c_untrusted", certs.untrusted, "bad" if certs.untrusted else ""),
            ("c_weak", certs.weak, "warn" if certs.weak else ""),
        )
    )
    if f.live_systems == 0:
        live_note = w["not_live"]
    elif certs.systems_unobserved:
        live_note = w["some_not_live"].format(n=_n(certs.systems_unobserved, lang))
    else:
        live_note = ""
    before_severity = f.previous.open_by_severity if f.previous is not None else None
    severity_series = [
        Series(w["this_year"], tuple(float(f.open_by_severity[s]) for s in SEVERITIES))
    ]
    if before_severity is not None:
        severity_series.insert(
            0,
            Series(w["previous"], tuple(float(before_severity[s]) for s in SEVERITIES), "bar-prev"),
        )
    severity_rows = tuple(
        Row(
            (
                labels.severity(s, lang),
                _n(f.open_by_severity[s], lang),
                filters.DASH if before_severity is None else _n(before_severity[s], lang),
            ),
            css=f"sev-{s}",
        )
        for s in SEVERITIES
    )
    groups = tuple(
        Row((labels.group(group, lang), _n(count, lang)))
        for group, count in f.open_by_group.items()
    )
    gaps = []
    for gap in f.gaps:
        rule = catalog.get(gap.rule_id)
        title = rule.title.get(lang) if rule is not None else gap.rule_id
        gaps.append(
            Row(
                (
                    gap.rule_id,
                    title,
                    labels.severity(gap.severity, lang),
                    _n(gap.systems, lang),
                    filters.percent(gap.systems, len(f.systems), lang),
                    gap.message_en if lang == "en" else gap.message_vi,
                ),
                css=f"sev-{gap.severity}",
            )
        )
    ranking = []
    for agency in f.agencies:
        met, applicable = agency.kpi_met.get("classified_approved", (0, 0))
        staff = agency.staff
        staff_text = (
            f"{_n(staff.trained, lang)} / {_n(staff.security_staff, lang)}"
            if staff is not None and staff.trained is not None and staff.security_staff is not None
            else filters.DASH
        )
        ranking.append(
            Row(
                (
                    _n(agency.rank, lang),
                    agency.name,
                    _n(agency.systems, lang),
                    filters.score(agency.score, lang),
                    f"{_n(met, lang)} / {_n(applicable, lang)}",
                    _n(agency.open_critical_high, lang),
                    staff_text,
                )
            )
        )
    previous = f.previous
    trend: list[Row] = []
    if previous is not None:
        trend.append(
            Row(
                (
                    w["score_total"],
                    filters.score(previous.score, lang),
                    filters.score(f.score, lang),
                    change_since(f.score, previous.score, lang, "share"),
                )
            )
        )
        trend.append(
            Row(
                (
                    w["h_systems"],
                    _n(len(previous.systems), lang),
                    _n(len(f.systems), lang),
                    change_since(len(f.systems), len(previous.systems), lang, "count"),
                )
            )
        )
        total_now = sum(f.open_by_severity.values())
        total_then = sum(previous.open_by_severity.values())
        trend.append(
            Row(
                (
                    w["open_findings"],
                    _n(total_then, lang),
                    _n(total_now, lang),
                    change_since(total_now, total_then, lang, "count"),
                )
            )
        )
        for kpi in f.kpis:
            row = kpi_row(kpi, lang, w)
            trend.append(Row((row.title, row.previous, row.value, row.change), css=row.state))
    previous_period = p.previous()
    inspections = (
        Row((w["h_pre_operation"], _n(h.inspected_pre_operation, lang))),
        Row((w["h_periodic"], _n(h.inspected_periodic, lang))),
    )
    runs = tuple(
        Row(
            (
                f"#{run.id}",
                filters.date(run.as_of, lang),
                run.inventory,
                _n(run.systems, lang),
                w["yes"] if run.live else w["no"],
            )
        )
        for run in f.runs[:RUNS_LISTED]
    )
    more = len(f.runs) - RUNS_LISTED
    staff_note = (
        w["staff_note"].format(trained=_n(f.staff[0], lang), staff=_n(f.staff[1], lang))
        if f.staff is not None
        else ""
    )
    return Page(
        lang=lang,
        title=w["doc_title"].format(year=p.year),
        organisation=f.organisation_name,
        period=f"{filters.date(p.since, lang)} – {filters.date(p.until, lang)}",
        period_kind=w["period_statutory"] if p.statutory else w["period_custom"],
        due=w["due_text"].format(date=filters.date(p.due, lang)),
        sources=sources,
        targets_from=targets_from,
        tool_version=__version__,
        generated_on=filters.date(today, lang),
        headline=_headline(f, lang, w),
        kpis=tuple(kpi_row(k, lang, w) for k in f.kpis),
        kpi_chart=kpi_chart(
            kpi_bars(f.kpis, lang, w["vocabulary"] == "nd331"), title=w["kpi_chart"], lang=lang
        ),
        staff_note=staff_note,
        level_chart=bar_chart(
            [
                Bar(w["level_n"].format(n=level), float(f.by_level[level]), css=f"level-{level}")
                for level in LEVELS
            ],
            title=w["by_level_chart"],
            lang=lang,
        ),
        level_matrix=level_rows,
        level_totals=level_totals,
        regimes=tuple(
            Row((w.get(regime, regime), _n(count, lang)))
            for regime, count in sorted(f.by_regime.items())
        ),
        dossier_chart=stacked_bar(dossier_parts, title=w["dossier_status"], lang=lang),
        plan_chart=stacked_bar(plan_parts, title=w["plan_status"], lang=lang),
        layers=tuple(kpi_row(k, lang, w) for k in f.layers),
        layers_chart=kpi_chart(kpi_bars(f.layers, lang), title=w["layers_chart"], lang=lang),
        assessments=tuple(kpi_row(k, lang, w) for k in f.assessments),
        inspections=inspections,
        ipv6=tuple(kpi_row(k, lang, w) for k in f.ipv6),
        ipv6_chart=kpi_chart(kpi_bars(f.ipv6, lang), title=w["ipv6_chart"], lang=lang),
        live_note=live_note,
        certificates=cert_rows,
        severity_chart=grouped_bar_chart(
            [labels.severity(s, lang) for s in SEVERITIES],
            severity_series,
            title=w["severity_chart"],
            lang=lang,
        ),
        severity_rows=severity_rows,
        groups=groups,
        gaps=tuple(gaps),
        ranking=tuple(ranking),
        has_previous=previous is not None,
        no_previous=w["no_previous"].format(
            since=filters.date(previous_period.since, lang),
            until=filters.date(previous_period.until, lang),
        ),
        trend=tuple(trend),
        annex=tuple(
            _annex_row(line, agency_names.get(line.agency_id, line.agency_id), lang, w)
            for line in f.systems[:annex_limit]
        ),
        annex_note=(
            w["annex_cut"].format(shown=_n(annex_limit, lang), total=_n(len(f.systems), lang))
            if annex_limit is not None and len(f.systems) > annex_limit
            else ""
        ),
        runs=runs,
        bases=tuple(kpi_row(k, lang, w) for k in (*f.kpis, *f.layers, *f.ipv6[1:], *f.assessments)),
        more_runs=w["more_runs"].format(n=_n(more, lang)) if more > 0 else "",
        form08=build_form08(f, catalog, lang, w, letter),
        regulation=kpi_row(f.regulation, lang, w) if f.regulation is not None else None,
    )
