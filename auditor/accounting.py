"""Every attestation is accounted for: read by a rule, or reported with the reason it is not.

Pure. Which rules read which attestations is known from the catalog alone: a rule reads the
attestations of its topic (`attested.topic`, by default the rule's own id) when an `attested`
check sits anywhere in its check tree or its `applies_if`. After a subject (system, agency or
the organisation) is judged, each attestation it declares becomes an AttestationRecord: its
validity at the audit date and the findings that read it, or why no finding did (no such
rule; the rule is judged from other facts; the rule is judged for another kind of subject;
the rule does not apply at this level or regime, or did not apply to this subject).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from auditor.checks.context import nearest
from auditor.checks.kinds import (
    AllOf,
    AnyOf,
    Attested,
    Builtin,
    CheckSpec,
    Fired,
    ForEach,
    Not,
    RatioAtLeast,
    by_level,
)
from auditor.model.inventory import Regime
from auditor.model.results import (
    NOT_DECLARED,
    AttestationRecord,
    AttestationStatus,
    AuditRun,
    DocumentNote,
    Finding,
    Origin,
    Status,
    Text2,
    UnusedInput,
)
from auditor.rules import Catalog, Rule

_FACT_FIELDS = ("fact", "other", "since", "days_left", "override")
_KIND_VI = {"system": "hệ thống", "agency": "cơ quan", "organisation": "tổ chức (tỉnh/bộ)"}
_KIND_EN = {"system": "a system", "agency": "an agency", "organisation": "the organisation"}


def walk(check: CheckSpec) -> Iterator[CheckSpec]:
    """The check and every check inside it (any / all / not / for_each)."""
    yield check
    if isinstance(check, AllOf | AnyOf):
        for inner in check.checks:
            yield from walk(inner)
    elif isinstance(check, Not | ForEach):
        yield from walk(check.check)


def _checks(rule: Rule) -> Iterator[CheckSpec]:
    if rule.applies_if is not None:
        yield from walk(rule.applies_if)
    yield from walk(rule.check)


def judged_from(rule: Rule) -> tuple[str, ...]:
    """What a rule reads instead of attestations: fact keys, and builtin checks by name."""
    found: list[str] = []
    for check in _checks(rule):
        if isinstance(check, Builtin):
            found.append(f"builtin:{check.name}")
        elif isinstance(check, Fired):
            found.append("level.criteria")
        elif isinstance(check, RatioAtLeast):
            found.extend((check.numerator, check.denominator))
        for name in _FACT_FIELDS:
            value = getattr(check, name, None)
            if isinstance(value, str):
                found.append(value)
    return tuple(dict.fromkeys(found))


def _judged_from_text(rule: Rule) -> Text2:
    sources = judged_from(rule)
    facts = [s for s in sources if not s.startswith("builtin:")]
    builtins = [s.removeprefix("builtin:") for s in sources if s.startswith("builtin:")]
    vi = [", ".join(facts)] if facts else []
    en = [", ".join(facts)] if facts else []
    vi += [f"kiểm tra dựng sẵn '{name}'" for name in builtins]
    en += [f"the builtin check '{name}'" for name in builtins]
    return Text2(
        vi=f"{rule.id} được đánh giá từ {' và '.join(vi) or 'dữ liệu khác'}",
        en=f"{rule.id} is judged from {' and '.join(en) or 'other data'}",
    )


@dataclass(frozen=True)
class Reader:
    rule: Rule
    check: Attested


@dataclass(frozen=True)
class AttestationIndex:
    """Which rules read the attestations of each topic, built once per catalog."""

    readers: Mapping[str, tuple[Reader, ...]]
    rules: Mapping[str, Rule]

    @staticmethod
    def build(catalog: Catalog | Iterable[Rule]) -> AttestationIndex:
        readers: dict[str, list[Reader]] = {}
        rules: dict[str, Rule] = {}
        for rule in catalog:
            rules[rule.id] = rule
            for check in _checks(rule):
                if isinstance(check, Attested):
                    readers.setdefault(check.topic or rule.id, []).append(Reader(rule, check))
        return AttestationIndex({k: tuple(v) for k, v in readers.items()}, rules)


@dataclass(frozen=True)
class Judged:
    """What the engine did for one subject: its kind, level and regimes, and its findings."""

    kind: str  # "system" | "agency" | "organisation"
    level: int
    regimes: frozenset[Regime]
    findings: Sequence[Finding]
    by_rule: dict[str, list[Finding]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for finding in self.findings:
            self.by_rule.setdefault(finding.rule_id, []).append(finding)


def account(
    attestations: Sequence[Mapping[str, Any]],
    origins: Mapping[str, Origin],
    judged: Judged,
    index: AttestationIndex,
    as_of: dt.date,
) -> tuple[AttestationRecord, ...]:
    """Every attestation of one subject with its validity, or why it is not used."""
    return tuple(
        _record(item, nearest(origins, f"attestations.{position}"), judged, index, as_of)
        for position, item in enumerate(attestations)
    )


def _record(
    item: Mapping[str, Any],
    origin: Origin | None,
    judged: Judged,
    index: AttestationIndex,
    as_of: dt.date,
) -> AttestationRecord:
    topic = str(item["rule"])
    document = item["document"]
    effective: dt.date = item.get("effective") or document["date"]
    declared_until: dt.date | None = item.get("valid_until")
    used: list[str] = []
    validity: int | None = None
    reasons: list[Text2] = []
    readers = index.readers.get(topic, ())
    for reader in readers:
        rule = reader.rule
        if not rule.judged_for(judged.kind):
            reasons.append(_other_subject(rule))
            continue
        findings = judged.by_rule.get(rule.id)
        if not findings:
            reasons.append(_not_selected(rule, judged))
            continue
        read = [f for f in findings if f.measured_status is not Status.NOT_APPLICABLE]
        if not read:
            message = findings[0].message
            reasons.append(
                Text2(
                    vi=f"{rule.id} không áp dụng: {message.vi}",
                    en=f"{rule.id} does not apply: {message.en}",
                )
            )
            continue
        used.extend(f.id for f in read)
        if validity is None:
            validity = by_level(reader.check.validity_days, judged.level) or 0
    if not readers:
        known = index.rules.get(topic)
        reasons.append(_judged_from_text(known) if known is not None else _unknown(topic))
    origin = origin or NOT_DECLARED
    note = DocumentNote(number=document["number"], date=document["date"], body=document.get("body"))
    common: dict[str, Any] = {
        "rule": topic,
        "document": note,
        "attested_by": str(item["attested_by"]),
        "effective": effective,
        "subject": item.get("subject"),
        "origin": origin,
    }
    if not used:
        reason = Text2(vi="; ".join(r.vi for r in reasons), en="; ".join(r.en for r in reasons))
        return AttestationRecord(
            valid_until=declared_until,
            status=AttestationStatus.UNUSED,
            reason=reason,
            **common,
        )
    until = declared_until or effective + dt.timedelta(days=validity or 0)
    if effective > as_of:
        status = AttestationStatus.NOT_YET_EFFECTIVE
    elif until < as_of:
        status = AttestationStatus.LAPSED
    else:
        status = AttestationStatus.VALID
    return AttestationRecord(
        valid_until=until, status=status, used_by=tuple(sorted(set(used))), **common
    )


def _unknown(topic: str) -> Text2:
    return Text2(
        vi=f"không có quy tắc {topic} trong bộ tiêu chí",
        en=f"there is no rule {topic} in the checklists",
    )


def _other_subject(rule: Rule) -> Text2:
    kinds = (rule.subject,) if isinstance(rule.subject, str) else rule.subject
    return Text2(
        vi=f"{rule.id} đánh giá cho {' và '.join(_KIND_VI[k] for k in kinds)}, "
        "khai báo xác nhận ở đó",
        en=f"{rule.id} is judged for {' and '.join(_KIND_EN[k] for k in kinds)}; declare it there",
    )


def _not_selected(rule: Rule, judged: Judged) -> Text2:
    regimes = ", ".join(sorted(str(r) for r in judged.regimes))
    return Text2(
        vi=f"{rule.id} không áp dụng cho {_KIND_VI[judged.kind]} này (cấp độ {judged.level}, "
        f"chế độ {regimes})",
        en=f"{rule.id} does not apply to this {_KIND_EN[judged.kind].split(' ', 1)[1]} "
        f"(level {judged.level}, regime {regimes})",
    )


@dataclass(frozen=True)
class UnusedAttestation:
    """An attestation no rule read, as `validate` and `audit` warn about it."""

    owner: str  # the system, agency or organisation id
    record: AttestationRecord

    def render(self, lang: str) -> str:
        """`FILE:LINE: attestation for RULE is not used: reason`, in `lang` (vi or en)."""
        origin = self.record.origin
        where = f"{origin.file}:{origin.line}" if origin.file and origin.line else self.owner
        reason = self.record.reason
        if lang == "en":
            because = reason.en if reason is not None else ""
            return f"{where}: attestation for {self.record.rule} is not used: {because}"
        because = reason.vi if reason is not None else ""
        return f"{where}: xác nhận cho {self.record.rule} không được sử dụng: {because}"

    def __str__(self) -> str:
        return self.render("en")


def unused_attestations(run: AuditRun) -> list[UnusedAttestation]:
    """Every unused attestation of the run: the organisation's, each agency's, each system's."""
    owners = [run.organisation, *run.agencies]
    found = [
        UnusedAttestation(owner.id, record)
        for owner in owners
        for record in owner.attestations
        if record.status is AttestationStatus.UNUSED
    ]
    found += [
        UnusedAttestation(system.id, record)
        for system in run.systems
        for record in system.attestations
        if record.status is AttestationStatus.UNUSED
    ]
    return found


_INPUT_KIND = {
    "trust_anchor": ("tệp neo tin cậy DNSSEC", "DNSSEC trust anchor file"),
    "crl_file": ("tệp CRL (danh sách chứng thư bị thu hồi)", "CRL file"),
}


def render_unused_input(unused: UnusedInput, lang: str) -> str:
    """`FILE:LINE: trust anchor file PATH is not used: reason` (where the inventory names it;
    the path alone for a command-line option), in `lang` (vi or en)."""
    origin = unused.origin
    where = f"{origin.file}:{origin.line}: " if origin.file and origin.line else ""
    vi_kind, en_kind = _INPUT_KIND.get(unused.kind, (unused.kind, unused.kind))
    if lang == "en":
        return f"{where}{en_kind} {unused.path} is not used: {unused.reason.en}"
    return f"{where}{vi_kind} {unused.path} không được sử dụng: {unused.reason.vi}"
