"""The SVG drawing kit of the report's charts (report/charts.py): colours, escaping, stable
coordinates, text fitted to a width, and the pieces every chart is made of (text, rectangles,
a legend, category labels, the titled frame, the "no data" chart).

Every piece of text goes through `esc` (markupsafe.escape, XML-forbidden controls removed);
coordinates carry at most one decimal, so the same input gives a byte-identical chart.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Sequence
from typing import Final

from markupsafe import Markup, escape

from auditor.report.filters import number, percent_value

SVG_NS: Final = "http://www.w3.org/2000/svg"

WIDTH: Final = 640  # px of the viewBox; also the max-width, which fits A4's text column
TITLE_H: Final = 28
_CHAR_W: Final = 6.6  # rough average advance of a 12 px sans-serif glyph, for text fitting
_ELLIPSIS: Final = "…"

INK: Final = "#1d2733"
MUTED: Final = "#5b6573"
LINE: Final = "#cfd6de"
HEAD: Final = "#0b3a66"
TRACK: Final = "#eef0f3"
GREEN: Final = "#1e6b33"
RED: Final = "#a4161a"
NEUTRAL: Final = "#5b6573"
PREV: Final = "#8fa9c4"

# Picked to stay distinguishable when printed in greyscale, darkest first.
_PALETTE: Final = ("#0b3a66", "#8fa9c4", "#b7791f", "#1e6b33", "#6a1b9a", "#5b6573")

# Inline fills for the classes callers put on bars; the page CSS may restyle them, but a chart
# without that CSS still shows levels and severities in their usual colours.
_CLASS_FILL: Final[dict[str, str]] = {
    "level-1": "#9cc3e6",
    "level-2": "#5b9bd5",
    "level-3": "#2b6cb0",
    "level-4": "#1a4f8a",
    "level-5": "#0b3a66",
    "sev-critical": "#a4161a",
    "sev-high": "#d9480f",
    "sev-medium": "#b7791f",
    "sev-low": "#2b6cb0",
    "sev-info": "#5b6573",
    "bar-prev": PREV,
    "pass": GREEN,
    "fail": RED,
}

_WORDS: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "no_data": "Không có dữ liệu",
        "target": "mục tiêu",
        "previous": "năm trước",
        "met": "đạt",
        "unmet": "chưa đạt",
    },
    "en": {
        "no_data": "No data",
        "target": "target",
        "previous": "previous year",
        "met": "met",
        "unmet": "not met",
    },
}

# XML 1.0 forbids most C0 controls; a stray one in user text would make the SVG unparsable.
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def coord(x: float) -> str:
    """A coordinate with at most one decimal and no '-0', so output is stable byte for byte."""
    text = f"{x:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def esc(text: str) -> str:
    return str(escape(_CONTROL.sub("", text)))


def words(lang: str) -> dict[str, str]:
    try:
        return _WORDS[lang]
    except KeyError:
        raise ValueError(f"unknown report language '{lang}' (use vi or en)") from None


def num(value: float, lang: str) -> str:
    return number(value, lang, 0 if float(value).is_integer() else 1)


def with_unit(text: str, unit: str, lang: str) -> str:
    """'%' is spaced as `filters.percent` does ('37,5 %' / '37.5%'); other units get a space."""
    if not unit:
        return text
    if unit == "%" and lang == "en":
        return f"{text}%"
    return f"{text} {unit}"


def pct(value: float, lang: str) -> str:
    """A 0–100 share with one decimal: '87,5 %' / '87.5%'."""
    return percent_value(value, lang)


def class_fill(css: str, default: str) -> str:
    """The inline colour of the first class that has one, else `default`."""
    for name in css.split():
        if name in _CLASS_FILL:
            return _CLASS_FILL[name]
    return default


def fills(classes: Sequence[str]) -> list[str]:
    """One fill per item: its class colour, else the next palette colour not already taken,
    so that, say, a "bar-prev" series next to a plain one never gets the same grey."""
    explicit = [class_fill(css, "") for css in classes]
    free = [c for c in _PALETTE if c not in explicit] or list(_PALETTE)
    fills: list[str] = []
    n = 0
    for fill in explicit:
        if not fill:
            fill = free[n % len(free)]
            n += 1
        fills.append(fill)
    return fills


def classes(*names: str) -> str:
    return esc(" ".join(n for part in names for n in part.split()))


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary when one is near, with an ellipsis."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if len(text) <= limit:
        return text
    cut = max(limit - 1, 1)
    # Never separate a Vietnamese tone mark from its letter (text not in NFC, or no composite).
    while cut > 1 and unicodedata.combining(text[cut]):
        cut -= 1
    head = text[:cut]
    space = head.rfind(" ")
    if space >= cut * 2 // 3:
        head = head[:space]
    return head.rstrip(" ,;:-–") + _ELLIPSIS


def wrap(text: str, width: int, lines: int) -> list[str]:
    """Up to `lines` lines of about `width` characters; the last one ellipsised on overflow."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    width = max(width, 3)
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) <= lines:
        return wrapped
    rest = " ".join(wrapped[lines - 1 :])
    return [*wrapped[: lines - 1], truncate(rest, width)]


