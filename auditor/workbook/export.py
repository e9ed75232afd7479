"""Write an agency's workbook: its systems' facts to answer, its evidence requests, metadata.

Sheets:
- Systems, Documents (one row per system) and Staff (the agency): one column per fact
  (auditor/workbook/sheets.py), the current declared values pre-filled, undeclared ones empty;
  dropdowns for the enumerations, date and whole-number validation, help under each header.
- Evidence: one row per evidence request (auditor/workbook/requests.py) with open columns for
  the document that answers it.
- Metadata (hidden): format, tool version, agency, export time, the inventory files' SHA-256.
- Lists (hidden): the dropdowns' choices.
Every sheet is protected; only answer cells are unlocked. Each data row keeps, in a hidden
column, what the export wrote in it (JSON), so the import can tell an agency's answer from a
change made to the inventory since.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from auditor.files import write_atomic
from auditor.loading.inventory import LoadedInventory
from auditor.model.inventory import Agency
from auditor.model.results import AuditRun
from auditor.rules import Catalog
from auditor.workbook import layout
from auditor.workbook.cells import to_cell
from auditor.workbook.fields import EVIDENCE_ANSWERS, Choice, Kind
from auditor.workbook.requests import EvidenceRequest, evidence_requests
from auditor.workbook.sheets import FACT_SHEETS, FactSheet

_BOLD = Font(bold=True)
_HELP = Font(italic=True, size=9, color="555555")
_LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")
_OPEN = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")
_DATE_FORMAT = "DD/MM/YYYY"
_INT_FORMAT = "#,##0"


#: Column B of an item sheet: what names the item.
ITEM_TITLES = {
    "hosts": ("Tên máy", "Host name"),
    "endpoints": ("Địa chỉ (URL)", "URL"),
    "certificates": ("Chứng thư (địa chỉ hoặc tệp)", "Certificate (URL or file)"),
}


@dataclass(frozen=True)
class WorkbookInput:
    agency: Agency
    requests: Sequence[EvidenceRequest]
    lang: str
    tool_version: str
    exported_at: dt.datetime
    agency_file: str
    agency_sha256: str
    files: Sequence[tuple[str, str]]  # every inventory file: (path, sha256)


def _texts(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


class _Lists:
    """The hidden sheet of dropdown choices: one column per set of choices."""

    def __init__(self, sheet: Worksheet, lang: str) -> None:
        self.sheet = sheet
        self.lang = lang
        self.ranges: dict[tuple[Choice, ...], str] = {}

    def range_for(self, choices: tuple[Choice, ...]) -> str:
        found = self.ranges.get(choices)
        if found is None:
            column = get_column_letter(len(self.ranges) + 1)
            numbers = all(c.label(self.lang).isdigit() for c in choices)  # levels 1-5
            for row, choice in enumerate(choices, start=1):
                label = choice.label(self.lang)
                self.sheet.cell(
                    row=row, column=len(self.ranges) + 1, value=int(label) if numbers else label
                )
            found = f"{quote_sheetname(layout.LISTS)}!${column}$1:${column}${len(choices)}"
            self.ranges[choices] = found
        return found


def _validation(
    kind: Kind, choices: tuple[Choice, ...], lists: _Lists, lang: str
) -> DataValidation | None:
    title = _texts(lang, "Giá trị không hợp lệ", "Invalid value")
    common: dict[str, Any] = {
        "allow_blank": True, "showErrorMessage": True, "errorStyle": "warning",
        "errorTitle": title,
    }
    if kind in ("enum", "bool", "level"):
        return DataValidation(
            type="list", formula1=lists.range_for(choices),
            error=_texts(lang, "Hãy chọn trong danh sách", "Choose from the list"), **common,
        )
    if kind == "date":
        return DataValidation(
            type="date", operator="greaterThan", formula1="1", **common,
            error=_texts(lang, "Hãy nhập một ngày (dd/mm/yyyy)", "Enter a date"),
        )
    if kind == "int":
        return DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0", **common,
            error=_texts(lang, "Hãy nhập một số nguyên không âm", "Enter a whole number"),
        )
    return None


def _header(sheet: Worksheet, column: int, title: str, help_text: str, width: float) -> None:
    head = sheet.cell(row=layout.HEADER_ROW, column=column, value=title)
    head.font = _BOLD
    head.alignment = _WRAP
    hint = sheet.cell(row=layout.HELP_ROW, column=column, value=help_text)
    hint.font = _HELP
    hint.alignment = _WRAP
    sheet.column_dimensions[get_column_letter(column)].width = width


def _protect(sheet: Worksheet) -> None:
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widening a column is allowed
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False


def _answer_cell(sheet: Worksheet, row: int, column: int, kind: Kind, value: Any) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.protection = _OPEN
    if kind == "date":
        cell.number_format = _DATE_FORMAT
    elif kind == "int":
        cell.number_format = _INT_FORMAT


def _fixed_cell(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.fill = _LOCKED_FILL


def _hidden_column(sheet: Worksheet, column: int) -> None:
    sheet.cell(row=layout.HEADER_ROW, column=column, value=layout.EXPORTED_KEY)
    sheet.column_dimensions[get_column_letter(column)].hidden = True


def _facts(sheet: Worksheet, spec: FactSheet, data: WorkbookInput, lists: _Lists) -> list[str]:
    """A sheet of facts: one row per subject (system, or the agency), one column per field."""
    lang = data.lang
    if spec.subject == "agency":
        id_title = _texts(lang, "Mã cơ quan", "Agency id")
        name_title = _texts(lang, "Tên cơ quan", "Agency name")
    else:
        id_title = _texts(lang, "Mã hệ thống", "System id")
        name_title = _texts(lang, "Tên hệ thống", "System name")
    if spec.collection is not None:
        name_title = _texts(lang, ITEM_TITLES[spec.collection][0], ITEM_TITLES[spec.collection][1])
    rows = layout.sheet_rows(spec, data.agency)
    keep = _texts(lang, "Không sửa", "Do not change")
    _header(sheet, 1, id_title, keep, 22)
    _header(sheet, 2, name_title, keep, 40)
    first_field = 3
    for offset, field in enumerate(spec.fields):
        _header(sheet, first_field + offset, field.header(lang), field.help(lang), 20)
    hidden = first_field + len(spec.fields)
    _hidden_column(sheet, hidden)
    last = layout.FIRST_ROW + max(len(rows), 1) - 1
    for offset, field in enumerate(spec.fields):
        validation = _validation(field.kind, field.choices, lists, lang)
        if validation is not None:
            letter = get_column_letter(first_field + offset)
            validation.add(f"{letter}{layout.FIRST_ROW}:{letter}{last}")
            sheet.add_data_validation(validation)
    for row, subject in enumerate(rows, start=layout.FIRST_ROW):
        _fixed_cell(sheet, row, 1, subject.id)
        _fixed_cell(sheet, row, 2, subject.name)
        values = layout.subject_values(subject.model, spec.fields)
        for offset, field in enumerate(spec.fields):
            shown = to_cell(field.kind, field.choices, values[field.key], lang)
            _answer_cell(sheet, row, first_field + offset, field.kind, shown)
        sheet.cell(row=row, column=hidden, value=json.dumps(values, ensure_ascii=False))
    sheet.freeze_panes = f"{get_column_letter(first_field)}{layout.FIRST_ROW}"
    _protect(sheet)
    return ["id", "name", *(f.key for f in spec.fields), layout.EXPORTED_KEY]


def _evidence(sheet: Worksheet, data: WorkbookInput, lists: _Lists) -> list[str]:
    lang = data.lang
    fixed = (
        (_texts(lang, "Mã đối tượng", "Subject id"), _texts(lang, "Hệ thống, hoặc chính cơ quan",
         "A system, or the agency itself"), 22),
        (_texts(lang, "Tên", "Name"), "", 30),
        (_texts(lang, "Thành phần", "Item"), _texts(lang, "Máy chủ, địa chỉ (nếu có)",
         "Host or address, if any"), 18),
        (_texts(lang, "Quy tắc", "Rule"), "", 12),
        (_texts(lang, "Nội dung cần cung cấp", "What is asked"), "", 60),
        (_texts(lang, "Căn cứ pháp lý", "Legal reference"), "", 36),
    )
    for column, (title, help_text, width) in enumerate(fixed, start=1):
        _header(sheet, column, title, help_text, width)
    first_answer = len(fixed) + 1
    for offset, answer in enumerate(EVIDENCE_ANSWERS):
        _header(sheet, first_answer + offset, answer.header(lang), answer.help(lang), 20)
    hidden = first_answer + len(EVIDENCE_ANSWERS)
    _hidden_column(sheet, hidden)
    last = layout.FIRST_ROW + max(len(data.requests), 1) - 1
    for offset, answer in enumerate(EVIDENCE_ANSWERS):
        validation = _validation(answer.kind, (), lists, lang)
        if validation is not None:
            letter = get_column_letter(first_answer + offset)
            validation.add(f"{letter}{layout.FIRST_ROW}:{letter}{last}")
            sheet.add_data_validation(validation)
    for row, request in enumerate(data.requests, start=layout.FIRST_ROW):
        cells = (request.subject, request.name, request.item, request.rule_id,
                 request.asked(lang), request.reference)
        for column, value in enumerate(cells, start=1):
            _fixed_cell(sheet, row, column, value)
            sheet.cell(row=row, column=column).alignment = _WRAP
        for offset, answer in enumerate(EVIDENCE_ANSWERS):
            _answer_cell(sheet, row, first_answer + offset, answer.kind, None)
        exported = {"kind": request.kind, "subject": request.subject, "topic": request.topic,
                    "item": request.item, "existing": list(request.existing)}
        sheet.cell(row=row, column=hidden, value=json.dumps(exported, ensure_ascii=False))
    sheet.freeze_panes = f"{get_column_letter(first_answer)}{layout.FIRST_ROW}"
    _protect(sheet)
    return [*layout.EVIDENCE_FIXED, *(a.key for a in EVIDENCE_ANSWERS), layout.EXPORTED_KEY]


def build_workbook(data: WorkbookInput) -> Workbook:
    book = Workbook()
    first = book.active
    assert first is not None  # noqa: S101 - a new workbook has one sheet
    book.remove(first)
    # Systems first, then what the audit awaits, then the other facts.
    fact_sheets = [(FACT_SHEETS[0], book.create_sheet(FACT_SHEETS[0].name))]
    evidence = book.create_sheet(layout.EVIDENCE)
    fact_sheets += [(spec, book.create_sheet(spec.name)) for spec in FACT_SHEETS[1:]]
    meta = book.create_sheet(layout.METADATA)
    lists_sheet = book.create_sheet(layout.LISTS)
    lists = _Lists(lists_sheet, data.lang)
    columns = {spec.name: _facts(sheet, spec, data, lists) for spec, sheet in fact_sheets}
    columns[layout.EVIDENCE] = _evidence(evidence, data, lists)
    rows = layout.metadata_rows(
        tool_version=data.tool_version, agency=data.agency.id, lang=data.lang,
        exported_at=data.exported_at, agency_file=data.agency_file,
        agency_sha256=data.agency_sha256, files=list(data.files),
    )
    rows.append(("columns", json.dumps(columns)))
    for row, (key, value) in enumerate(rows, start=1):
        meta.cell(row=row, column=1, value=key)
        meta.cell(row=row, column=2, value=value)
    for sheet in (meta, lists_sheet):
        sheet.sheet_state = "hidden"
        _protect(sheet)
    return book


def write_workbook(path: Path, data: WorkbookInput) -> None:
    buffer = io.BytesIO()
    build_workbook(data).save(buffer)
    write_atomic(path, buffer.getvalue())


def workbook_input(
    loaded: LoadedInventory,
    run: AuditRun,
    catalog: Catalog,
    agency_id: str,
    *,
    lang: str,
    tool_version: str,
    exported_at: dt.datetime,
) -> WorkbookInput:
    """What the workbook of `agency_id` shows; KeyError when the inventory has no such agency."""
    agency = next((a for a in loaded.inventory.agencies if a.id == agency_id), None)
    if agency is None:
        raise KeyError(agency_id)
    agency_file = loaded.agency_origins[agency.id][""].file or ""
    hashes = {f.path: f.sha256 for f in loaded.files}
    return WorkbookInput(
        agency=agency,
        requests=evidence_requests(run, catalog, agency),
        lang=lang,
        tool_version=tool_version,
        exported_at=exported_at,
        agency_file=agency_file,
        agency_sha256=hashes.get(agency_file, ""),
        files=sorted(hashes.items()),
    )
