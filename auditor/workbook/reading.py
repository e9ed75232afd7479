"""Read a filled workbook safely: bounded sizes, no formulas, no external links, no macros.

The file is checked as a ZIP archive before openpyxl opens it (its size, the number of parts
and their size once unpacked: a "zip bomb" is refused without being unpacked). openpyxl
then reads it read-only, without external links or macros; no formula is ever evaluated —
a cell holding a formula is refused as an answer (type the value instead).
"""

from __future__ import annotations

import json
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import InputError, Location
from auditor.messages import Msg, os_error, too_large
from auditor.workbook import layout

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_PARTS = 2_000
MAX_ROWS = 200_000
MAX_COLUMNS = 200


class FormulaCell:
    """A cell that holds a formula: never evaluated, refused as an answer."""

    def __init__(self, text: str) -> None:
        self.text = text


@dataclass(frozen=True)
class SheetRow:
    number: int  # 1-based row number in the sheet
    values: dict[str, Any]  # column key -> cell value (FormulaCell for a formula)
    columns: dict[str, str]  # column key -> column letter


@dataclass
class ReadWorkbook:
    name: str  # the file's name, as cells are cited
    metadata: dict[str, str]
    sheets: dict[str, list[SheetRow]] = field(default_factory=dict)


def _refuse(path: Path, vi: str, en: str) -> InputError:
    return InputError(Location(str(path)), Msg(vi, en))


def _check_archive(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(Location(str(path)), os_error(exc)) from exc
    if size > MAX_FILE_BYTES:
        raise InputError(Location(str(path)), too_large(MAX_FILE_BYTES, size))
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(
            path,
            "không phải bảng tính Excel (.xlsx): hãy lưu tệp dưới dạng Excel Workbook (.xlsx)",
            "not an Excel workbook (.xlsx): save the file as an Excel Workbook (.xlsx)",
        ) from exc
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        raise _refuse(
            path,
            "bảng tính quá lớn khi giải nén (quá nhiều phần hoặc quá nhiều dữ liệu)",
            "the workbook is too large once unpacked (too many parts or too much data)",
        )


def _cell_value(cell: Any) -> Any:
    if getattr(cell, "data_type", None) == "f":
        return FormulaCell(str(cell.value))
    return cell.value


def _letters(count: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(n) for n in range(1, count + 1)]


def read_workbook(path: Path) -> ReadWorkbook:
    """The workbook's metadata and the data rows of each sheet its metadata lists."""
    _check_archive(path)
    import openpyxl

    with warnings.catch_warnings():
        # e.g. "Data Validation extension is not supported": office programs' extras, which
        # the import does not need, are dropped without a word to the agency's user.
        warnings.simplefilter("ignore", UserWarning)
        return _read(path, openpyxl)


def _read(path: Path, openpyxl: Any) -> ReadWorkbook:
    try:
        book = openpyxl.load_workbook(
            path, read_only=True, data_only=False, keep_links=False, keep_vba=False
        )
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _refuse(
            path,
            f"không đọc được bảng tính: {exc}",
            f"cannot read the workbook: {exc}",
        ) from exc
    try:
        if layout.METADATA not in book.sheetnames:
            raise _refuse(
                path,
                "không phải bảng tính do 'auditor workbook export' tạo (thiếu trang Metadata)",
                "not a workbook made by 'auditor workbook export' (no Metadata sheet)",
            )
        metadata: dict[str, str] = {}
        for row in book[layout.METADATA].iter_rows(min_row=1, max_col=2, values_only=True):
            if row and row[0] is not None:
                metadata[str(row[0])] = "" if row[1] is None else str(row[1])
        if metadata.get("format") != layout.FORMAT:
            raise _refuse(
                path,
                f"định dạng bảng tính không được hỗ trợ: {metadata.get('format')!r}",
                f"unsupported workbook format: {metadata.get('format')!r}",
            )
        try:
            columns: Any = json.loads(metadata.get("columns", ""))
        except ValueError as exc:
            raise _refuse(path, "trang Metadata bị hỏng (columns)",
                          "the Metadata sheet is damaged (columns)") from exc
        read = ReadWorkbook(name=path.name, metadata=metadata)
        if not isinstance(columns, dict) or layout.SYSTEMS not in columns:
            raise _refuse(path, "trang Metadata bị hỏng (columns)",
                          "the Metadata sheet is damaged (columns)")
        for sheet_name, keys in columns.items():
            if sheet_name not in book.sheetnames or not isinstance(keys, list):
                raise _refuse(path, f"thiếu trang {sheet_name}", f"no {sheet_name} sheet")
            read.sheets[sheet_name] = _rows(path, book[sheet_name], [str(k) for k in keys])
        return read
    finally:
        book.close()


def _rows(path: Path, sheet: Any, keys: list[str]) -> list[SheetRow]:
    if len(keys) > MAX_COLUMNS:
        raise _refuse(path, "quá nhiều cột", "too many columns")
    letters = _letters(len(keys))
    by_key = dict(zip(keys, letters, strict=True))
    rows: list[SheetRow] = []
    for number, cells in enumerate(
        sheet.iter_rows(min_row=layout.FIRST_ROW, max_col=len(keys)), start=layout.FIRST_ROW
    ):
        if number - layout.FIRST_ROW >= MAX_ROWS:
            raise _refuse(path, f"trang {sheet.title} có quá nhiều dòng",
                          f"the {sheet.title} sheet has too many rows")
        values = {key: _cell_value(cell) for key, cell in zip(keys, cells, strict=False)}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue
        rows.append(SheetRow(number=number, values=values, columns=by_key))
    return rows
