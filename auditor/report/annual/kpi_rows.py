"""The annual report's indicator rows and bars: a KpiValue in the page's language.

Shared by the page (auditor/report/annual/page.py) and the terminal table
(auditor/report/annual/terminal.py): the value, the target, the change since last year in
points, and whether the target is met, each formatted as the language writes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from auditor.report import filters
from auditor.report.annual.figures import KpiValue
from auditor.report.charts import KpiBar


@dataclass(frozen=True, slots=True)
class KpiRow:
    title: str
    basis: str
    rules: str
    target: str
    value: str
    met_of: str
    unverified: str
    achieved: str
    state: str  # "met" | "not_met" | "none": the row's colour
    previous: str
    change: str



def _value(kpi: KpiValue, lang: str) -> str:
    if kpi.kpi.kind == "count":
        return filters.DASH if kpi.value is None else filters.number(int(kpi.value), lang)
    return filters.percent_value(kpi.value, lang)


def _target(kpi: KpiValue, lang: str) -> str:
    if kpi.kpi.kind == "count":
        return f"≤ {filters.number(int(kpi.target), lang)}"
    return f"≥ {filters.percent_value(kpi.target, lang)}"


def change_since(now: float | None, before: float | None, lang: str, kind: str) -> str:
    if now is None or before is None:
        return filters.DASH
    delta = now - before
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    amount = abs(delta)
    if kind == "count":
        return f"{sign}{filters.number(round(amount), lang)}"
    points = filters.number(amount, lang, 1)
    return f"{sign}{points} " + ("điểm %" if lang == "vi" else "pp")


def kpi_row(kpi: KpiValue, lang: str, w: Mapping[str, str]) -> KpiRow:
    if kpi.achieved is None:
        achieved, state = w["no_measure"], "none"
    elif kpi.achieved:
        achieved, state = w["achieved_yes"], "met"
    else:
        achieved, state = w["achieved_no"], "not_met"
    previous = (
        filters.DASH
        if kpi.previous is None
        else (
            filters.number(int(kpi.previous), lang)
            if kpi.kpi.kind == "count"
            else filters.percent_value(kpi.previous, lang)
        )
    )
    return KpiRow(
        title=kpi.kpi.title_in(lang, w.get("vocabulary", "nd331") == "nd331"),
        basis=kpi.basis,
        rules=", ".join(kpi.kpi.rules),
        target=_target(kpi, lang),
        value=_value(kpi, lang),
        met_of=f"{filters.number(kpi.met, lang)} / {filters.number(kpi.applicable, lang)}",
        unverified=filters.number(kpi.unverified, lang),
        achieved=achieved,
        state=state,
        previous=previous,
        change=change_since(kpi.value, kpi.previous, lang, kpi.kpi.kind),
    )


def kpi_bars(values: Sequence[KpiValue], lang: str, nd331: bool = True) -> list[KpiBar]:
    bars = []
    for kpi in values:
        if kpi.kpi.kind == "count":
            continue  # a number of certificates, not a share: shown in the table only
        bars.append(
            KpiBar(
                label=kpi.kpi.title_in(lang, nd331),
                value=kpi.value,
                target=kpi.target,
                previous=kpi.previous,
                met=kpi.achieved,
            )
        )
    return bars
