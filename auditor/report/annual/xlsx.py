"""The annual report as an XLSX workbook: summary, indicators, per-system annex, agencies.

Sheets (names in the report's language): "Tổng hợp"/"Summary" (period, organisation, due
date and Form 08's headline counts), "Chỉ tiêu"/"Indicators" (each indicator with its target,
value and last year's), "Hệ thống"/"Systems" (one row per system, the columns of
`columns.py`) and "Cơ quan"/"Agencies" (the ranking).

Cells hold real values — numbers, and dates as Excel dates formatted dd/mm/yyyy (vi) or
yyyy-mm-dd (en) — so the ministry's staff can sort, filter and sum them.

Memory: the workbook is write-only, so openpyxl streams each row to a temporary XML file as
it is appended instead of keeping a cell object per value; 10,000 systems stay cheap.

Safety:
- inventory text is data, never a formula. openpyxl stores any string starting with "=" as a
  formula (and "#N/A" and the like as an error value). A string starting with "=", "+", "-",
  "@", tab or CR is written as an explicit string cell (data type "s") with Excel's "quote
  prefix" style: the visible text stays exactly as typed (no added apostrophe), and Excel
  keeps it text even when someone edits the cell, just as if it had been typed after an
  apostrophe;
- control characters (C0 but line break and tab, DEL, C1) and bidi characters (U+202E…) in
  inventory text are shown as visible escapes (`\\x1b`, `\\u202e`), like the CSV annex and the
  terminal: openpyxl refuses some of them, and the others would act where the cell is shown;
- nothing is half-written: the file is written beside its destination and renamed into
  place (`auditor.files.write_atomic`), and removed if anything fails.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Final, Protocol, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import ColumnDimension, DimensionHolder, RowDimension
from openpyxl.worksheet.filters import AutoFilter

from auditor.files import write_atomic
from auditor.report.annual import columns
from auditor.report.annual.columns import COLUMNS, Cell, Kind
from auditor.report.annual.export_words import FORMULA_START, check_lang, word
from auditor.report.annual.figures import (
    DEPLOYMENTS,
    DOSSIER_STATUSES,
    AnnualFigures,
    KpiValue,
)
from auditor.report.filters import DASH
from auditor.safe_text import safe_layout

_DATE_FORMAT: Final = {"vi": "dd/mm/yyyy", "en": "yyyy-mm-dd"}
_NUMBER_FORMAT: Final[dict[Kind, str]] = {"float": "0.0", "int": "0"}
_CHUNK: Final = 1 << 20


class _Sheet(Protocol):
    """What this module uses of a write-only worksheet.

    The openpyxl stubs leave out the attributes a write-only sheet shares with a normal one
    (they are set at run time by `Worksheet._setup`), hence this protocol and the cast.
    """

    column_dimensions: DimensionHolder[str, ColumnDimension]
    row_dimensions: DimensionHolder[int, RowDimension]
    auto_filter: AutoFilter
    freeze_panes: str | None

    def append(self, row: Iterable[Any]) -> None: ...


class _Book:
    """A write-only workbook in one language, with the cell styles shared by its sheets."""

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)
        self.workbook = Workbook(write_only=True)
        self.date_format = _DATE_FORMAT[lang]
        self._bold = Font(bold=True)
        self._head_fill = PatternFill("solid", fgColor="DDEBF7")
        self._wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(self, title: str, widths: Sequence[int]) -> _Sheet:
        ws = cast(_Sheet, self.workbook.create_sheet(title))
        # Widths must be set before the first row: a write-only sheet writes them first.
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        return ws

    def table(self, ws: _Sheet, header: Sequence[str], rows: int) -> None:
        """Header row, frozen, with an autofilter over the `rows` data rows below it."""
        ws.freeze_panes = "A2"  # before the first append, as the sheet views are written then
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{rows + 1}"
        ws.row_dimensions[1].height = 60  # room for the wrapped headers
        ws.append([self.head(ws, text) for text in header])

    def head(self, ws: _Sheet, text: str) -> Any:
        cell = self.text(ws, text)
        if isinstance(cell, str):
            cell = WriteOnlyCell(cast(Any, ws), cell)
        cell.font = self._bold
        cell.fill = self._head_fill
        cell.alignment = self._wrap
        return cell

    def bold(self, ws: _Sheet, text: str) -> Any:
        cell = WriteOnlyCell(cast(Any, ws), text)
        cell.font = self._bold
        return cell

    def text(self, ws: _Sheet, value: str) -> Any:
        """A string as a text cell, never a formula; control and bidi characters shown as
        visible escapes (`\\x1b`, `\\u202e`), as in the CSV annex."""
        # openpyxl refuses the control characters XML cannot carry (it would abort the whole
        # export for one stray character in an inventory), and a C1 control or a bidi
        # override would act in whatever shows the cell: all become visible escapes. Line
        # breaks and tabs stay (a cell may hold several lines).
        value = safe_layout(value)
        assert ILLEGAL_CHARACTERS_RE.search(value) is None  # noqa: S101 - safe_layout's job
        if not (value.startswith(FORMULA_START) or value in ERROR_CODES):
            return value
        cell = WriteOnlyCell(cast(Any, ws), value)
        cell.data_type = "s"  # openpyxl inferred "f" (formula) or "e" (error) from the text
        cell.quotePrefix = True  # and Excel keeps it text if the cell is edited
        return cell

    def value(self, ws: _Sheet, value: Cell, kind: Kind = "text") -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            return self.text(ws, value)
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(cast(Any, ws))
            cell.number_format = self.date_format
            cell.value = value  # a real Excel date (a day number), shown in the report's format
            return cell
        if isinstance(value, float) and kind in _NUMBER_FORMAT:
            cell = WriteOnlyCell(cast(Any, ws), value)
            cell.number_format = _NUMBER_FORMAT[kind]
            return cell
        return value

    def discard(self) -> None:
        """Remove the sheets' temporary XML files after a failure (a save removes them)."""
        for ws in self.workbook.worksheets:
            with contextlib.suppress(Exception):
                ws.close()  # finish its XML so the file can be removed
            # openpyxl has no public way to drop an unsaved sheet's temporary file; without
            # this it would stay in the temp directory until the process exits.
            writer = getattr(ws, "_writer", None)
            if writer is not None:
                with contextlib.suppress(Exception):
                    writer.cleanup()


