"""The annual figures are the same whichever database holds the history (SQLite, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from auditor.loading.catalog import load_catalog
from auditor.model.targets import AnnualTargets
from auditor.report.annual.collect import collect_figures
from auditor.report.annual.figures import AnnualFigures, statutory_period
from auditor.report.annual.kpis import citations
from auditor.store import HistoryStore
from store.synthetic import example_run

DATES = (dt.date(2025, 12, 10), dt.date(2026, 6, 1), dt.date(2026, 11, 24))


def _figures(location: str) -> AnnualFigures:
    catalog, _ = load_catalog([])
    with HistoryStore.open(location) as store:
        for day in DATES:
            store.record(example_run(day), inventory="x", recorded_at=f"{day}T08:00:00Z")
        return collect_figures(
            store, statutory_period(2026), AnnualTargets(), citations=citations(catalog)
        )


def test_figures_do_not_depend_on_the_database(location: str, tmp_path: Path) -> None:
    figures = _figures(location)
    reference = _figures(str(tmp_path / "reference.sqlite"))
    assert figures == reference
    assert figures.headline.systems == 20
    assert [r.as_of for r in figures.runs] == [dt.date(2026, 11, 24), dt.date(2026, 6, 1)]
    assert {line.audited_on for line in figures.systems} == {dt.date(2026, 11, 24)}
    assert figures.previous is not None
    assert [r.as_of for r in figures.previous.runs] == [dt.date(2025, 12, 10)]
    assert all(gap.message_vi for gap in figures.gaps)  # examples read back for the shown gaps
