"""The indicators of the annual report as a terminal table (what `report annual` prints)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from auditor.report import filters
from auditor.report.annual.figures import AnnualFigures
from auditor.report.annual.kpi_rows import kpi_row
from auditor.report.annual.words import words
from auditor.report.fit import print_fitted

_STYLE = {"met": "green", "not_met": "bold red", "none": "dim"}


def annual_summary(figures: AnnualFigures, console: Console, lang: str) -> None:
    w = words(lang)
    period = figures.period
    title = (
        f"{escape(figures.organisation_name)} — {w['period']} "
        f"{filters.date(period.since, lang)} – {filters.date(period.until, lang)}"
    )
    table = Table(title=title)
    for key, justify in (
        ("indicator", "left"),
        ("target", "right"),
        ("result", "right"),
        ("met_of", "right"),
        ("unverified", "right"),
        ("achieved", "left"),
        ("previous", "right"),
    ):
        table.add_column(w[key], justify=justify)  # type: ignore[arg-type]
    for kpi in figures.kpis:
        row = kpi_row(kpi, lang, w)
        table.add_row(
            escape(row.title),
            row.target,
            row.value,
            row.met_of,
            row.unverified,
            f"[{_STYLE[row.state]}]{escape(row.achieved)}[/]",
            row.previous,
        )
    print_fitted(console, table)
    last = max((run.as_of for run in figures.runs), default=None)
    sources = w["sources_text"].format(
        runs=filters.number(len(figures.runs), lang),
        last=filters.date(last, lang),
        live=filters.number(figures.live_systems, lang),
    )
    console.print(f"{w['sources']}: {escape(sources)}")
