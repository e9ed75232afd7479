"""The annual report's figures: the data period, and the frozen `AnnualFigures` that the HTML,
PDF, XLSX and CSV exports all lay out (built by `report/annual/build.py`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from auditor.model.results import BodyRegister, SystemRegister
from auditor.report.annual.kpis import KpiDef, KpiStatus
from auditor.store.rows import RunRow

LEVELS = (1, 2, 3, 4, 5)
SEVERITIES = ("critical", "high", "medium", "low", "info")
DOSSIER_STATUSES = ("draft", "submitted", "appraised", "approved")
DEPLOYMENTS = ("none", "partial", "full")
TOP_GAPS = 15


@dataclass(frozen=True, slots=True)
class Period:
    """The data period of an annual report and its reporting deadline."""

    year: int
    since: dt.date
    until: dt.date
    due: dt.date  # the owner reports before this date
    statutory: bool  # 15/12 of the previous year to 14/12 (Decree 331 Art. 35)

    def previous(self) -> Period:
        """The same span one year earlier (the trend compares against it)."""
        return Period(
            self.year - 1,
            _year_earlier(self.since),
            _year_earlier(self.until),
            _year_earlier(self.due),
            self.statutory,
        )


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def statutory_period(year: int) -> Period:
    """15/12 of `year - 1` to 14/12 of `year`; owners report before 25/12 (ND 331 Art. 35)."""
    return Period(
        year, dt.date(year - 1, 12, 15), dt.date(year, 12, 14), dt.date(year, 12, 25), True
    )


def custom_period(year: int, since: dt.date, until: dt.date) -> Period:
    if since > until:
        raise ValueError(f"the period starts ({since}) after it ends ({until})")
    return Period(year, since, until, dt.date(year, 12, 25), False)


@dataclass(frozen=True, slots=True)
class SystemLine:
    """One system of the report: Form 08 row, level, score and its indicators."""

    agency_id: str
    system_id: str
    name: str
    lifecycle: str
    system_type: str
    effective_level: int
    declared_level: int | None
    computed_level: int | None  # by the governing regime's criteria
    governing_regime: str
    register: SystemRegister | None  # None: recorded before auditor kept Form 08 rows
    audited_on: dt.date
    run_id: int
    live: bool  # whether that audit ran the live probes
    score: float | None
    points: tuple[int, int]
    open_by_severity: dict[str, int]
    kpis: dict[str, KpiStatus]  # indicator id -> status (system-based indicators only)
    expired_certificates: int
    periodic_in_period: bool  # an inspection dated within the period


@dataclass(frozen=True, slots=True)
class KpiValue:
    kpi: KpiDef
    target: float
    value: float | None  # per cent (share, staff) or a number (count); None: nothing measured
    met: int  # systems (or people) meeting it
    applicable: int  # systems (or people) it applies to; for "count", certificates observed
    not_met: int = 0
    unverified: int = 0
    achieved: bool | None = None  # the target reached; None when nothing could be measured
    previous: float | None = None  # last year's value
    basis: str = ""  # the legal basis: its rules' references (or the indicator's own)


@dataclass(frozen=True, slots=True)
class Headline:
    """The headline counts of Form 08."""

    systems: int
    classified: int  # with a proposed level
    no_dossier: int
    dossier: dict[str, int]  # status -> systems (draft, submitted, appraised, approved)
    with_regulation: int
    plan: dict[str, int]  # deployment -> systems; "undeclared" too
    inspected_pre_operation: int
    inspected_periodic: int  # an inspection dated within the period
    expected_completion: int  # not yet approved, with an expected approval date
    national_security: int
    not_recorded: int  # systems whose last audit predates Form 08 rows in the store


@dataclass(frozen=True, slots=True)
class AgencyLine:
    agency_id: str
    name: str
    systems: int
    score: float | None
    points: tuple[int, int]
    kpi_met: dict[str, tuple[int, int]]  # indicator id -> (met, applicable)
    open_critical_high: int
    by_level: dict[int, int]
    staff: BodyRegister | None
    rank: int = 0


@dataclass(frozen=True, slots=True)
class Gap:
    rule_id: str
    systems: int  # systems with a failed finding of the rule
    severity: str  # the highest severity seen
    group: str
    example_run: int  # where one failed finding of the highest severity is
    example_system: str
    message_vi: str = ""  # that finding's message, filled in by whoever can read it
    message_en: str = ""


@dataclass(frozen=True, slots=True)
class CertificateHealth:
    observed: int  # certificates seen by a live probe or read from a file
    healthy: int
    expired: int
    expiring: int
    untrusted: int
    weak: int
    systems_unobserved: int  # systems whose last audit was not live


@dataclass(frozen=True, slots=True)
class AnnualFigures:
    organisation: str
    organisation_name: str
    period: Period
    runs: tuple[RunRow, ...]  # the runs of the period, newest first
    systems: tuple[SystemLine, ...]  # by agency, then system id
    agencies: tuple[AgencyLine, ...]  # ranked
    headline: Headline
    kpis: tuple[KpiValue, ...]
    layers: tuple[KpiValue, ...]
    ipv6: tuple[KpiValue, ...]
    assessments: tuple[KpiValue, ...]
    certificates: CertificateHealth
    by_level: dict[int, int]
    by_regime: dict[str, int]
    open_by_severity: dict[str, int]
    open_by_group: dict[str, int]
    gaps: tuple[Gap, ...]
    score: float | None
    points: tuple[int, int]
    staff: tuple[int, int] | None  # (trained, security staff) over every body that declares it
    live_systems: int  # systems whose last audit ran the live probes
    previous: AnnualFigures | None = field(default=None)
