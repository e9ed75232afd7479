"""The annual report's figures: the data period, and the frozen `AnnualFigures` that the HTML,
PDF, XLSX and CSV exports all lay out (built by `report/annual/build.py`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from auditor.model.results import BodyRegister, CardNote, LetterNote, SystemRegister
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
    # Form 08 "kiểm tra, đánh giá định kỳ theo quy định", at the period's cut-off: "on_cycle"
    # (the latest inspection is no older than the cycle of its regime and level), "late",
    # "undeclared" (no inspection declared), "no_cycle" (the rules set none for its level)
    periodic: str = "undeclared"
    periodic_lapses: dt.date | None = None  # the last day the latest inspection covers
    in_scope: bool = True  # False: retired before the period (not counted in Form 08)


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
    """The headline counts of Form 08 section 1, read as the form words them.

    Counts cover the systems in scope: a system retired before the period is left out
    (`retired_before`), one retired without a declared date is left out and shown apart
    (`retired_undated`). Dossier counts are cumulative, as the form's "has been built /
    appraised / approved" reads: an approved dossier has been appraised and built.
    """

    systems: int
    classified: int  # the system's type is determined (Decree 331 Art. 9.2; Form 08)
    type_unknown: int  # no type recorded
    no_dossier: int  # no dossier declared
    dossier: dict[str, int]  # current status -> systems (draft, submitted, appraised, approved)
    built: int  # submitted, appraised or approved: "đã xây dựng hồ sơ"
    appraised: int  # appraised or approved: "đã được thẩm định"
    approved: int  # "đã được phê duyệt cấp độ"
    with_regulation: int
    plan: dict[str, int]  # deployment -> systems; "undeclared" too
    inspected_pre_operation: int
    periodic: dict[str, int]  # approved systems by periodic status (SystemLine.periodic)
    expected_completion: dt.date | None  # the latest expected approval of those not approved
    expected_missing: int  # not approved, no expected approval date declared
    national_security: int
    not_recorded: int  # systems whose last audit predates Form 08 rows in the store
    retired_before: int = 0
    retired_undated: int = 0

    @property
    def inspected_periodic(self) -> int:
        """Approved systems inspected on the cycle their level requires (Form 08 line 6)."""
        return self.periodic.get("on_cycle", 0)


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
    kpis: tuple[KpiValue, ...] = ()  # the agency's own indicators against the targets


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
class Requirement:
    """One requirement (rule) across the systems it applied to (Decree 331 Art. 36.9-36.10):
    met in full, not met in full, or not verified; for those not met, when they are due."""

    rule_id: str
    group: str
    met: int
    not_met: int
    unverified: int
    due: dt.date | None  # the latest date a rule or a declaration gives to close the gap
    due_unknown: int  # systems not meeting it with no such date: the plan must give one
    overdue: bool = False  # the due date is a lapsed inspection cycle


@dataclass(frozen=True, slots=True)
class Owner:
    """Form 08 section 2: an owner with its specialised unit, and the agencies under it."""

    owner: CardNote | None
    unit: CardNote | None
    agencies: tuple[str, ...]  # ids of the agencies reporting under this owner ("" = own)


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
    # Decree 331 Art. 36.7: systems following their security regulation in operation
    regulation: KpiValue | None = None
    requirements: tuple[Requirement, ...] = ()  # Art. 36.9-36.10, by group then rule
    owners: tuple[Owner, ...] = ()  # Form 08 section 2
    letter: LetterNote | None = None  # the organisation's covering letter as declared
    retired: tuple[SystemLine, ...] = ()  # retired before the period, or undated: not counted
