"""`auditor report national`: the national store → the country's figures → HTML, PDF, XLSX,
JSON.

As with the annual report, everything that can fail on the user's input fails before any
file is written (destinations, the targets file, the browser for --pdf, the store), and the
outputs are staged and renamed into place together.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter

from auditor.errors import AuditorError
from auditor.loading.targets import load_targets
from auditor.messages import Msg
from auditor.model.targets import AnnualTargets, TargetsFile
from auditor.national.provinces import ProvinceList, load_provinces
from auditor.national.store import NationalStore
from auditor.report.annual.figures import AnnualFigures
from auditor.report.national.build import ProvinceInput, build_national
from auditor.report.national.figures import NationalFigures
from auditor.report.national.html import render_national
from auditor.report.national.json_out import national_json
from auditor.report.national.xlsx import national_workbook_chunks
from auditor.report.outputs import Output, Staging, plan_outputs
from auditor.store.database import store_file

_FIGURES: TypeAdapter[AnnualFigures] = TypeAdapter(AnnualFigures)


@dataclass(frozen=True)
class NationalRequest:
    year: int
    db: str
    lang: str = "vi"
    targets: Path | None = None
    html: Path | None = None
    pdf: Path | None = None
    xlsx: Path | None = None
    json: Path | None = None
    browser: str | None = None
    today: dt.date | None = None


@dataclass(frozen=True)
class NationalOutcome:
    figures: NationalFigures
    written: tuple[Output, ...]
    store: str


def national_figures(
    store: NationalStore, year: int, targets: AnnualTargets, provinces: ProvinceList
) -> NationalFigures:
    """The year's figures, with the year before's for the trends."""
    previous = _figures(store, year - 1, targets, provinces, None)
    return _figures(store, year, targets, provinces, previous)


def _figures(
    store: NationalStore,
    year: int,
    targets: AnnualTargets,
    provinces: ProvinceList,
    previous: NationalFigures | None,
) -> NationalFigures:
    names = {p.id: p.name for p in provinces.provinces}
    inputs = []
    for group in store.submissions(year):
        counted = group[0]
        figures = _FIGURES.validate_python({**store.figures(counted.id), "systems": []})
        listed = counted.province_id in names
        inputs.append(
            ProvinceInput(
                province_id=counted.province_id,
                name=names.get(counted.province_id, counted.organisation_name),
                listed=listed,
                submissions=tuple(group),
                figures=figures,
            )
        )
    return build_national(
        year, inputs, provinces.provinces, provinces.source, targets, previous
    )


def run_national(request: NationalRequest) -> NationalOutcome:
    outputs = plan_outputs(
        [("--output", request.html), ("--pdf", request.pdf), ("--xlsx", request.xlsx),
         ("--json", request.json)],
        inputs=[*([request.targets] if request.targets else []),
                *filter(None, [store_file(request.db)])],
    )  # fmt: skip
    targets = load_targets(request.targets) if request.targets else TargetsFile()
    browser = None
    if request.pdf:
        from auditor.report import pdf  # only --pdf needs a browser

        try:
            browser = pdf.find_browser(request.browser)
        except pdf.PdfError as error:
            raise AuditorError(
                Msg.same(str(error)).prefixed("không xuất được PDF: ", "")
            ) from error
    today = request.today or dt.date.today()
    with NationalStore.open_reader(request.db) as store:
        figures = national_figures(store, request.year, targets.targets, load_provinces())
        with Staging(outputs) as staged:
            for output in outputs:
                if output.option == "--pdf":
                    _stage_pdf(staged, output, figures, request.lang, today, browser)
                elif output.option == "--output":
                    html = render_national(figures, request.lang, today)
                    staged.write(output, html.encode("utf-8"))
                elif output.option == "--xlsx":
                    ids = [p.submission.id for p in figures.provinces]
                    rows = store.system_rows(ids)
                    staged.write(output, national_workbook_chunks(figures, rows, request.lang))
                else:
                    staged.write(output, national_json(figures))
            staged.commit()
        name = store.name
    return NationalOutcome(figures, tuple(outputs), name)


def _stage_pdf(
    staged: Staging,
    output: Output,
    figures: NationalFigures,
    lang: str,
    today: dt.date,
    browser: Path | None,
) -> None:
    from auditor.report import pdf

    temp = staged.temporary(output)
    with tempfile.TemporaryDirectory(prefix="auditor-national-") as scratch:
        page = Path(scratch) / "national.html"
        page.write_text(render_national(figures, lang, today), encoding="utf-8")
        try:
            pdf.html_to_pdf(page, temp, browser=browser)
        except pdf.PdfError as error:
            message = str(error).replace(str(temp), output.name)
            raise AuditorError(
                Msg(f"{output.name}: không xuất được PDF: {message}", f"{output.name}: {message}")
            ) from error
