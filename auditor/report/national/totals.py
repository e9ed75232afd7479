"""Adding provinces' annual figures into the country's: Form 08 counts are sums, an indicator
is the sum of what each province measured (met over applicable), never an average of
percentages, so a province of 2,000 systems weighs what its systems weigh."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence

from auditor.report.annual.figures import CertificateHealth, Headline, KpiValue
from auditor.report.annual.kpis import KpiDef


def achieved(kind: str, value: float | None, target: float) -> bool | None:
    """An indicator's value against its target: a share at least it, a count at most it."""
    if value is None:
        return None
    return value <= target if kind == "count" else value >= target


def retarget(value: KpiValue, target: float) -> KpiValue:
    """A province's indicator measured against the national target instead of its own."""
    return dataclasses.replace(
        value, target=target, achieved=achieved(value.kpi.kind, value.value, target),
        previous=None,
    )


def combine(kpi: KpiDef, target: float, values: Sequence[KpiValue]) -> KpiValue:
    """One indicator over several provinces, from their counts."""
    met = sum(v.met for v in values)
    applicable = sum(v.applicable for v in values)
    not_met = sum(v.not_met for v in values)
    unverified = sum(v.unverified for v in values)
    value: float | None
    if applicable == 0:
        value = None
    elif kpi.kind == "count":
        value = float(not_met)  # expired certificates among those observed
    else:
        value = 100 * met / applicable
    basis = next((v.basis for v in values if v.basis), "")
    return KpiValue(
        kpi, target, value, met, applicable, not_met, unverified,
        achieved=achieved(kpi.kind, value, target), basis=basis,
    )  # fmt: skip


def sum_counts(dicts: Iterable[dict[str, int]]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for counts in dicts:
        total.update(counts)
    return dict(total)


def sum_headlines(headlines: Sequence[Headline]) -> Headline:
    """Form 08 section 1 for several provinces: every count added; the expected completion is
    the latest any province expects."""
    expected = [h.expected_completion for h in headlines if h.expected_completion is not None]
    return Headline(
        systems=sum(h.systems for h in headlines),
        classified=sum(h.classified for h in headlines),
        type_unknown=sum(h.type_unknown for h in headlines),
        no_dossier=sum(h.no_dossier for h in headlines),
        dossier=sum_counts(h.dossier for h in headlines),
        built=sum(h.built for h in headlines),
        appraised=sum(h.appraised for h in headlines),
        approved=sum(h.approved for h in headlines),
        with_regulation=sum(h.with_regulation for h in headlines),
        plan=sum_counts(h.plan for h in headlines),
        inspected_pre_operation=sum(h.inspected_pre_operation for h in headlines),
        periodic=sum_counts(h.periodic for h in headlines),
        expected_completion=max(expected, default=None),
        expected_missing=sum(h.expected_missing for h in headlines),
        national_security=sum(h.national_security for h in headlines),
        not_recorded=sum(h.not_recorded for h in headlines),
        retired_before=sum(h.retired_before for h in headlines),
        retired_undated=sum(h.retired_undated for h in headlines),
    )


def sum_certificates(values: Sequence[CertificateHealth]) -> CertificateHealth:
    return CertificateHealth(
        observed=sum(c.observed for c in values),
        healthy=sum(c.healthy for c in values),
        expired=sum(c.expired for c in values),
        expiring=sum(c.expiring for c in values),
        untrusted=sum(c.untrusted for c in values),
        weak=sum(c.weak for c in values),
        systems_unobserved=sum(c.systems_unobserved for c in values),
    )
