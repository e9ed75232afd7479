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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from markupsafe import Markup

from auditor.report import svg
from auditor.report.filters import DASH

__all__ = ["Bar", "KpiBar", "Series", "bar_chart", "grouped_bar_chart", "kpi_chart", "stacked_bar"]


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
# Charts


def bar_chart(bars: Sequence[Bar], *, title: str, lang: str, unit: str = "") -> Markup:
    """Vertical bars, the value above each and the category under it; y from 0 to the maximum.

    Empty input, or only zeros, gives the title and a centred "no data" text.
    """
    svg.words(lang)
    if not bars or all(b.value == 0 for b in bars):
        return svg.no_data("bar", title, lang)
    top = svg.TITLE_H + 18  # room for the value above the tallest bar
    plot_h = 180.0
    base = top + plot_h
    slot = svg.WIDTH / len(bars)
    bar_w = min(slot * 0.7, 72.0)
    scale = max(max(b.value for b in bars), 1.0)
    body: list[str] = []
    for i, b in enumerate(bars):
        h = plot_h * b.value / scale
        x = slot * i + (slot - bar_w) / 2
        value = svg.with_unit(svg.num(b.value, lang), unit, lang)
        fill = svg.class_fill(b.css, svg.HEAD)
        body.append(
            '<g class="bar-group">'
            + svg.rect(x, base - h, bar_w, h, css=f"bar {b.css}", fill=fill)
            + f"><title>{svg.esc(b.label)}: {svg.esc(value)}</title></rect>"
            + svg.text(x + bar_w / 2, base - h - 5, value, css="value", size=11, anchor="middle")
            + "</g>"
        )
    body.append(
        f'<line class="axis" x1="0" y1="{svg.coord(base)}" x2="{svg.WIDTH}" y2="{svg.coord(base)}"'
        f' stroke="{svg.MUTED}" stroke-width="1"/>'
    )
    body.extend(svg.category_labels([b.label for b in bars], slot, base + 15))
    return svg.frame("bar", title, base + 15 + 13 + 8, body)


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
        segments.append(f"M{svg.coord(x0)} {svg.coord(y0)}L{svg.coord(x1)} {svg.coord(y1)}")
        k += step
    return (
        f'<path class="hatch" d="{"".join(segments)}" stroke="{svg.LINE}" stroke-width="1"'
        ' fill="none"/>'
    )


def _track_x(percent: float) -> float:
    return _TRACK_X + _TRACK_W * min(max(percent, 0.0), 100.0) / 100


