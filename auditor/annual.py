"""`auditor report annual`: the history store → the annual report and its exports.

Everything that can fail on the user's input fails before any file is written: every
destination is checked (`auditor.report.outputs`), the targets file is read, the browser for
`--pdf` is found, the store is opened (read only) and the figures are built first. The
outputs are then written to temporary files and renamed into place only when all are
complete, so a failed export leaves no file behind, neither its own nor another's.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from auditor.errors import AuditorError
from auditor.loading.catalog import load_catalog
from auditor.loading.inventory import YAML_SUFFIXES
from auditor.loading.targets import load_targets
from auditor.messages import Msg
from auditor.model.targets import TargetsFile
from auditor.report.annual.collect import collect_figures
from auditor.report.annual.csv_out import csv_chunks
from auditor.report.annual.figures import AnnualFigures, Period
from auditor.report.annual.form08 import LetterOptions
from auditor.report.annual.html import render_annual
from auditor.report.annual.json_out import figures_json
from auditor.report.annual.kpis import citations, periodic_cycles
from auditor.report.annual.page import PRINT_ANNEX_MAX
from auditor.report.annual.xlsx import workbook_chunks
from auditor.report.outputs import Output, Staging, input_files, plan_outputs
from auditor.rules import Catalog
from auditor.store import HistoryStore
from auditor.store.database import store_file


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
    letter: LetterOptions | None = None  # the covering letter's values from the command line

    def outputs(self) -> list[Path]:
        return [p for p in (self.html, self.pdf, self.xlsx, self.csv, self.json) if p]


@dataclass(frozen=True)
class AnnualOutcome:
    figures: AnnualFigures
    written: tuple[Output, ...]
    store: str


def run_annual(request: AnnualRequest) -> AnnualOutcome:
    outputs = plan_outputs(
        [("--output", request.html), ("--pdf", request.pdf), ("--xlsx", request.xlsx),
         ("--csv", request.csv), ("--json", request.json)],
        inputs=[
            *([request.targets] if request.targets else []),
            *input_files(request.checklists, YAML_SUFFIXES),
            *filter(None, [store_file(request.db)]),
        ],
    )
    targets = load_targets(request.targets) if request.targets else TargetsFile()
    catalog, _ = load_catalog(list(request.checklists))
    browser = None
    if request.pdf:
        from auditor.report import pdf  # only --pdf needs a browser

        try:
            browser = pdf.find_browser(request.browser)
        except pdf.PdfError as error:
            raise ExportError(Msg.same(str(error)).prefixed("không xuất được PDF: ", "")) from error
    with HistoryStore.open_reader(request.db) as store:
        figures = collect_figures(
            store,
            request.period,
            targets.targets,
            request.organisation,
            citations(catalog),
            periodic_cycles(catalog),
        )
        store_name = store.name
    today = request.today or dt.date.today()
    with Staging(outputs) as staged:
        for output in outputs:  # in option order: --pdf, the most likely to fail, first
            if output.option == "--pdf":
                _stage_pdf(staged, output, figures, catalog, request, targets, today, browser)
            elif output.option == "--output":
                html = render_annual(
                    figures, catalog, request.lang, targets, today, letter=request.letter
                )
                staged.write(output, html.encode("utf-8"))
            elif output.option == "--xlsx":
                staged.write(output, workbook_chunks(figures, request.lang))
            elif output.option == "--csv":
                staged.write(output, csv_chunks(figures, request.lang))
            else:
                staged.write(output, figures_json(figures))
        staged.commit()
    return AnnualOutcome(figures, tuple(outputs), store_name)


def _stage_pdf(
    staged: Staging,
    output: Output,
    figures: AnnualFigures,
    catalog: Catalog,
    request: AnnualRequest,
    targets: TargetsFile,
    today: dt.date,
    browser: Path | None,
) -> None:
    from auditor.report import pdf

    printed = render_annual(
        figures,
        catalog,
        request.lang,
        targets,
        today,
        annex_limit=PRINT_ANNEX_MAX,
        letter=request.letter,
    )
    temp = staged.temporary(output)
    with tempfile.TemporaryDirectory(prefix="auditor-annual-") as scratch:
        page = Path(scratch) / "annual.html"
        page.write_text(printed, encoding="utf-8")
        try:
            pdf.html_to_pdf(page, temp, browser=browser)
        except pdf.PdfError as error:
            message = str(error).replace(str(temp), output.name)
            raise ExportError(
                Msg(
                    f"{output.name}: không xuất được PDF: {message}", f"{output.name}: {message}"
                )
            ) from error
