"""Inline SVG charts for the annual report page: pure functions from data to one `<svg>` each.

Why inline SVG: the report is one self-contained HTML file with no script, font or image, so a
chart library is out; SVG drawn here is vector (sharp on A4 and in Chromium's print-to-PDF),
needs no JavaScript, and uses the page's own font (`font-family: inherit`).

Every chart
- returns `markupsafe.Markup`, so Jinja's autoescape leaves it as markup; every piece of text in
  it (labels, titles, units, CSS classes) is escaped here with `markupsafe.escape`;
- scales with its column (`viewBox`, `width="100%"`, a `max-width`) and is one `role="img"`
  with an `aria-label` and a `<title>`;
- carries CSS classes (`chart`, `bar`, `bar-target`, `bar-prev`, `axis`, `label`, `value`, …)
  for the page stylesheet and inline `fill`/`stroke` attributes, so it still reads correctly
  without that stylesheet (a copied SVG, a PDF made from a bare page);
- is deterministic: the same input gives a byte-identical string (coordinates carry at most one
  decimal, nothing depends on time or randomness, no generated ids), so report pages can be
  compared and cached.

Numbers are written with `report.filters` in the page's language: 37,5 % (vi), 37.5% (en).
Text widths are estimated from character counts (there are no font metrics without a browser), so
long labels are shortened with an ellipsis and the full text kept in a `<title>` tooltip.
"""

from __future__ import annotations

import math
import re
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from markupsafe import Markup, escape

from auditor.report.filters import DASH, number, percent_value

__all__ = ["Bar", "KpiBar", "Series", "bar_chart", "grouped_bar_chart", "kpi_chart", "stacked_bar"]

SVG_NS: Final = "http://www.w3.org/2000/svg"

_WIDTH: Final = 640  # px of the viewBox; also the max-width, which fits A4's text column
_TITLE_H: Final = 28
_CHAR_W: Final = 6.6  # rough average advance of a 12 px sans-serif glyph, for text fitting
_ELLIPSIS: Final = "…"

_INK: Final = "#1d2733"
_MUTED: Final = "#5b6573"
_LINE: Final = "#cfd6de"
_HEAD: Final = "#0b3a66"
_TRACK: Final = "#eef0f3"
_GREEN: Final = "#1e6b33"
_RED: Final = "#a4161a"
_NEUTRAL: Final = "#5b6573"
_PREV: Final = "#8fa9c4"

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
    "bar-prev": _PREV,
    "pass": _GREEN,
    "fail": _RED,
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


def _finite(value: float, what: str) -> None:
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")


@dataclass(frozen=True, slots=True)
class Bar:
    """One category of a bar chart or one part of a stacked bar."""

    label: str
    value: float  # >= 0
    css: str = ""  # extra class, e.g. "level-3" or "sev-critical"

    def __post_init__(self) -> None:
        _finite(self.value, "bar value")
        if self.value < 0:
            raise ValueError(f"bar value must be >= 0, got {self.value!r} for {self.label!r}")


@dataclass(frozen=True, slots=True)
class KpiBar:
    """One KPI row: percent achieved against a percent target (both 0–100).

    A value or previous value outside 0–100 is written as given but drawn clamped to the track.
    """

    label: str
    value: float | None  # None = no data: hatched empty track and "—"
    target: float
    previous: float | None = None  # last year's value, drawn as a thin second bar
    met: bool | None = None  # colours the bar: True green, False red, None neutral grey

    def __post_init__(self) -> None:
        _finite(self.target, "KPI target")
        if not 0 <= self.target <= 100:
            raise ValueError(f"KPI target must be within 0–100, got {self.target!r}")
        if self.value is not None:
            _finite(self.value, "KPI value")
        if self.previous is not None:
            _finite(self.previous, "KPI previous value")


@dataclass(frozen=True, slots=True)
class Series:
    """One series of a grouped bar chart: one value per category."""

    name: str
    values: tuple[float, ...]
    css: str = ""

    def __post_init__(self) -> None:
        for value in self.values:
            _finite(value, "series value")
            if value < 0:
                raise ValueError(f"series value must be >= 0, got {value!r} in {self.name!r}")


# ---------------------------------------------------------------------------------------------
# Small helpers


