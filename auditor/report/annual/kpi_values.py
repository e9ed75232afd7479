"""An indicator's value from what it counts: a share of systems, of trained staff, or a count
of expired certificates, with whether it meets its target."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from auditor.report.annual.figures import CertificateHealth, KpiValue, SystemLine
from auditor.report.annual.kpis import KpiDef, KpiStatus


def share_value(kpi: KpiDef, target: float, lines: Sequence[SystemLine]) -> KpiValue:
    tally = Counter(line.kpis.get(kpi.id, KpiStatus.NOT_APPLICABLE) for line in lines)
    met, not_met, unverified = (
        tally[KpiStatus.MET],
        tally[KpiStatus.NOT_MET],
        tally[KpiStatus.UNVERIFIED],
    )
    applicable = met + not_met + unverified
    value = 100 * met / applicable if applicable else None
    return KpiValue(
        kpi,
        target,
        value,
        met,
        applicable,
        not_met,
        unverified,
        achieved=None if value is None else value >= target,
    )


def staff_value(kpi: KpiDef, target: float, staff: tuple[int, int] | None) -> KpiValue:
    if staff is None or staff[1] == 0:
        return KpiValue(kpi, target, None, 0, 0)
    trained, total = staff
    value = 100 * trained / total
    return KpiValue(
        kpi, target, value, trained, total, not_met=total - trained, achieved=value >= target
    )


def count_value(kpi: KpiDef, target: float, certificates: CertificateHealth) -> KpiValue:
    if certificates.observed == 0:
        return KpiValue(kpi, target, None, 0, 0)
    expired = certificates.expired
    return KpiValue(
        kpi,
        target,
        float(expired),
        certificates.observed - expired,
        certificates.observed,
        not_met=expired,
        achieved=expired <= target,
    )
