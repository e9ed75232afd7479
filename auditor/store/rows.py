"""What the history store gives back: plain frozen rows, one per run, agency, system, finding."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from auditor.model.results import (
    BodyRegister,
    InputFile,
    Obligation,
    OpenCriterionOut,
    Severity,
    Status,
    SystemRegister,
    WaiverNote,
)

# (earned, possible): the points a score was computed from; adding them over systems taken
# from different runs gives the score of the whole (what the annual report does).
Points = tuple[int, int]


@dataclass(frozen=True, slots=True)
class RunRow:
    id: int
    recorded_at: str  # ISO 8601 UTC, e.g. 2026-11-24T08:30:00Z
    as_of: dt.date
    inventory: str  # the label given when recording (the inventory path(s))
    organisation: str  # id
    organisation_name: str
    tool_version: str
    schema_version: str  # of the JSON results the run corresponds to
    live: bool
    systems: int
    findings: int  # every finding recorded: systems', agencies' and the organisation's
    counts: dict[str, int]  # status value ("pass", "fail", ...) -> findings
    score: float | None
    score_without_waivers: float | None
    points: Points
    points_without_waivers: Points
    by_severity: dict[str, int]  # open (fail/error), non-advisory findings per severity
    expired_waivers: int
    gate_blocked: bool
    lang: str
    rules: int
    observed_at: str | None
    inputs: tuple[InputFile, ...]
    register: BodyRegister | None = None  # the organisation's own figures (NULL before 0002)


@dataclass(frozen=True, slots=True)
class AgencyRow:
    agency_id: str
    name: str
    systems: tuple[str, ...]
    counts: dict[str, int]  # the agency's own findings plus its systems'
    score: float | None
    score_without_waivers: float | None
    points: Points
    points_without_waivers: Points
    by_severity: dict[str, int]
    expired_waivers: int
    gate_blocked: bool
    register: BodyRegister | None = None  # the agency's own figures (NULL before 0002)


@dataclass(frozen=True, slots=True)
class SystemRow:
    system_id: str
    agency_id: str
    name: str
    lifecycle: str
    system_type: str
    declared: int | None
    approved: int | None
    effective: int
    computed: dict[str, int]  # regime -> minimum level
    governing_regime: str
    counts: dict[str, int]
    score: float | None
    score_without_waivers: float | None
    points: Points
    points_without_waivers: Points
    by_severity: dict[str, int]
    expired_waivers: int
    gate_blocked: bool
    criteria: dict[str, tuple[str, ...]]  # regime -> ids of the criteria that fired
    register: SystemRegister | None = None  # its Form 08 row (NULL before revision 0002)
    # regime -> how high undeclared facts could take the level; None: not recorded (before 0003)
    upper: dict[str, int] | None = None
    # regime -> the criteria above `computed` with the facts each waits for (None before 0003)
    undecided: dict[str, tuple[OpenCriterionOut, ...]] | None = None


@dataclass(frozen=True, slots=True)
class FindingRow:
    finding_id: str
    rule_id: str
    owner: str  # the id of the system, agency or organisation the finding is about
    owner_kind: str  # "system" | "agency" | "organisation"
    system_id: str | None  # None for agency and organisation findings
    agency_id: str | None  # the system's agency, or the agency; None for the organisation
    subject: str | None
    status: Status
    measured_status: Status
    severity: Severity
    group: str
    obligation: Obligation
    gate: bool
    message_vi: str
    message_en: str
    waiver: WaiverNote | None = None


@dataclass(frozen=True, slots=True)
class RunDetail:
    run: RunRow
    systems: tuple[SystemRow, ...]  # in the run's order
    findings: tuple[FindingRow, ...]  # organisation's, then agencies', then systems' (run order)
    agencies: tuple[AgencyRow, ...] = ()


@dataclass(frozen=True, slots=True)
class SystemSnapshot:
    """A system as the last run of a period that included it saw it."""

    run: RunRow
    system: SystemRow
    findings: tuple[FindingRow, ...]


@dataclass(frozen=True, slots=True)
class FindingBrief:
    """A finding without its messages or waiver: what counting reports need.

    The messages are most of a finding's bytes; reading a million findings without them
    is several times cheaper.
    """

    rule_id: str
    subject: str | None
    status: Status
    measured_status: Status
    severity: Severity
    group: str
    obligation: Obligation


@dataclass(frozen=True, slots=True)
class BriefSnapshot:
    """A system as the last run of a period saw it, with its findings in brief."""

    run: RunRow
    system: SystemRow
    findings: tuple[FindingBrief, ...]
