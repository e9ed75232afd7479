"""The national report's view model: every number and word the page shows, in its language.

Built from `NationalFigures`; the template (templates/national.html.j2) only lays it out.
Indicator rows and bars are the annual report's (`kpi_row`, `kpi_bars`), the charts
`report/charts.py`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup

from auditor import __version__
from auditor.report import filters
from auditor.report.annual.figures import LEVELS, Headline
from auditor.report.annual.kpi_rows import KpiRow, change_since, kpi_bars, kpi_row
from auditor.report.annual.page import Row
from auditor.report.charts import Bar, Series, bar_chart, grouped_bar_chart, kpi_chart
from auditor.report.national.figures import NationalFigures, SubmissionInfo
from auditor.report.national.words import words

# Form 08 section 1 as columns: (word key, how a Headline gives it)
FORM08_COLUMNS: tuple[tuple[str, str], ...] = (
    ("c_systems", "systems"),
    ("c_classified", "classified"),
    ("c_built", "built"),
    ("c_appraised", "appraised"),
    ("c_approved", "approved"),
    ("c_regulation", "with_regulation"),
    ("c_plan_full", "plan_full"),
    ("c_pre_operation", "inspected_pre_operation"),
    ("c_periodic", "inspected_periodic"),
    ("c_national_security", "national_security"),
)


def form08_value(headline: Headline, field: str) -> int:
    if field == "plan_full":
        return headline.plan.get("full", 0)
    value: int = getattr(headline, field)
    return value


@dataclass(frozen=True, slots=True)
class Page:
    lang: str
    title: str
    tool_version: str
    year: str
    generated: str
    submitted: str
    systems: str
    score: str
    list_source: str
    form08_head: tuple[str, ...]
    form08_rows: tuple[Row, ...]
    form08_total: Row
    kpis: tuple[KpiRow, ...]
    layers: tuple[KpiRow, ...]
    ipv6: tuple[KpiRow, ...]
    assessments: tuple[KpiRow, ...]
    kpi_chart: Markup
    ranking: tuple[Row, ...]
    score_chart: Markup
    level_chart: Markup
    missing: tuple[str, ...]
    trends: tuple[Row, ...]
    submissions: tuple[Row, ...]


def _n(value: int, lang: str) -> str:
    return filters.number(value, lang)


def _moment(value: dt.datetime | None, lang: str) -> str:
    if value is None:
        return filters.DASH
    utc = value.astimezone(dt.UTC)
    return f"{filters.date(utc.date(), lang)} {utc:%H:%M} UTC"


SCORE_BANDS: tuple[float, ...] = (50.0, 70.0, 90.0)  # lower bounds of the upper bands


def score_bands(scores: Iterable[float | None]) -> tuple[float, ...]:
    """How many provinces score below 50, 50 to below 70, 70 to below 90, and 90 or more
    (a province without a score is in none)."""
    counts = [0.0] * (len(SCORE_BANDS) + 1)
    for score in scores:
        if score is not None:
            counts[sum(1 for bound in SCORE_BANDS if score >= bound)] += 1
    return tuple(counts)


def band_labels(lang: str) -> tuple[str, ...]:
    n = [filters.number(int(b), lang) for b in SCORE_BANDS]
    return (f"< {n[0]}", *(f"{a}–{b}" for a, b in pairwise(n)), f"≥ {n[-1]}")


def _score_change(now: float | None, before: float | None, lang: str) -> str:
    """A score's change in points of score ("+2,5")."""
    if now is None or before is None:
        return filters.DASH
    delta = now - before
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    return f"{sign}{filters.number(abs(delta), lang, 1)}"


def _trends(f: NationalFigures, lang: str, w: Mapping[str, str]) -> tuple[Row, ...]:
    before = f.previous_headline
    if before is None:
        return ()
    rows = [
        Row((w["national_score"], filters.score(f.score, lang),
               filters.score(f.previous_score, lang),
               _score_change(f.score, f.previous_score, lang))),
        Row((w["submitted"], _n(len(f.provinces), lang), _n(f.previous_provinces, lang),
               change_since(len(f.provinces), f.previous_provinces, lang, "count"))),
    ]  # fmt: skip
    for key, field in FORM08_COLUMNS:
        now, then = form08_value(f.headline, field), form08_value(before, field)
        rows.append(
            Row((w[key], _n(now, lang), _n(then, lang), change_since(now, then, lang, "count")))
        )
    return tuple(rows)


