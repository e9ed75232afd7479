"""The JSON results document, schema 2.x: its shape as types, and its JSON Schema.

2.1 adds, all optional and left out when not declared, what the annual report (Form 08)
reads from a run: a system's `register.retired` date, the organisation's and agencies'
section-2 cards (`register.owner`, `register.unit`), the covering letter
(`register.letter`) and each body's own points (`register.own_points`). A 2.0 file reads as
a 2.1 file without them.

2.2 adds the DNSSEC trust anchor files a live run read to `run.inputs` (kind `trust_anchor`,
with their SHA-256) and `run.unused_inputs` (left out when empty): each input no verdict
rests on, with the reason and where the inventory names it. A 2.1 file reads as a 2.2 file
without them.

Version 2.0 holds exactly what 1.x held (an `AuditRun`) in a fraction of the bytes: a large
province's results are mostly findings that repeat the same rule data, messages and evidence.

- `catalog` — per rule id, the severity, obligation, group and gate its findings have unless
  a finding states its own (a rule's severity may depend on the system's level);
- `texts` — every message that two or more findings share, once; a finding's `message` is
  either a position in `texts` or the message itself;
- each owner (the organisation, an agency, a system) lists the `facts` its findings looked
  at once, and a finding's `evidence` gives their positions;
- fields equal to their default are left out (the schema names each default): a finding's
  `id` when it is `RULE:OWNER[:SUBJECT]`, its `measured_status` when it equals `status`, a
  `subject`, `waiver`, fact `value` or `origin` that is not there, zero counts, …

Fields that may be null but have no default (e.g. `level.declared`) are always written.
The in-memory model (`auditor.model.results`) is unchanged: `auditor.report.json_out` writes
this shape from it and `auditor.report.json_in` reads it (and every 1.x shape) back into it.
These types serve the reader (validation) and `auditor schema --results`; the writer builds
the same shape from plain dicts, for speed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from auditor.model.results import (
    NOT_DECLARED,
    SCHEMA_VERSION,
    AttestationRecord,
    BodyRegister,
    LevelResult,
    Obligation,
    ObservedRecord,
    Origin,
    RunInfo,
    Severity,
    Status,
    Summary,
    SystemRegister,
    Text2,
    WaiverNote,
)

SCHEMA_MAJOR = "2"
Position = Annotated[int, Field(ge=0)]  # an index into a list of the document


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleDefaults:
    """What a finding of this rule has unless it states its own value."""

    severity: Severity
    obligation: Obligation
    group: str
    gate: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class FactOut:
    """A fact that findings of this owner looked at: its key, its value, where it came from."""

    fact: str
    value: Annotated[Any, Field(description="JSON value; absent: null (not declared)")] = None
    origin: Annotated[
        Origin, Field(description="absent: not declared ({'source': 'not_declared'})")
    ] = NOT_DECLARED


@dataclass(frozen=True, slots=True, kw_only=True)
class FindingOut:
    """One finding; an absent field takes the value its description names."""

    rule_id: str
    id: Annotated[
        str | None,
        Field(description="absent: RULE_ID:OWNER_ID, then :SUBJECT if the subject is not empty"),
    ] = None
    subject: str | None = None
    status: Status
    measured_status: Annotated[Status | None, Field(description="absent: = status")] = None
    severity: Annotated[Severity | None, Field(description="absent: catalog[rule_id]")] = None
    obligation: Annotated[
        Obligation | None, Field(description="absent: catalog[rule_id]")
    ] = None
    group: Annotated[str | None, Field(description="absent: catalog[rule_id]")] = None
    gate: Annotated[bool | None, Field(description="absent: catalog[rule_id]")] = None
    message: Annotated[
        Position | Text2,
        Field(description="a position in the document's `texts`, or the message itself"),
    ]
    evidence: Annotated[
        tuple[Position, ...], Field(description="positions in the owner's `facts`, in order")
    ] = ()
    waiver: WaiverNote | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BodyOut:
    """An agency or the organisation: its own findings; its summary rolls up its systems."""

    id: str
    name: str
    kind: str
    facts: tuple[FactOut, ...] = ()
    findings: tuple[FindingOut, ...] = ()
    summary: Summary
    systems: tuple[str, ...] = ()
    register: BodyRegister | None = None
    attestations: tuple[AttestationRecord, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SystemOut:
    id: str
    name: str
    agency: str
    lifecycle: str
    system_type: str
    level: LevelResult
    facts: tuple[FactOut, ...] = ()
    findings: tuple[FindingOut, ...] = ()
    summary: Summary
    observed: tuple[ObservedRecord, ...] = ()
    register: SystemRegister | None = None
    attestations: tuple[AttestationRecord, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultsDocument:
    """auditor's JSON results, schema 2.x (see auditor.report.json_doc)."""

    schema_version: Annotated[str, Field(pattern=r"^2\.\d+$")]
    run: RunInfo
    catalog: dict[str, RuleDefaults] = field(default_factory=dict)
    texts: tuple[Text2, ...] = ()
    organisation: BodyOut
    agencies: tuple[BodyOut, ...] = ()
    systems: tuple[SystemOut, ...] = ()
    summary: Summary
    extra: dict[str, Any] = field(default_factory=dict)


DOCUMENT: TypeAdapter[ResultsDocument] = TypeAdapter(ResultsDocument)


def results_schema() -> dict[str, Any]:
    """The JSON Schema of the results document (`auditor schema --results`)."""
    schema = DOCUMENT.json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"auditor JSON results, schema {SCHEMA_VERSION}"
    return schema
