"""Pure formatting of numbers and dates in the report's language, also used as Jinja filters.

Vietnamese: decimal comma, dot thousands separator (1.234,5), dates dd/mm/yyyy.
English: decimal point, comma thousands separator (1,234.5), ISO dates (2026-11-24).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, Final

DASH: Final = "—"


def _check(lang: str) -> None:
    if lang not in ("vi", "en"):
        raise ValueError(f"unknown report language '{lang}' (use vi or en)")


def number(value: float | int | None, lang: str, digits: int = 1) -> str:
    """1234.5 → '1.234,5' (vi) or '1,234.5' (en); integers keep no decimals; None → '—'."""
    _check(lang)
    if value is None:
        return DASH
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.{digits}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def score(value: float | None, lang: str) -> str:
    """A 0–100 score with one decimal, or '—' when nothing was applicable."""
    return number(value, lang, 1)


def percent(part: int, whole: int, lang: str) -> str:
    """part/whole as a percentage with one decimal: '37,5 %' (vi) or '37.5%' (en)."""
    _check(lang)
    if whole <= 0:
        return DASH
    return percent_value(100 * part / whole, lang)


def percent_value(value: float | None, lang: str) -> str:
    """A value already in per cent, one decimal: 37.5 → '37,5 %' (vi) or '37.5%' (en)."""
    _check(lang)
    if value is None:
        return DASH
    text = number(float(value), lang, 1)
    return f"{text} %" if lang == "vi" else f"{text}%"


def date(value: dt.date | None, lang: str) -> str:
    """24/11/2026 (vi) or 2026-11-24 (en); None → '—'."""
    _check(lang)
    if value is None:
        return DASH
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()


def iso_date_text(text: str, lang: str) -> str:
    """A date written as ISO text, shown in the page's convention; other text unchanged."""
    _check(lang)
    if lang == "vi" and len(text) == 10:
        try:
            return date(dt.date.fromisoformat(text), lang)
        except ValueError:
            return text
    return text


_ISO_IN_PARENS: Final = re.compile(r"\((\d{4})-(\d{2})-(\d{2})\)")


def decision(text: str, lang: str) -> str:
    """A decision as results hold it, "35/QĐ-SKHCN (2026-03-10)", with its date in the
    language's convention: "35/QĐ-SKHCN (10/03/2026)" in Vietnamese."""
    if lang == "vi":
        return _ISO_IN_PARENS.sub(r"(\3/\2/\1)", text)
    return text


FILTERS: Final[dict[str, Callable[..., Any]]] = {
    "num": number,
    "score": score,
    "pct": percent,
    "date": date,
}
