"""What an audit produces: facts with provenance, findings, per-system results, the run.

Plain frozen dataclasses (not pydantic models) because a large audit creates hundreds of
thousands of them; pydantic's TypeAdapter still serialises them to JSON in one pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# The version of the JSON results (auditor.report.json_doc). 1.1: systems[].observed (live
# probes); 1.2: register (Form 08 rows); 1.3: level bounds (systems[].level.upper, .undecided,
# criteria[].decisive); 2.0: the compact document — rule data in `catalog`, shared messages
# in `texts`, each owner's evidence once in `facts`, defaults left out (not readable by a 1.x
# reader; auditor.report.json_in reads 1.x and 2.x); 2.2: trust anchor files in `run.inputs`
# (kind `trust_anchor`) and `run.unused_inputs`.
SCHEMA_VERSION = "2.2"


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    MANUAL = "manual"  # needs a person's attestation or evidence
    NOT_APPLICABLE = "not_applicable"
    ERROR = "error"  # the check could not run; the reason says why
    WAIVED = "waived"  # a valid waiver covers a non-passing measured result


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {
    Severity.INFO: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}

# Weights used by the score. Info findings inform and do not move the score.
SEVERITY_WEIGHT = {
    Severity.CRITICAL: 10,
    Severity.HIGH: 5,
    Severity.MEDIUM: 3,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


class Obligation(StrEnum):
    MANDATORY = "mandatory"  # bắt buộc
    REINFORCEMENT = "reinforcement"  # tăng cường
    ADVISORY = "advisory"  # khuyến nghị: never fails a gate, not scored


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a fact came from: a file and line, inherited defaults, the engine, or a probe."""

    source: str  # "declared" | "inherited" | "derived" | "observed"
    file: str | None = None
    line: int | None = None
    via: str | None = None  # e.g. "agency defaults (so-y-te)" or the probe name

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.file and self.line else (self.file or "")
        return " · ".join(p for p in (self.source, where, self.via) if p)


@dataclass(frozen=True, slots=True)
class Fact:
    key: str
    value: Any
    origin: Origin
    error: str | None = None  # an observation that failed: the reason


NOT_DECLARED = Origin(source="not_declared")


@dataclass(frozen=True, slots=True)
class Evidence:
    """A fact a finding looked at, its value, and where that value came from."""

    fact: str
    value: Any
    origin: Origin = NOT_DECLARED


@dataclass(frozen=True, slots=True)
class Text2:
    """Bilingual message attached to a finding (vi first)."""

    vi: str
    en: str


@dataclass(frozen=True, slots=True)
class WaiverNote:
    reason: str
    approver: str
    decision: str
    expires: dt.date
    expired: bool
    not_yet_decided: bool = False  # its decision is dated after the audit date: not in force


@dataclass(frozen=True, slots=True)
class Finding:
    id: str  # stable: rule + system/agency + subject
    rule_id: str
    subject: str | None
    status: Status
    measured_status: Status  # what the check measured, before any waiver
    severity: Severity
    obligation: Obligation
    group: str
    message: Text2
    evidence: tuple[Evidence, ...] = ()
    waiver: WaiverNote | None = None
    gate: bool = False


@dataclass(frozen=True, slots=True)
class Score:
    """Weighted share of applicable requirements met; explained by its inputs."""

    value: float | None  # 0-100, None when nothing applicable
    earned: int
    possible: int


@dataclass(frozen=True, slots=True)
class StatusCounts:
    passed: int = 0
    failed: int = 0
    manual: int = 0
    not_applicable: int = 0
    error: int = 0
    waived: int = 0


@dataclass(frozen=True, slots=True)
class FiredCriterionOut:
    id: str
    level: int
    reference: str
    component: str | None
    decisive: bool = True  # sets the level; False: holds, but a higher criterion decides


@dataclass(frozen=True, slots=True)
class OpenCriterionOut:
    """A criterion that could raise the level, depending on undeclared facts."""

    id: str
    level: int
    reference: str
    component: str | None
    unknown: tuple[str, ...]  # the classification facts to declare