def text(
    x: float,
    y: float,
    content: str,
    *,
    css: str,
    size: int = 12,
    anchor: str = "start",
    fill: str = INK,
    weight: str = "",
) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text class="{classes(css)}" x="{coord(x)}" y="{coord(y)}" font-size="{size}"'
        f' text-anchor="{anchor}" fill="{fill}"{bold}>{esc(content)}</text>'
    )


def rect(x: float, y: float, w: float, h: float, *, css: str, fill: str) -> str:
    """An open `<rect …`: the caller adds attributes and closes it with `/>` or with children."""
    return (
        f'<rect class="{classes(css)}" x="{coord(x)}" y="{coord(y)}" width="{coord(w)}"'
        f' height="{coord(h)}" fill="{fill}"'
    )


def frame(kind: str, title: str, height: float, body: list[str]) -> Markup:
    """The chart's `<svg>`: its size, accessible name and visible title around `body`."""
    label = esc(title)
    head = (
        f'<svg xmlns="{SVG_NS}" class="chart chart-{kind}" viewBox="0 0 {WIDTH} {coord(height)}"'
        f' width="100%" style="max-width:{WIDTH}px;height:auto;font-family:inherit;'
        f'break-inside:avoid" role="img" aria-label="{label}">'
        f"<title>{label}</title>"
    )
    # The visible title makes a printed chart self-explanatory when it ends up on its own page.
    caption = text(
        0, 18, truncate(title, 84), css="chart-title", size=14, fill=HEAD, weight="600"
    )
    # Every piece of text above went through esc (markupsafe.escape); the rest is our own markup.
    return Markup(head + caption + "".join(body) + "</svg>")  # noqa: S704


def no_data(kind: str, title: str, lang: str) -> Markup:
    """A chart frame with only a centred "no data" text."""
    height = TITLE_H + 72
    body = [
        rect(0.5, TITLE_H + 0.5, WIDTH - 1, 64, css="no-data-box", fill="none")
        + f' stroke="{LINE}" stroke-dasharray="4 3"/>',
        text(
            WIDTH / 2,
            TITLE_H + 37,
            words(lang)["no_data"],
            css="label no-data",
            size=13,
            anchor="middle",
            fill=MUTED,
        ),
    ]
    return frame(kind, title, height, body)


def legend(entries: Sequence[tuple[str, str]], y: float) -> tuple[list[str], float]:
    """Swatch + name entries flowed left to right, wrapping; returns the parts and the end y.

    `entries` holds (swatch markup made by the caller at x=0, y=0, name).
    """
    parts: list[str] = []
    x = 0.0
    row_y = y
    for swatch, name in entries:
        shown = truncate(name, 48)
        width = 18 + len(shown) * _CHAR_W + 18
        if x > 0 and x + width > WIDTH:
            x, row_y = 0.0, row_y + 18
        parts.append(
            f'<g class="legend-item" transform="translate({coord(x)} {coord(row_y)})">{swatch}'
            + text(18, 10, shown, css="label legend", size=11)
            + "</g>"
        )
        x += width
    return parts, row_y + 14


def category_labels(labels: Sequence[str], slot: float, y: float) -> list[str]:
    parts: list[str] = []
    chars = int(slot / (_CHAR_W * 11 / 12))
    for i, label in enumerate(labels):
        lines = wrap(label, chars, 2)
        cx = slot * i + slot / 2
        shortened = " ".join(lines) != " ".join(label.split())
        tip = f"<title>{esc(label)}</title>" if shortened else ""
        texts = "".join(
            text(cx, y + 13 * n, line, css="label", size=11, anchor="middle")
            for n, line in enumerate(lines)
        )
        parts.append(f'<g class="category">{tip}{texts}</g>')
    return parts
