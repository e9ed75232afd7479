"""The national figures from the provinces' counted submissions (pure: figures in, figures out).

Provinces are ranked as the annual report ranks agencies: by compliance score (points earned
over points possible, `scoring.total`), then fewer open critical and high findings, then id.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from auditor.model.targets import AnnualTargets
from auditor.report.annual.agency_lines import points_score
from auditor.report.annual.figures import LEVELS, SEVERITIES, AnnualFigures, KpiValue
from auditor.report.annual.kpis import ASSESSMENTS, IPV6, KPIS, LAYERS, KpiDef
from auditor.report.national.figures import (
    NationalFigures,
    Province,
    ProvinceLine,
    SubmissionInfo,
)
from auditor.report.national.totals import (
    combine,
    retarget,
    sum_certificates,
    sum_counts,
    sum_headlines,
)


@dataclass(frozen=True, slots=True)
class ProvinceInput:
    """A province's submissions of the year, the counted one first, and its figures."""

    province_id: str
    name: str
    listed: bool
    submissions: tuple[SubmissionInfo, ...]
    figures: AnnualFigures


def _targets(targets: AnnualTargets) -> dict[str, float]:
    """Each indicator id → its national target (the layers share the 4-layer target, the IPv6
    indicators the portals' one, periodic assessment 100 %, as in the province report)."""
    of = {key: float(value) for key, value in targets.model_dump().items()}
    out = {kpi.id: of[kpi.id] for kpi in KPIS}
    out.update({kpi.id: of["four_layer"] for kpi in LAYERS})
    out.update({kpi.id: of["ipv6_portals"] for kpi in IPV6})
    out.update({kpi.id: 100.0 for kpi in ASSESSMENTS})
    return out


def _values(figures: AnnualFigures) -> dict[str, KpiValue]:
    return {
        v.kpi.id: v
        for v in (*figures.kpis, *figures.layers, *figures.ipv6, *figures.assessments)
    }


def _combined(
    defs: Sequence[KpiDef],
    target_of: Mapping[str, float],
    provinces: Sequence[dict[str, KpiValue]],
    previous: Mapping[str, KpiValue],
) -> tuple[KpiValue, ...]:
    out = []
    for kpi in defs:
        value = combine(kpi, target_of[kpi.id], [p[kpi.id] for p in provinces if kpi.id in p])
        before = previous.get(kpi.id)
        out.append(dataclasses.replace(value, previous=before.value if before else None))
    return tuple(out)


def _line(item: ProvinceInput, target_of: Mapping[str, float]) -> ProvinceLine:
    figures = item.figures
    values = _values(figures)
    return ProvinceLine(
        province_id=item.province_id,
        name=item.name,
        listed=item.listed,
        submission=item.submissions[0],
        superseded=item.submissions[1:],
        figures=figures,
        kpis=tuple(retarget(values[k.id], target_of[k.id]) for k in KPIS if k.id in values),
        score=figures.score,
        points=figures.points,
        open_critical_high=figures.open_by_severity.get("critical", 0)
        + figures.open_by_severity.get("high", 0),
    )


def _ranked(
    lines: list[ProvinceLine], previous: NationalFigures | None
) -> tuple[ProvinceLine, ...]:
    before = {p.province_id: p.score for p in previous.provinces} if previous else {}
    lines.sort(
        key=lambda p: (p.score is None, -(p.score or 0.0), p.open_critical_high, p.province_id)
    )
    return tuple(
        dataclasses.replace(line, rank=rank, previous_score=before.get(line.province_id))
        for rank, line in enumerate(lines, start=1)
    )


def build_national(
    year: int,
    inputs: Sequence[ProvinceInput],
    provinces: Sequence[Province],
    list_source: str,
    targets: AnnualTargets,
    previous: NationalFigures | None = None,
) -> NationalFigures:
    target_of = _targets(targets)
    figures = [item.figures for item in inputs]
    values = [_values(f) for f in figures]
    before = (
        {v.kpi.id: v for v in (*previous.kpis, *previous.layers, *previous.ipv6,
                               *previous.assessments)}
        if previous is not None and previous.provinces
        else {}
    )  # fmt: skip
    submitted = {item.province_id for item in inputs}
    score, points = points_score(f.points for f in figures)
    staffs = [f.staff for f in figures if f.staff is not None]
    has_previous = previous is not None and bool(previous.provinces)
    return NationalFigures(
        year=year,
        provinces=_ranked([_line(item, target_of) for item in inputs], previous),
        missing=tuple(p for p in provinces if p.id not in submitted),
        listed=len(provinces),
        list_source=list_source,
        headline=sum_headlines([f.headline for f in figures]),
        kpis=_combined(KPIS, target_of, values, before),
        layers=_combined(LAYERS, target_of, values, before),
        ipv6=_combined(IPV6, target_of, values, before),
        assessments=_combined(ASSESSMENTS, target_of, values, before),
        certificates=sum_certificates([f.certificates for f in figures]),
        by_level={
            level: sum(f.by_level.get(level, 0) for f in figures) for level in LEVELS
        },
        by_regime=sum_counts(f.by_regime for f in figures),
        open_by_severity={
            s: sum(f.open_by_severity.get(s, 0) for f in figures) for s in SEVERITIES
        },
        score=score,
        points=points,
        staff=(sum(s[0] for s in staffs), sum(s[1] for s in staffs)) if staffs else None,
        previous_year=previous.year if has_previous and previous is not None else None,
        previous_score=previous.score if has_previous and previous is not None else None,
        previous_provinces=len(previous.provinces) if previous is not None else 0,
        previous_headline=previous.headline if has_previous and previous is not None else None,
    )
