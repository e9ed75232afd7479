"""The annual report's per-system annex as CSV: the XLSX "Systems" sheet for machines.

Same columns as the workbook (`columns.py`), header row in the report's language. The format
is for programs and for opening in a spreadsheet:

- UTF-8 with a byte-order mark, so Excel reads Vietnamese text as UTF-8 rather than the
  Windows code page;
- comma-separated, CRLF line ends, quoted only where needed (RFC 4180, the csv module's
  default dialect); dates ISO 8601 (yyyy-mm-dd) and numbers with a decimal point in both
  languages, so a script reads them the same whatever the report language. (Excel set to a
  Vietnamese locale expects ";" and a decimal comma: people should open the XLSX.)
- formula injection: a text cell starting with "=", "+", "-", "@", tab or CR gets a leading
  single quote, as OWASP recommends, so a spreadsheet shows it as text instead of running
  it. Numbers are never prefixed (they are not text; a negative number stays a number).
- control and bidi characters (ESC, CR, U+202E…) from inventory text are written as visible
  escapes (`\x1b`, `\r`, `\u202e`), never raw.

Streaming: rows are encoded and written in chunks, never held whole in memory, and the file
is written beside its destination and renamed into place (`write_atomic`), so a failure
leaves nothing half-written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from auditor.files import write_atomic
from auditor.report.annual import columns
from auditor.report.annual.columns import Cell
from auditor.report.annual.export_words import FORMULA_START, check_lang
from auditor.report.annual.figures import AnnualFigures
from auditor.safe_text import safe_text

BOM: Final = "\ufeff"
_ROWS_PER_CHUNK: Final = 500


def csv_text(value: Cell) -> str:
    """One cell as CSV text: ISO dates, decimal points, '' for None, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = safe_text(value)  # control and bidi characters shown, never raw (\x1b, \u202e)
        return "'" + value if value.startswith(FORMULA_START) else value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)  # Python writes a decimal point whatever the locale


def csv_chunks(figures: AnnualFigures, lang: str) -> Iterator[bytes]:
    """The annex as UTF-8 bytes (BOM first), a few hundred rows at a time."""
    check_lang(lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(csv_text(header) for header in columns.headers(lang))
    for count, cells in enumerate(columns.rows(figures, lang), start=1):
        writer.writerow(csv_text(cell) for cell in cells)
        if count % _ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_csv(figures: AnnualFigures, path: Path, lang: str) -> None:
    """Write the per-system annex to `path` as CSV in `lang` ("vi" or "en"), atomically."""
    check_lang(lang)
    write_atomic(path, csv_chunks(figures, lang))