def _f(x: float) -> str:
    """A coordinate with at most one decimal and no '-0', so output is stable byte for byte."""
    text = f"{x:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _e(text: str) -> str:
    return str(escape(_CONTROL.sub("", text)))


def _words(lang: str) -> dict[str, str]:
    try:
        return _WORDS[lang]
    except KeyError:
        raise ValueError(f"unknown report language '{lang}' (use vi or en)") from None


def _num(value: float, lang: str) -> str:
    return number(value, lang, 0 if float(value).is_integer() else 1)


def _with_unit(text: str, unit: str, lang: str) -> str:
    """'%' is spaced as `filters.percent` does ('37,5 %' / '37.5%'); other units get a space."""
    if not unit:
        return text
    if unit == "%" and lang == "en":
        return f"{text}%"
    return f"{text} {unit}"


def _pct(value: float, lang: str) -> str:
    """A 0–100 share with one decimal: '87,5 %' / '87.5%'."""
    return percent_value(value, lang)


def _fill(css: str, default: str) -> str:
    for name in css.split():
        if name in _CLASS_FILL:
            return _CLASS_FILL[name]
    return default


def _fills(classes: Sequence[str]) -> list[str]:
    """One fill per item: its class colour, else the next palette colour not already taken,
    so that, say, a "bar-prev" series next to a plain one never gets the same grey."""
    explicit = [_fill(css, "") for css in classes]
    free = [c for c in _PALETTE if c not in explicit] or list(_PALETTE)
    fills: list[str] = []
    n = 0
    for fill in explicit:
        if not fill:
            fill = free[n % len(free)]
            n += 1
        fills.append(fill)
    return fills


def _classes(*names: str) -> str:
    return _e(" ".join(n for part in names for n in part.split()))


def _truncate(text: str, limit: int) -> str:
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