@dataclass(frozen=True, slots=True)
class LevelResult:
    declared: int | None
    approved: int | None
    computed: dict[str, int]  # regime -> minimum level the declared facts prove
    criteria: dict[str, tuple[FiredCriterionOut, ...]]  # regime -> proven criteria
    governing_regime: str
    regime_reason: Text2
    effective: int  # the level whose requirements are applied: max(declared, computed)
    # regime -> the highest level undeclared facts could still give (= computed when proven)
    upper: dict[str, int] = field(default_factory=dict)
    # regime -> the criteria above `computed` that undeclared facts decide
    undecided: dict[str, tuple[OpenCriterionOut, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Summary:
    counts: StatusCounts
    score: Score
    score_without_waivers: Score
    by_severity: dict[str, int]  # open (fail/error), non-advisory findings per severity
    expired_waivers: int
    gate_blocked: bool = False


@dataclass(frozen=True, slots=True)
class ObservedRecord:
    """What a live probe saw of one subject (a TLS connection, a certificate, an endpoint).

    `values` are plain JSON values keyed as the rules read them; `errors` maps a key (or ""
    for the whole record) to the reason it could not be observed.
    """

    collection: str  # "tls" | "certs" | "endpoints"
    subject: str
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)


# -- register entries (Decree 331 Form 08): declarations copied from the inventory ----------


@dataclass(frozen=True, slots=True)
class DocumentNote:
    """A document as Form 08 cites it: number, date and issuing body."""

    number: str
    date: dt.date
    body: str | None = None


@dataclass(frozen=True, slots=True)
class Inspection:
    """An inspection or assessment done on the system (Form 08 "kiểm tra, đánh giá")."""

    date: dt.date
    result: str  # AssessmentResult value: pass | fail | conditional


@dataclass(frozen=True, slots=True)
class SystemRegister:
    owner: str | None
    operator: str | None
    proposed_level: int | None  # cấp độ đề xuất (the declared level)
    dossier_status: str | None  # DossierStatus value; None: no dossier declared
    decision: DocumentNote | None  # quyết định phê duyệt cấp độ
    expected_approval: dt.date | None
    security_regulation: DocumentNote | None  # quy chế bảo đảm ATTT
    plan_deployment: str | None  # Deployment value; None: no plan declared
    full_deployment_expected: dt.date | None
    pre_operation: Inspection | None  # trước khi đưa vào sử dụng
    periodic: Inspection | None  # định kỳ: the latest independent assessment or pentest
    national_security_critical: bool = False
    retired: dt.date | None = None  # ngày dừng vận hành (lifecycle: retired); None: not declared


@dataclass(frozen=True, slots=True)
class CardNote:
    """A body as Form 08 section 2 describes it; None: not declared (printed as a blank)."""

    name: str | None = None
    mandate: DocumentNote | None = None  # quy định chức năng, nhiệm vụ, quyền hạn
    representative: str | None = None
    position: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class SignerNote:
    name: str | None = None
    position: str | None = None
    authority: str | None = None  # e.g. "KT. CHỦ TỊCH"


@dataclass(frozen=True, slots=True)
class LetterNote:
    """The covering letter of the annual report as the inventory sets it."""

    recipient: str
    parent: str | None = None
    header: str | None = None
    number: str | None = None
    place: str | None = None
    signer: SignerNote | None = None
    copies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BodyRegister:
    """An agency's or the organisation's own figures for the headline counts."""

    security_unit: str | None
    security_staff: int | None  # cán bộ chuyên trách/phụ trách ATTT
    trained: int | None  # of whom trained
    owner: CardNote | None = None  # Form 08 section 2 a): declared by this body itself
    unit: CardNote | None = None  # Form 08 section 2 b)
    letter: LetterNote | None = None  # the organisation's covering letter
    # (earned, possible) of the body's own findings (not its systems'): with its systems'
    # points it gives the body's score exactly as `auditor audit` computes it. None: recorded
    # before auditor kept it.
    own_points: tuple[int, int] | None = None


class AttestationStatus(StrEnum):
    """An attestation at the audit date: read by a rule (and then valid, lapsed or not yet
    effective), or not read by any rule (`unused`, with the reason)."""

    VALID = "valid"
    LAPSED = "lapsed"
    NOT_YET_EFFECTIVE = "not_yet_effective"
    UNUSED = "unused"


@dataclass(frozen=True, slots=True)
class AttestationRecord:
    """One attestation the inventory declares for a system, an agency or the organisation.

    `valid_until` is the declared end, or for a used attestation the end its rule sets (the
    effective date plus the rule's validity at the subject's level); `used_by` lists the
    findings of the rules that read it; `reason` says why an unused one is not read.
    """

    rule: str  # the rule id (or attestation topic) it names
    document: DocumentNote
    attested_by: str
    effective: dt.date
    valid_until: dt.date | None
    status: AttestationStatus
    used_by: tuple[str, ...] = ()
    reason: Text2 | None = None
    subject: str | None = None
    origin: Origin = NOT_DECLARED


@dataclass(frozen=True, slots=True)
class SystemResult:
    id: str
    name: str
    agency: str
    lifecycle: str
    system_type: str
    level: LevelResult
    findings: tuple[Finding, ...]
    summary: Summary
    observed: tuple[ObservedRecord, ...] = ()
    register: SystemRegister | None = None  # its Form 08 row (schema 1.2)
    attestations: tuple[AttestationRecord, ...] = ()  # every one declared, used or not


@dataclass(frozen=True, slots=True)
class BodyResult:
    """An agency or the organisation: its own findings plus the roll-up of its systems."""

    id: str
    name: str
    kind: str  # "agency" | "organisation"
    findings: tuple[Finding, ...]
    summary: Summary
    systems: tuple[str, ...] = ()
    register: BodyRegister | None = None  # staff figures for Form 08 (schema 1.2)
    attestations: tuple[AttestationRecord, ...] = ()  # its own, used or not


@dataclass(frozen=True, slots=True)
class InputFile:
    path: str
    kind: str  # "inventory" | "checklist" | "trust_anchor" | "crl_file" (schema 2.2)
    sha256: str


@dataclass(frozen=True, slots=True)
class UnusedInput:
    """An input the user named that no verdict rests on (schema 2.2), e.g. a DNSSEC trust
    anchor whose zones cover no endpoint name; `origin` is where the inventory names it
    (NOT_DECLARED for a command-line option)."""

    path: str
    kind: str  # "trust_anchor" | "crl_file"
    reason: Text2
    origin: Origin = NOT_DECLARED


@dataclass(frozen=True, slots=True)
class RunInfo:
    as_of: dt.date
    tool_version: str
    lang: str
    inputs: tuple[InputFile, ...]
    live: bool = False
    rules: int = 0
    score_method: Text2 | None = None
    observed_at: str | None = None  # when the live probes ran (UTC, ISO 8601); None offline
    unused_inputs: tuple[UnusedInput, ...] = ()  # schema 2.2


@dataclass(frozen=True, slots=True)
class AuditRun:
    schema_version: str
    run: RunInfo
    organisation: BodyResult
    agencies: tuple[BodyResult, ...]
    systems: tuple[SystemResult, ...]
    summary: Summary
    extra: dict[str, Any] = field(default_factory=dict)