# -- sheets -----------------------------------------------------------------------------------


def _summary(book: _Book, figures: AnnualFigures) -> None:
    lang = book.lang
    ws = book.sheet(word("sheet.summary", lang), (62, 40))
    period, headline = figures.period, figures.headline
    ws.append([book.bold(ws, word("title", lang).format(year=period.year))])
    ws.append([])
    facts: list[tuple[str, Cell, Kind]] = [
        (word("organisation", lang), figures.organisation_name, "text"),
        (word("organisation_id", lang), figures.organisation, "text"),
        (word("since", lang), period.since, "date"),
        (word("until", lang), period.until, "date"),
        (word("due", lang), period.due, "date"),
        (word("statutory", lang), word("yes" if period.statutory else "no", lang), "text"),
        (word("runs", lang), len(figures.runs), "int"),
        (word("live_systems", lang), figures.live_systems, "int"),
        (word("overall_score", lang), figures.score, "float"),
    ]
    for label, value, kind in facts:
        ws.append([book.text(ws, label), book.value(ws, value, kind)])
    ws.append([])
    ws.append([book.bold(ws, word("headline", lang))])
    counts: list[tuple[str, int]] = [
        (word("h.systems", lang), headline.systems),
        (word("h.classified", lang), headline.classified),
        (word("h.built", lang), headline.built),
        (word("h.appraised", lang), headline.appraised),
        (word("h.approved", lang), headline.approved),
        (word("h.no_dossier", lang), headline.no_dossier),
        *(
            (
                word("h.dossier", lang).format(status=word(f"dossier.{status}", lang)),
                headline.dossier.get(status, 0),
            )
            for status in DOSSIER_STATUSES
        ),
        (word("h.with_regulation", lang), headline.with_regulation),
        *(
            (
                word("h.plan", lang).format(deployment=word(f"plan.{deployment}", lang)),
                headline.plan.get(deployment, 0),
            )
            for deployment in (*DEPLOYMENTS, "undeclared")
        ),
        (word("h.inspected_pre_operation", lang), headline.inspected_pre_operation),
        (word("h.inspected_periodic", lang), headline.inspected_periodic),
        (word("h.periodic_late", lang), headline.periodic.get("late", 0)),
        (word("h.periodic_undeclared", lang), headline.periodic.get("undeclared", 0)),
        (word("h.periodic_no_cycle", lang), headline.periodic.get("no_cycle", 0)),
        (word("h.expected_missing", lang), headline.expected_missing),
        (word("h.national_security", lang), headline.national_security),
        (word("h.not_recorded", lang), headline.not_recorded),
        (word("h.retired", lang), headline.retired_before + headline.retired_undated),
    ]
    for label, count in counts:
        ws.append([book.text(ws, label), count])
    # One date, not a count (Form 08 section 1, last line); blank when unknown.
    ws.append(
        [
            book.text(ws, word("h.expected_completion", lang)),
            book.value(ws, headline.expected_completion, "date"),
        ]
    )


def indicator_groups(figures: AnnualFigures) -> list[tuple[str, KpiValue]]:
    """(group key, value) for every indicator, each once, in the report's order."""
    seen: set[str] = set()
    out: list[tuple[str, KpiValue]] = []
    groups = (
        ("kpis", figures.kpis),
        ("layers", figures.layers),
        ("ipv6", figures.ipv6),
        ("assessments", figures.assessments),
    )
    for group, values in groups:
        for value in values:
            # ipv6_portals is both a plan target and the first IPv6 indicator: list it once.
            if value.kpi.id not in seen:
                seen.add(value.kpi.id)
                out.append((group, value))
    return out