def kpi_chart(items: Sequence[KpiBar], *, title: str, lang: str) -> Markup:
    """One horizontal 0–100 % track per KPI, with its target marker and last year's bar.

    The label is on the left (shortened to about 40 characters; the row's <title> keeps it
    whole), the value on the right; a legend at the bottom names the marks used.
    """
    words = svg.words(lang)
    if not items:
        return svg.no_data("kpi", title, lang)
    body: list[str] = []
    bar_h = 14.0
    for i, item in enumerate(items):
        y = svg.TITLE_H + 6 + _ROW_H * i
        value_text = DASH if item.value is None else svg.pct(item.value, lang)
        tip = f"{item.label}: {value_text} ({words['target']} {svg.pct(item.target, lang)})"
        if item.previous is not None:
            tip += f"; {words['previous']}: {svg.pct(item.previous, lang)}"
        row = [
            f'<g class="kpi-row"><title>{svg.esc(tip)}</title>',
            svg.text(0, y + bar_h - 3, svg.truncate(item.label, _KPI_LABEL_CHARS), css="label"),
            svg.rect(_TRACK_X, y, _TRACK_W, bar_h, css="track", fill=svg.TRACK)
            + f' stroke="{svg.LINE}" stroke-width="0.5"/>',
        ]
        if item.value is None:
            row.append(_hatch(_TRACK_X, y, _TRACK_W, bar_h))
        else:
            if item.met is None:
                state, fill = "neutral", svg.NEUTRAL
            else:
                state, fill = ("pass", svg.GREEN) if item.met else ("fail", svg.RED)
            row.append(
                svg.rect(
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
                svg.rect(
                    _TRACK_X,
                    y + bar_h + 2,
                    _track_x(item.previous) - _TRACK_X,
                    4,
                    css="bar-prev",
                    fill=svg.PREV,
                )
                + "/>"
            )
        tx = _track_x(item.target)
        row.append(
            f'<line class="bar-target" x1="{svg.coord(tx)}" y1="{svg.coord(y - 3)}"'
            f' x2="{svg.coord(tx)}" y2="{svg.coord(y + bar_h + 7)}" stroke="{svg.INK}"'
            ' stroke-width="2"/>'
        )
        row.append(
            svg.text(
                svg.WIDTH,
                y + bar_h - 3,
                value_text,
                css="value",
                anchor="end",
                fill=svg.MUTED if item.value is None else svg.INK,
            )
        )
        row.append("</g>")
        body.append("".join(row))
    entries = [
        (
            f'<line class="bar-target" x1="7" y1="0" x2="7" y2="12" stroke="{svg.INK}"'
            ' stroke-width="2"/>',
            words["target"],
        ),
    ]
    if any(i.previous is not None for i in items):
        entries.append(
            (svg.rect(0, 4, 14, 4, css="swatch bar-prev", fill=svg.PREV) + "/>", words["previous"])
        )
    # Colour alone must not carry meaning (greyscale print, colour blindness): name it.
    if any(i.met is True and i.value is not None for i in items):
        swatch = svg.rect(0, 0, 14, 12, css="swatch pass", fill=svg.GREEN) + "/>"
        entries.append((swatch, words["met"]))
    if any(i.met is False and i.value is not None for i in items):
        swatch = svg.rect(0, 0, 14, 12, css="swatch fail", fill=svg.RED) + "/>"
        entries.append((swatch, words["unmet"]))
    legend, end = svg.legend(entries, svg.TITLE_H + 6 + _ROW_H * len(items) + 4)
    body.append('<g class="legend">' + "".join(legend) + "</g>")
    return svg.frame("kpi", title, end + 4, body)


def grouped_bar_chart(
    categories: Sequence[str], series: Sequence[Series], *, title: str, lang: str
) -> Markup:
    """Side-by-side bars per category, one per series (e.g. last year and this year).

    Raises ValueError when a series does not have exactly one value per category.
    """
    svg.words(lang)
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(
                f"series {s.name!r} has {len(s.values)} values for {len(categories)} categories"
            )
    if not categories or not series or all(v == 0 for s in series for v in s.values):
        return svg.no_data("grouped", title, lang)
    top = svg.TITLE_H + 16
    plot_h = 180.0
    base = top + plot_h
    slot = svg.WIDTH / len(categories)
    group_w = min(slot * 0.8, 40.0 * len(series))
    bar_w = group_w / len(series)
    scale = max(max(v for s in series for v in s.values), 1.0)
    fills = svg.fills([s.css for s in series])
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
            value = svg.num(v, lang)
            group.append(
                svg.rect(
                    x + inset,
                    base - h,
                    bar_w - 2 * inset,
                    h,
                    css=f"bar series-{j + 1} {s.css}",
                    fill=fills[j],
                )
                + f"><title>{svg.esc(s.name)} — {svg.esc(category)}: "
                f"{svg.esc(value)}</title></rect>"
            )
            if show_values:
                group.append(
                    svg.text(
                        x + bar_w / 2, base - h - 4, value, css="value", size=10, anchor="middle"
                    )
                )
        group.append("</g>")
        body.append("".join(group))
    body.append(
        f'<line class="axis" x1="0" y1="{svg.coord(base)}" x2="{svg.WIDTH}" y2="{svg.coord(base)}"'
        f' stroke="{svg.MUTED}" stroke-width="1"/>'
    )
    body.extend(svg.category_labels(categories, slot, base + 15))
    entries = [
        (svg.rect(0, 0, 14, 12, css=f"swatch series-{j + 1} {s.css}", fill=fills[j]) + "/>", s.name)
        for j, s in enumerate(series)
    ]
    legend, end = svg.legend(entries, base + 15 + 13 + 10)
    body.append('<g class="legend">' + "".join(legend) + "</g>")
    return svg.frame("grouped", title, end + 4, body)


def stacked_bar(parts: Sequence[Bar], *, title: str, lang: str) -> Markup:
    """One horizontal 100 % bar split in proportion to the parts, with a legend below giving
    "label: value (share %)" for each part; a zero total gives a "no data" text."""
    svg.words(lang)
    total = sum(p.value for p in parts)
    if total <= 0:
        return svg.no_data("stacked", title, lang)
    y = svg.TITLE_H + 4
    bar_h = 26.0
    fills = svg.fills([p.css for p in parts])
    body: list[str] = []
    running = 0.0
    for i, p in enumerate(parts):
        # Edges come from the running sum, so rounding never leaves a gap or an overlap.
        start = round(svg.WIDTH * running / total, 1)
        running += p.value
        end = round(svg.WIDTH * running / total, 1)
        if p.value == 0:
            continue
        share = svg.pct(100 * p.value / total, lang)
        body.append(
            svg.rect(start, y, end - start, bar_h, css=f"bar part-{i + 1} {p.css}", fill=fills[i])
            # A white seam keeps neighbouring parts apart when printed in greyscale.
            + f' stroke="#fff" stroke-width="1">'
            f"<title>{svg.esc(p.label)}: {svg.esc(svg.num(p.value, lang))}"
            f" ({svg.esc(share)})</title></rect>"
        )
    row_y = y + bar_h + 12
    for i, p in enumerate(parts):
        share = svg.pct(100 * p.value / total, lang)
        text = f"{svg.truncate(p.label, 60)}: {svg.num(p.value, lang)} ({share})"
        body.append(
            f'<g class="legend-item" transform="translate(0 {svg.coord(row_y + 18 * i)})">'
            + svg.rect(0, 0, 14, 12, css=f"swatch part-{i + 1} {p.css}", fill=fills[i])
            + "/>"
            + svg.text(20, 10, text, css="label legend", size=12)
            + "</g>"
        )
    return svg.frame("stacked", title, row_y + 18 * len(parts) + 2, body)
