"""`auditor report annual`: the history store → the annual report and its exports.

Everything that can fail on the user's input fails before any file is written: the targets
file is read, the browser for `--pdf` is found, the store is opened and the figures are
built first. Each output is then written whole or not at all (a temporary file renamed
into place), so a failed export never leaves a half-written file behind.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from auditor.errors import AuditorError
from auditor.loading.catalog import load_catalog
from auditor.loading.targets import load_targets
from auditor.model.targets import TargetsFile
from auditor.report.annual.collect import collect_figures
from auditor.report.annual.csv_out import write_csv
from auditor.report.annual.figures import AnnualFigures, Period
from auditor.report.annual.html import render_annual
from auditor.report.annual.json_out import figures_json
from auditor.report.annual.kpis import citations
from auditor.report.annual.page import PRINT_ANNEX_MAX
from auditor.report.annual.xlsx import write_xlsx
from auditor.report.files import write_atomic
from auditor.store import HistoryStore


class ExportError(AuditorError):
    """An export could not be made (e.g. no browser for the PDF); the message says why."""


@dataclass(frozen=True)
class AnnualRequest:
    period: Period
    lang: str = "vi"
    db: str | None = None
    organisation: str | None = None
    targets: Path | None = None
    checklists: tuple[Path, ...] = ()
    html: Path | None = None
    pdf: Path | None = None
    xlsx: Path | None = None
    csv: Path | None = None
    json: Path | None = None
    browser: str | None = None
    today: dt.date | None = None

    def outputs(self) -> list[Path]:
        return [p for p in (self.html, self.pdf, self.xlsx, self.csv, self.json) if p]


@dataclass(frozen=True)
class AnnualOutcome:
    figures: AnnualFigures
    written: tuple[Path, ...]
    store: str


def run_annual(request: AnnualRequest) -> AnnualOutcome:
    targets = load_targets(request.targets) if request.targets else TargetsFile()
    catalog, _ = load_catalog(list(request.checklists))
    browser = None
    if request.pdf:
        from auditor.report import pdf  # only --pdf needs a browser

        try:
            browser = pdf.find_browser(request.browser)
        except pdf.PdfError as error:
            raise ExportError(str(error)) from error
    with HistoryStore.open_reader(request.db) as store:
        figures = collect_figures(
            store, request.period, targets.targets, request.organisation, citations(catalog)
        )
        store_name = store.name
    today = request.today or dt.date.today()
    written: list[Path] = []
    if request.pdf:  # first: the export most likely to fail (a browser) writes first
        from auditor.report import pdf

        printed = render_annual(
            figures, catalog, request.lang, targets, today, annex_limit=PRINT_ANNEX_MAX
        )
        with tempfile.TemporaryDirectory(prefix="auditor-annual-") as scratch:
            page = Path(scratch) / "annual.html"
            page.write_text(printed, encoding="utf-8")
            try:
                pdf.html_to_pdf(page, request.pdf, browser=browser)
            except pdf.PdfError as error:
                raise ExportError(f"{request.pdf}: {error}") from error
        written.append(request.pdf)
    if request.html:
        html = render_annual(figures, catalog, request.lang, targets, today)
        write_atomic(request.html, html.encode("utf-8"))
        written.append(request.html)
    if request.xlsx:
        write_xlsx(figures, request.xlsx, request.lang)
        written.append(request.xlsx)
    if request.csv:
        write_csv(figures, request.csv, request.lang)
        written.append(request.csv)
    if request.json:
        write_atomic(request.json, figures_json(figures))
        written.append(request.json)
    return AnnualOutcome(figures, tuple(written), store_name)
