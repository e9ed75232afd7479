"""Each agency's line of the annual report: its systems, its score by the audit's own scoring
function (`scoring.total`, so the ranking and `auditor audit` give the same number), its
indicators against the province's targets, and its rank."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from auditor.model.results import BodyRegister
from auditor.report.annual.figures import AgencyLine, KpiValue, SystemLine
from auditor.report.annual.kpi_values import share_value, staff_value
from auditor.report.annual.kpis import KPIS, REGULATION, KpiStatus
from auditor.scoring import total
from auditor.store.rows import AgencyRow, RunRow


def points_score(points: Iterable[tuple[int, int]]) -> tuple[float | None, tuple[int, int]]:
    """The score of a whole, by the audit's own function (`scoring.total`)."""
    whole = total(points)
    return whole.value, (whole.earned, whole.possible)


def _own_points(row: AgencyRow, run: RunRow, own: Sequence[SystemLine]) -> tuple[int, int]:
    """The points of the agency's own findings (its security unit, budget, plans…).

    Recorded with the run since auditor keeps them; for an older run, what the agency's
    points hold beyond its systems' when all of those come from the same run; else none."""
    register = row.register
    if register is not None and register.own_points is not None:
        return register.own_points
    if own and all(line.run_id == run.id for line in own) and len(own) == len(row.systems):
        earned = row.points[0] - sum(line.points[0] for line in own)
        possible = row.points[1] - sum(line.points[1] for line in own)
        if earned >= 0 and possible >= 0:
            return (earned, possible)
    return (0, 0)


def _agency_kpis(
    own: Sequence[SystemLine], staff: BodyRegister | None, target_of: Mapping[str, float]
) -> tuple[KpiValue, ...]:
    """Each indicator for one agency against the province's target."""
    values: list[KpiValue] = []
    for kpi in KPIS:
        target = float(target_of[kpi.id])
        if kpi.kind == "share":
            values.append(share_value(kpi, target, own))
        elif kpi.kind == "staff":
            counted = (
                (staff.trained, staff.security_staff)
                if staff is not None
                and staff.trained is not None
                and staff.security_staff is not None
                else None
            )
            values.append(staff_value(kpi, target, counted))
    values.append(share_value(REGULATION, 100.0, own))
    return tuple(values)


def agency_lines(
    lines: Sequence[SystemLine],
    retired: Sequence[SystemLine],
    agencies: Sequence[tuple[RunRow, AgencyRow]],
    target_of: Mapping[str, float],
) -> tuple[AgencyLine, ...]:
    by_agency: dict[str, list[SystemLine]] = defaultdict(list)
    for line in lines:
        by_agency[line.agency_id].append(line)
    # A retired system is out of the Form 08 counts and indicators, but the audit scored its
    # findings: the score stays the audit's (one scoring, the same number in both places).
    scored: dict[str, list[SystemLine]] = defaultdict(list)
    for line in (*lines, *retired):
        scored[line.agency_id].append(line)
    rows = {row.agency_id: (run, row) for run, row in agencies}
    result: list[AgencyLine] = []
    for agency_id, own in by_agency.items():
        found = rows.get(agency_id)
        row = found[1] if found is not None else None
        every = scored[agency_id]
        own_points = _own_points(found[1], found[0], every) if found is not None else (0, 0)
        score, points = points_score([own_points, *(line.points for line in every)])
        kpi_met: dict[str, tuple[int, int]] = {}
        for kpi in KPIS:
            if kpi.kind != "share":
                continue
            statuses = [line.kpis.get(kpi.id, KpiStatus.NOT_APPLICABLE) for line in own]
            applicable = [s for s in statuses if s is not KpiStatus.NOT_APPLICABLE]
            kpi_met[kpi.id] = (sum(1 for s in applicable if s is KpiStatus.MET), len(applicable))
        staff = row.register if row is not None else None
        result.append(
            AgencyLine(
                agency_id=agency_id,
                name=row.name if row is not None else agency_id,
                systems=len(own),
                score=score,
                points=points,
                kpi_met=kpi_met,
                open_critical_high=sum(
                    line.open_by_severity.get("critical", 0) + line.open_by_severity.get("high", 0)
                    for line in own
                ),
                by_level=dict(Counter(line.effective_level for line in own)),
                staff=staff,
                kpis=_agency_kpis(own, staff, target_of),
            )
        )
    # Best first: score, then fewer open critical/high findings, then id for a stable order.
    result.sort(
        key=lambda a: (a.score is None, -(a.score or 0.0), a.open_critical_high, a.agency_id)
    )
    return tuple(_ranked(result))


def _ranked(agencies: list[AgencyLine]) -> Iterable[AgencyLine]:
    for position, agency in enumerate(agencies, start=1):
        yield dataclasses.replace(agency, rank=position)
