"""One cell's value, read the way people type it, and written the way an office program shows it.

A value travels as its *canonical text* (`str`, or None for "not declared"): an enumeration's
code, "true"/"false", digits, an ISO date, a comma-separated list of codes, or NFC text. The
same text is what the export remembers and what the import compares, so a value that went
through a spreadsheet unchanged compares equal whatever the office program did to the cell
(a date kept as a date cell or typed as "15/06/2025", a number as 12000 or "12.000").

Reading accepts: real date cells, dd/mm/yyyy and ISO dates typed as text; whole numbers, with
'.' or ',' or spaces between groups of three digits ("12.000"); Có/Không, true/false; an
enumeration's Vietnamese label or its code, in any case; text with leading or trailing spaces,
in NFD or NFC (stored as NFC). Anything else is refused with what was expected.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from auditor.messages import Msg
from auditor.workbook.fields import Choice, Kind

_GROUPED = re.compile(r"^\d{1,3}(?:([.,\u00a0 \u202f])\d{3})(?:\1\d{3})*$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
MAX_TEXT = 2000


class CellError(ValueError):
    """A cell whose value cannot be read as its field's kind (both languages)."""

    def __init__(self, text: Msg) -> None:
        self.text = text
        super().__init__(text.en)


def shown(value: Any) -> str:
    """A cell's value as an error message quotes it."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return repr(text if len(text) <= 60 else text[:59] + "…")


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def clean_text(value: Any) -> str | None:
    """Text as stored: NFC, no leading/trailing space, no control or bidi characters."""
    if value is None:
        return None
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, dt.datetime | dt.date):
        raise CellError(
            Msg(f"cần văn bản, không phải ngày {shown(value)}", f"text expected, not a date "
                f"{shown(value)}")
        )
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ").strip()
    if not text:
        return None
    if _CONTROL.search(text):
        raise CellError(
            Msg("có ký tự điều khiển hoặc ký tự đảo chiều (bidi): hãy gõ lại ô này",
                "contains control or bidi characters: type the cell again")
        )
    if len(text) > MAX_TEXT:
        raise CellError(
            Msg(f"dài quá {MAX_TEXT} ký tự", f"longer than {MAX_TEXT} characters")
        )
    return text


def parse(kind: Kind, choices: Sequence[Choice], value: Any) -> str | None:
    """The canonical text of a cell's value; None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == "date":
        return _date(value).isoformat()
    if kind in ("int", "level"):
        number = _whole(value)
        if kind == "level" and not 1 <= number <= 5:
            raise CellError(Msg(f"cấp độ phải từ 1 đến 5, không phải {number}",
                                  f"a level is 1 to 5, not {number}"))
        return str(number)
    if kind == "bool":
        if isinstance(value, bool):
            return "true" if value else "false"
        return _choice(choices, value, YES_NO_WORDS)
    if kind == "enum":
        return _choice(choices, value)
    if kind == "list":
        text = clean_text(value) or ""
        items = [part for part in re.split(r"[;,\s]+", text) if part]
        return ",".join(dict.fromkeys(items)) or None
    if kind == "enum_set":
        text = clean_text(value) or ""
        codes = {_choice(choices, part) for part in re.split(r"[;,\n]", text) if part.strip()}
        return ",".join(c.code for c in choices if c.code in codes) or None
    return clean_text(value)


YES_NO_WORDS = {
    "có": "true", "co": "true", "yes": "true", "true": "true", "x": "true",
    "không": "false", "khong": "false", "no": "false", "false": "false",
}


def _choice(choices: Sequence[Choice], value: Any, extra: dict[str, str] | None = None) -> str:
    text = clean_text(value) or ""
    wanted = _key(text)
    for choice in choices:
        if wanted in (_key(choice.code), _key(choice.vi), _key(choice.en)):
            return choice.code
    if extra and wanted in extra:
        return extra[wanted]
    listed = "; ".join(c.vi for c in choices)
    listed_en = "; ".join(c.en for c in choices)
    raise CellError(
        Msg(f"{shown(text)} không phải một lựa chọn: hãy chọn một trong: {listed}",
            f"{shown(text)} is not one of the choices: {listed_en}")
    )


def _whole(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError(Msg(f"cần một số nguyên, không phải {shown(value)}",
                              f"a whole number expected, not {shown(value)}"))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(Msg(f"cần một số nguyên, không phải {shown(value)}",
                                  f"a whole number expected, not {shown(value)}"))
        number = int(value)
    elif isinstance(value, str):
        text = unicodedata.normalize("NFC", value).strip()
        if _GROUPED.match(text):
            text = re.sub(r"[.,\u00a0 \u202f]", "", text)
        if not (text.isascii() and text.isdigit()):
            raise CellError(
                Msg(f"{shown(value)} không phải số nguyên (viết 12000 hoặc 12.000)",
                    f"{shown(value)} is not a whole number (write 12000 or 12.000)")
            )
        number = int(text)
    else:
        raise CellError(Msg(f"cần một số nguyên, không phải {shown(value)}",
                              f"a whole number expected, not {shown(value)}"))
    if number < 0:
        raise CellError(Msg(f"không được âm: {number}", f"cannot be negative: {number}"))
    return number


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise CellError(Msg(f"cần một ngày, không có giờ: {shown(value)}",
                                  f"a date without a time expected: {shown(value)}"))
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = unicodedata.normalize("NFC", value).strip()
        match = _DMY.match(text)
        try:
            if match:
                day, month, year = (int(g) for g in match.groups())
                return dt.date(year, month, day)
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise CellError(
        Msg(f"{shown(value)} không phải một ngày (viết dd/mm/yyyy, ví dụ 15/06/2025)",
            f"{shown(value)} is not a date (write dd/mm/yyyy, e.g. 15/06/2025)")
    )


def to_cell(kind: Kind, choices: Sequence[Choice], canonical: str | None, lang: str) -> Any:
    """The value a cell shows for a canonical text (a date cell, a number, a label)."""
    if canonical is None:
        return None
    if kind == "date":
        return dt.date.fromisoformat(canonical)
    if kind in ("int", "level"):
        return int(canonical)
    if kind in ("enum", "bool"):
        return next(c.label(lang) for c in choices if c.code == canonical)
    if kind == "enum_set":
        codes = canonical.split(",")
        return ", ".join(c.label(lang) for c in choices if c.code in codes)
    if kind == "list":
        return ", ".join(canonical.split(","))
    return canonical


def to_yaml(kind: Kind, canonical: str) -> Any:
    """The YAML value a canonical text is written as."""
    if kind == "date":
        return dt.date.fromisoformat(canonical)
    if kind in ("int", "level"):
        return int(canonical)
    if kind == "bool":
        return canonical == "true"
    if kind in ("enum_set", "list"):
        return canonical.split(",")
    return canonical


def canonical_of(kind: Kind, choices: Sequence[Choice], value: Any) -> str | None:
    """The canonical text of a value the model holds (for the export and the comparison)."""
    if value is None:
        return None
    if kind == "date":
        return str(value.isoformat())
    if kind == "bool":
        return "true" if value else "false"
    if kind == "enum_set":
        held = {str(v) for v in value}
        return ",".join(c.code for c in choices if c.code in held) or None
    if kind == "list":
        return ",".join(str(v) for v in value) or None
    return str(value)