def _wrap(text: str, width: int, lines: int) -> list[str]:
    """Up to `lines` lines of about `width` characters; the last one ellipsised on overflow."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    width = max(width, 3)
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) <= lines:
        return wrapped
    rest = " ".join(wrapped[lines - 1 :])
    return [*wrapped[: lines - 1], _truncate(rest, width)]


def _text(
    x: float,
    y: float,
    content: str,
    *,
    css: str,
    size: int = 12,
    anchor: str = "start",
    fill: str = _INK,
    weight: str = "",
) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text class="{_classes(css)}" x="{_f(x)}" y="{_f(y)}" font-size="{size}"'
        f' text-anchor="{anchor}" fill="{fill}"{bold}>{_e(content)}</text>'
    )


def _rect(x: float, y: float, w: float, h: float, *, css: str, fill: str) -> str:
    """An open `<rect …`: the caller adds attributes and closes it with `/>` or with children."""
    return (
        f'<rect class="{_classes(css)}" x="{_f(x)}" y="{_f(y)}" width="{_f(w)}"'
        f' height="{_f(h)}" fill="{fill}"'
    )


def _svg(kind: str, title: str, height: float, body: list[str]) -> Markup:
    label = _e(title)
    head = (
        f'<svg xmlns="{SVG_NS}" class="chart chart-{kind}" viewBox="0 0 {_WIDTH} {_f(height)}"'
        f' width="100%" style="max-width:{_WIDTH}px;height:auto;font-family:inherit;'
        f'break-inside:avoid" role="img" aria-label="{label}">'
        f"<title>{label}</title>"
    )
    # The visible title makes a printed chart self-explanatory when it ends up on its own page.
    caption = _text(
        0, 18, _truncate(title, 84), css="chart-title", size=14, fill=_HEAD, weight="600"
    )
    # Every piece of text above went through _e (markupsafe.escape); the rest is our own markup.
    return Markup(head + caption + "".join(body) + "</svg>")  # noqa: S704


def _no_data(kind: str, title: str, lang: str) -> Markup:
    height = _TITLE_H + 72
    body = [
        _rect(0.5, _TITLE_H + 0.5, _WIDTH - 1, 64, css="no-data-box", fill="none")
        + f' stroke="{_LINE}" stroke-dasharray="4 3"/>',
        _text(
            _WIDTH / 2,
            _TITLE_H + 37,
            _words(lang)["no_data"],
            css="label no-data",
            size=13,
            anchor="middle",
            fill=_MUTED,
        ),
    ]
    return _svg(kind, title, height, body)


def _legend(entries: Sequence[tuple[str, str]], y: float) -> tuple[list[str], float]:
    """Swatch + name entries flowed left to right, wrapping; returns the parts and the end y.

    `entries` holds (swatch markup made by the caller at x=0, y=0, name).
    """
    parts: list[str] = []
    x = 0.0
    row_y = y
    for swatch, name in entries:
        shown = _truncate(name, 48)
        width = 18 + len(shown) * _CHAR_W + 18
        if x > 0 and x + width > _WIDTH:
            x, row_y = 0.0, row_y + 18
        parts.append(
            f'<g class="legend-item" transform="translate({_f(x)} {_f(row_y)})">{swatch}'
            + _text(18, 10, shown, css="label legend", size=11)
            + "</g>"
        )
        x += width
    return parts, row_y + 14


def _category_labels(labels: Sequence[str], slot: float, y: float) -> list[str]:
    parts: list[str] = []
    chars = int(slot / (_CHAR_W * 11 / 12))
    for i, label in enumerate(labels):
        lines = _wrap(label, chars, 2)
        cx = slot * i + slot / 2
        shortened = " ".join(lines) != " ".join(label.split())
        tip = f"<title>{_e(label)}</title>" if shortened else ""
        texts = "".join(
            _text(cx, y + 13 * n, line, css="label", size=11, anchor="middle")
            for n, line in enumerate(lines)
        )
        parts.append(f'<g class="category">{tip}{texts}</g>')
    return parts


# ---------------------------------------------------------------------------------------------
# Charts


def bar_chart(bars: Sequence[Bar], *, title: str, lang: str, unit: str = "") -> Markup:
    """Vertical bars, the value above each and the category under it; y from 0 to the maximum.

    Empty input, or only zeros, gives the title and a centred "no data" text.
    """
    _words(lang)
    if not bars or all(b.value == 0 for b in bars):
        return _no_data("bar", title, lang)
    top = _TITLE_H + 18  # room for the value above the tallest bar
    plot_h = 180.0
    base = top + plot_h
    slot = _WIDTH / len(bars)
    bar_w = min(slot * 0.7, 72.0)
    scale = max(max(b.value for b in bars), 1.0)
    body: list[str] = []
    for i, b in enumerate(bars):
        h = plot_h * b.value / scale
        x = slot * i + (slot - bar_w) / 2
        value = _with_unit(_num(b.value, lang), unit, lang)
        body.append(
            '<g class="bar-group">'
            + _rect(x, base - h, bar_w, h, css=f"bar {b.css}", fill=_fill(b.css, _HEAD))
            + f"><title>{_e(b.label)}: {_e(value)}</title></rect>"
            + _text(x + bar_w / 2, base - h - 5, value, css="value", size=11, anchor="middle")
            + "</g>"
        )
    body.append(
        f'<line class="axis" x1="0" y1="{_f(base)}" x2="{_WIDTH}" y2="{_f(base)}"'
        f' stroke="{_MUTED}" stroke-width="1"/>'
    )
    body.extend(_category_labels([b.label for b in bars], slot, base + 15))
    return _svg("bar", title, base + 15 + 13 + 8, body)


_KPI_LABEL_CHARS: Final = 40  # ~262 px of 12 px text, left of the track
_TRACK_X: Final = 270.0
_TRACK_W: Final = 296.0
_ROW_H: Final = 30.0


def _hatch(x: float, y: float, w: float, h: float, step: float = 7.0) -> str:
    """Diagonal lines clipped by hand to the rectangle.

    A <pattern> would need an id, and ids in inline SVG are page-global: several charts on one
    page would collide, and random ids would break determinism.
    """
    segments: list[str] = []
    k = -h + step / 2
    while k < w:
        x0, y0 = x + k, y + h
        x1, y1 = x + k + h, y
        if x0 < x:
            y0 -= x - x0
            x0 = x
        if x1 > x + w:
            y1 += x1 - (x + w)
            x1 = x + w
        segments.append(f"M{_f(x0)} {_f(y0)}L{_f(x1)} {_f(y1)}")
        k += step
    return (
        f'<path class="hatch" d="{"".join(segments)}" stroke="{_LINE}" stroke-width="1"'
        ' fill="none"/>'
    )


def _track_x(percent: float) -> float:
    return _TRACK_X + _TRACK_W * min(max(percent, 0.0), 100.0) / 100


def kpi_chart(items: Sequence[KpiBar], *, title: str, lang: str) -> Markup:
    """One horizontal 0–100 % track per KPI, with its target marker and last year's bar.

    The label is on the left (shortened to about 40 characters; the row's <title> keeps it
    whole), the value on the right; a legend at the bottom names the marks used.
    """
    words = _words(lang)
    if not items:
        return _no_data("kpi", title, lang)
    body: list[str] = []
    bar_h = 14.0
    for i, item in enumerate(items):
        y = _TITLE_H + 6 + _ROW_H * i
        value_text = DASH if item.value is None else _pct(item.value, lang)
        tip = f"{item.label}: {value_text} ({words['target']} {_pct(item.target, lang)})"
        if item.previous is not None:
            tip += f"; {words['previous']}: {_pct(item.previous, lang)}"
        row = [
            f'<g class="kpi-row"><title>{_e(tip)}</title>',
            _text(0, y + bar_h - 3, _truncate(item.label, _KPI_LABEL_CHARS), css="label"),
            _rect(_TRACK_X, y, _TRACK_W, bar_h, css="track", fill=_TRACK)
            + f' stroke="{_LINE}" stroke-width="0.5"/>',
        ]
        if item.value is None:
            row.append(_hatch(_TRACK_X, y, _TRACK_W, bar_h))
        else:
            if item.met is None:
                state, fill = "neutral", _NEUTRAL
            else:
                state, fill = ("pass", _GREEN) if item.met else ("fail", _RED)
            row.append(
                _rect(
                    _TRACK_X,
                    y,
                    _track_x(item.value) - _TRACK_X,
                    bar_h,
                    css=f"bar {state}",
                    fill=fill,
                )
                + "/>"
            )
        if item.previous is not None:
            row.append(
                _rect(
                    _TRACK_X,
                    y + bar_h + 2,
                    _track_x(item.previous) - _TRACK_X,
                    4,
                    css="bar-prev",
                    fill=_PREV,
                )
                + "/>"
            )
        tx = _track_x(item.target)
        row.append(
            f'<line class="bar-target" x1="{_f(tx)}" y1="{_f(y - 3)}" x2="{_f(tx)}"'
            f' y2="{_f(y + bar_h + 7)}" stroke="{_INK}" stroke-width="2"/>'
        )
        row.append(
            _text(
                _WIDTH,
                y + bar_h - 3,
                value_text,
                css="value",
                anchor="end",
                fill=_MUTED if item.value is None else _INK,
            )
        )
        row.append("</g>")
        body.append("".join(row))
    entries = [
        (
            f'<line class="bar-target" x1="7" y1="0" x2="7" y2="12" stroke="{_INK}"'
            ' stroke-width="2"/>',
            words["target"],
        ),
    ]
    if any(i.previous is not None for i in items):
        entries.append(
            (_rect(0, 4, 14, 4, css="swatch bar-prev", fill=_PREV) + "/>", words["previous"])
        )
    # Colour alone must not carry meaning (greyscale print, colour blindness): name it.
    if any(i.met is True and i.value is not None for i in items):
        entries.append((_rect(0, 0, 14, 12, css="swatch pass", fill=_GREEN) + "/>", words["met"]))
    if any(i.met is False and i.value is not None for i in items):
        entries.append((_rect(0, 0, 14, 12, css="swatch fail", fill=_RED) + "/>", words["unmet"]))
    legend, end = _legend(entries, _TITLE_H + 6 + _ROW_H * len(items) + 4)
    body.append('<g class="legend">' + "".join(legend) + "</g>")
    return _svg("kpi", title, end + 4, body)


def grouped_bar_chart(
    categories: Sequence[str], series: Sequence[Series], *, title: str, lang: str
) -> Markup:
    """Side-by-side bars per category, one per series (e.g. last year and this year).

    Raises ValueError when a series does not have exactly one value per category.
    """
    _words(lang)
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(
                f"series {s.name!r} has {len(s.values)} values for {len(categories)} categories"
            )
    if not categories or not series or all(v == 0 for s in series for v in s.values):
        return _no_data("grouped", title, lang)
    top = _TITLE_H + 16
    plot_h = 180.0
    base = top + plot_h
    slot = _WIDTH / len(categories)
    group_w = min(slot * 0.8, 40.0 * len(series))
    bar_w = group_w / len(series)
    scale = max(max(v for s in series for v in s.values), 1.0)
    fills = _fills([s.css for s in series])
    # Values above bars narrower than a short number would overlap their neighbours.
    show_values = bar_w >= 18
    inset = min(1.0, bar_w / 10)  # a hairline gap between neighbouring bars, never a negative width
    body: list[str] = []
    for i, category in enumerate(categories):
        x0 = slot * i + (slot - group_w) / 2
        group = ['<g class="bar-group">']
        for j, s in enumerate(series):
            v = s.values[i]
            h = plot_h * v / scale
            x = x0 + bar_w * j
            value = _num(v, lang)
            group.append(
                _rect(
                    x + inset,
                    base - h,
                    bar_w - 2 * inset,
                    h,
                    css=f"bar series-{j + 1} {s.css}",
                    fill=fills[j],
                )
                + f"><title>{_e(s.name)} — {_e(category)}: {_e(value)}</title></rect>"
            )
            if show_values:
                group.append(
                    _text(x + bar_w / 2, base - h - 4, value, css="value", size=10, anchor="middle")
                )
        group.append("</g>")
        body.append("".join(group))
    body.append(
        f'<line class="axis" x1="0" y1="{_f(base)}" x2="{_WIDTH}" y2="{_f(base)}"'
        f' stroke="{_MUTED}" stroke-width="1"/>'
    )
    body.extend(_category_labels(categories, slot, base + 15))
    entries = [
        (_rect(0, 0, 14, 12, css=f"swatch series-{j + 1} {s.css}", fill=fills[j]) + "/>", s.name)
        for j, s in enumerate(series)
    ]
    legend, end = _legend(entries, base + 15 + 13 + 10)
    body.append('<g class="legend">' + "".join(legend) + "</g>")
    return _svg("grouped", title, end + 4, body)


def stacked_bar(parts: Sequence[Bar], *, title: str, lang: str) -> Markup:
    """One horizontal 100 % bar split in proportion to the parts, with a legend below giving
    "label: value (share %)" for each part; a zero total gives a "no data" text."""
    _words(lang)
    total = sum(p.value for p in parts)
    if total <= 0:
        return _no_data("stacked", title, lang)
    y = _TITLE_H + 4
    bar_h = 26.0
    fills = _fills([p.css for p in parts])
    body: list[str] = []
    running = 0.0
    for i, p in enumerate(parts):
        # Edges come from the running sum, so rounding never leaves a gap or an overlap.
        start = round(_WIDTH * running / total, 1)
        running += p.value
        end = round(_WIDTH * running / total, 1)
        if p.value == 0:
            continue
        share = _pct(100 * p.value / total, lang)
        body.append(
            _rect(start, y, end - start, bar_h, css=f"bar part-{i + 1} {p.css}", fill=fills[i])
            # A white seam keeps neighbouring parts apart when printed in greyscale.
            + f' stroke="#fff" stroke-width="1">'
            f"<title>{_e(p.label)}: {_e(_num(p.value, lang))} ({_e(share)})</title></rect>"
        )
    row_y = y + bar_h + 12
    for i, p in enumerate(parts):
        share = _pct(100 * p.value / total, lang)
        text = f"{_truncate(p.label, 60)}: {_num(p.value, lang)} ({share})"
        body.append(
            f'<g class="legend-item" transform="translate(0 {_f(row_y + 18 * i)})">'
            + _rect(0, 0, 14, 12, css=f"swatch part-{i + 1} {p.css}", fill=fills[i])
            + "/>"
            + _text(20, 10, text, css="label legend", size=12)
            + "</g>"
        )
    return _svg("stacked", title, row_y + 18 * len(parts) + 2, body)