def _indicators(book: _Book, figures: AnnualFigures) -> None:
    lang = book.lang
    keys = (
        "i.id", "i.group", "i.title", "i.basis", "i.unit", "i.target", "i.value", "i.met",
        "i.applicable", "i.unverified", "i.achieved", "i.previous",
    )  # fmt: skip
    ws = book.sheet(word("sheet.indicators", lang), (20, 18, 50, 34, 9, 9, 9, 9, 9, 9, 12, 11))
    values = indicator_groups(figures)
    book.table(ws, [word(key, lang) for key in keys], len(values))
    for group, value in values:
        kpi = value.kpi
        kind: Kind = "int" if kpi.kind == "count" else "float"
        achieved = (
            DASH
            if value.achieved is None
            else word(f"achieved.{'yes' if value.achieved else 'no'}", lang)
        )
        ws.append(
            [
                kpi.id,
                word(f"group.{group}", lang),
                book.text(ws, kpi.title.vi if lang == "vi" else kpi.title.en),
                book.text(ws, value.basis),
                word("unit.count" if kpi.kind == "count" else "unit.percent", lang),
                book.value(ws, value.target, kind),
                book.value(ws, value.value, "float"),
                value.met,
                value.applicable,
                value.unverified,
                achieved,
                book.value(ws, value.previous, "float"),
            ]
        )


def _systems(book: _Book, figures: AnnualFigures) -> None:
    lang = book.lang
    ws = book.sheet(word("sheet.systems", lang), [column.width for column in COLUMNS])
    book.table(ws, columns.headers(lang), len(figures.systems))
    kinds = [column.kind for column in COLUMNS]
    for cells in columns.rows(figures, lang):
        ws.append([book.value(ws, cell, kind) for cell, kind in zip(cells, kinds, strict=True)])


def _agencies(book: _Book, figures: AnnualFigures) -> None:
    lang = book.lang
    keys = (
        "a.rank", "a.id", "a.name", "a.systems", "a.score", "a.open_critical_high",
        "a.trained", "a.staff",
    )  # fmt: skip
    # Each agency's own indicators (per cent, against the province's targets) after the ranking.
    indicators = next((a.kpis for a in figures.agencies if a.kpis), ())
    titles = [
        f"{v.kpi.title.en if lang == 'en' else v.kpi.title.vi} (%)" for v in indicators
    ]
    ws = book.sheet(
        word("sheet.agencies", lang), (9, 22, 40, 9, 9, 16, 13, 13, *(16 for _ in titles))
    )
    book.table(ws, [*(word(key, lang) for key in keys), *titles], len(figures.agencies))
    for agency in figures.agencies:
        staff = agency.staff
        ws.append(
            [
                agency.rank,
                book.text(ws, agency.agency_id),
                book.text(ws, agency.name),
                agency.systems,
                book.value(ws, agency.score, "float"),  # full precision, shown with 1 decimal
                agency.open_critical_high,
                staff.trained if staff is not None else None,
                staff.security_staff if staff is not None else None,
                *(book.value(ws, v.value, "float") for v in agency.kpis),
            ]
        )


def _workbook_chunks(figures: AnnualFigures, lang: str) -> Iterator[bytes]:
    """The workbook's bytes, built only when the destination's temporary file exists."""
    book = _Book(lang)
    try:
        book.workbook.properties.title = word("title", lang).format(year=figures.period.year)
        book.workbook.properties.creator = "auditor"
        _summary(book, figures)
        _indicators(book, figures)
        _systems(book, figures)
        _agencies(book, figures)
    except BaseException:
        book.discard()
        raise
    # openpyxl needs a seekable file to build the zip; an anonymous temporary file (unlinked
    # at once, so it cannot be left behind) keeps the bytes out of memory.
    with tempfile.TemporaryFile() as spool:
        try:
            book.workbook.save(spool)
        except BaseException:
            book.discard()
            raise
        spool.seek(0)
        while chunk := spool.read(_CHUNK):
            yield chunk


def workbook_chunks(figures: AnnualFigures, lang: str) -> Iterator[bytes]:
    """The workbook's bytes in chunks, for a writer that puts them somewhere of its own."""
    check_lang(lang)
    return _workbook_chunks(figures, lang)


def write_xlsx(figures: AnnualFigures, path: Path, lang: str) -> None:
    """Write the annual report's workbook to `path` in `lang` ("vi" or "en"), atomically.

    Raises OSError when `path` cannot be written (e.g. its directory does not exist); then
    nothing is left behind, neither at `path` nor beside it.
    """
    check_lang(lang)
    write_atomic(path, _workbook_chunks(figures, lang))


# The national roll-up's workbook (auditor/report/national/xlsx.py) is built with the same
# cells: text never a formula, control characters visible, dates as dates.
Book = _Book