def revocation_word(s: SubmissionInfo, w: Mapping[str, str]) -> str:
    """The signer's revocation as judged at import, in words (the page and the workbook say it
    alike). An older store's submission has none recorded: said so, not left blank."""
    return w.get(f"rev_{s.revocation or 'unrecorded'}", filters.DASH)


def _submission(s: SubmissionInfo, name: str, lang: str, w: Mapping[str, str]) -> Row:
    return Row(
        (name, s.file_name, s.sha256[:16], s.signer or filters.DASH, _moment(s.signed_at, lang),
         _moment(s.imported_at, lang), revocation_word(s, w),
         w["counted"] if s.counted else w["superseded"]),
        css="" if s.counted else "muted",
    )  # fmt: skip


def build_page(f: NationalFigures, lang: str, today: dt.date) -> Page:
    w = words(lang)
    by_name = sorted(f.provinces, key=lambda p: p.province_id)
    form08_rows = tuple(
        Row((p.name + ("" if p.listed else f" ({w['not_listed']})"),
               *(_n(form08_value(p.figures.headline, field), lang) for _, field in FORM08_COLUMNS)))
        for p in by_name
    )  # fmt: skip
    total = Row(
        (w["total"], *(_n(form08_value(f.headline, field), lang) for _, field in FORM08_COLUMNS)),
        css="total",
    )
    ranking = tuple(
        Row((_n(p.rank, lang), p.name, filters.score(p.score, lang),
               filters.score(p.previous_score, lang),
               _score_change(p.score, p.previous_score, lang),
               _n(p.figures.headline.systems, lang), _n(p.open_critical_high, lang),
               f"{_n(sum(1 for k in p.kpis if k.achieved), lang)} / {_n(len(p.kpis), lang)}"))
        for p in f.provinces
    )  # fmt: skip
    submissions = tuple(
        _submission(s, p.name, lang, w)
        for p in by_name
        for s in (p.submission, *p.superseded)
    )
    # 34 provinces are too many bars to label: the chart counts provinces per score band,
    # this year beside the same provinces a year earlier; the table gives each one's score.
    series = [Series(w["this_year"], score_bands(p.score for p in f.provinces))]
    if f.previous_year is not None:
        before = score_bands(p.previous_score for p in f.provinces)
        series.insert(0, Series(w["last_year"], before))
    return Page(
        lang=lang,
        title=w["title"],
        tool_version=__version__,
        year=str(f.year),
        generated=filters.date(today, lang),
        submitted=f"{_n(f.listed - len(f.missing), lang)} {w['of_listed']} {_n(f.listed, lang)}",
        systems=_n(f.headline.systems, lang),
        score=filters.score(f.score, lang),
        list_source=f.list_source,
        form08_head=(w["province"], *(w[key] for key, _ in FORM08_COLUMNS)),
        form08_rows=form08_rows,
        form08_total=total,
        kpis=tuple(kpi_row(k, lang, w) for k in f.kpis),
        layers=tuple(kpi_row(k, lang, w) for k in f.layers),
        ipv6=tuple(kpi_row(k, lang, w) for k in f.ipv6),
        assessments=tuple(kpi_row(k, lang, w) for k in f.assessments),
        kpi_chart=kpi_chart(kpi_bars(f.kpis, lang), title=w["s_kpis"], lang=lang),
        ranking=ranking,
        score_chart=grouped_bar_chart(
            band_labels(lang), series, title=w["s_scores"], lang=lang
        ),
        level_chart=bar_chart(
            [Bar(f"{w['level']} {level}", float(f.by_level.get(level, 0)), f"level-{level}")
             for level in LEVELS],
            title=w["s_levels"], lang=lang,
        ),
        missing=tuple(p.name for p in f.missing),
        trends=_trends(f, lang, w),
        submissions=submissions,
    )
