"""The closed set of check kinds a YAML rule may name.

Each kind is a frozen model with typed parameters, validated when the checklist is loaded.
Nothing in a rule file is ever executed: logic that does not fit these kinds is a named
builtin written in Python (checks/builtins.py).

A kind *compiles* into a closure over the evaluation context (`compile`), once per rule when
the engine builds its plan (auditor/plan.py): parameters per level, patterns and unchanging
texts are worked out then, not for every subject. The closures live beside what they judge:
checks/compare.py (one value), checks/dates.py, checks/attested.py, checks/criteria.py
(`fired`) and checks/combine.py (all / any / not / for_each / builtin). `evaluate(ctx)`
compiles and runs a check on its own, as tests and library users call it.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from auditor.checks import attested, combine, compare, criteria, dates
from auditor.checks.context import CollectionName, Compiled, EvalContext, Outcome
from auditor.checks.values import by_level
from auditor.messages import MsgValueError
from auditor.model.base import FrozenModel

__all__ = ["CHECK_KINDS", "CheckSpec", "FactKey", "LevelKey", "by_level"]

FactKey = Annotated[
    str,
    Field(
        pattern=r"^[a-z_][a-z0-9_]*(\.[a-z0-9_][a-z0-9_:\-]*)*$",
        description="Dotted fact key, e.g. four_layer.layer3.last_assessment",
    ),
]
LevelKey = Annotated[int, Field(ge=1, le=5)]
Missing = Literal["fail", "manual", "error", "not_applicable"]


def _check_level_map(value: Any) -> Any:
    if isinstance(value, dict) and not value:
        raise MsgValueError(
            "tham số theo cấp độ cần có ít nhất một cấp độ",
            "a per-level parameter needs at least one level",
        )
    return value


class _Check(FrozenModel):
    """What every kind offers: compile into a closure, or evaluate once."""

    def compile(self, topic: str | None = None) -> Compiled:  # pragma: no cover - abstract
        """The check as a function of the context. `topic` names the attestations an
        `attested` check without its own topic reads (the rule's id); None: ctx.rule_id."""
        raise NotImplementedError

    def evaluate(self, ctx: EvalContext) -> Outcome:
        return self.compile()(ctx)


class _FactCheck(_Check):
    fact: FactKey
    if_missing: Missing = "fail"


class Present(_FactCheck):
    """The fact is declared (and, for booleans, true; for collections, not empty)."""

    kind: Literal["present"]

    def compile(self, topic: str | None = None) -> Compiled:
        return compare.compile_present(self.fact, self.if_missing)


class Equals(_FactCheck):
    kind: Literal["equals"]
    value: str | int | float | bool

    def compile(self, topic: str | None = None) -> Compiled:
        return compare.compile_equals(self.fact, self.if_missing, self.value)


class OneOf(_FactCheck):
    kind: Literal["one_of"]
    values: tuple[str | int | float | bool, ...] = Field(min_length=1)

    def compile(self, topic: str | None = None) -> Compiled:
        return compare.compile_one_of(self.fact, self.if_missing, self.values)


class _Compare(_FactCheck):
    value: float | dict[LevelKey, float]

    _check_map = field_validator("value")(_check_level_map)


class AtLeast(_Compare):
    kind: Literal["at_least"]

    def compile(self, topic: str | None = None) -> Compiled:
        return compare.compile_bound(self.fact, self.if_missing, self.value, at_least=True)


class AtMost(_Compare):
    kind: Literal["at_most"]

    def compile(self, topic: str | None = None) -> Compiled:
        return compare.compile_bound(self.fact, self.if_missing, self.value, at_least=False)


class Matches(_FactCheck):
    kind: Literal["matches"]
    pattern: str = Field(max_length=500)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise MsgValueError(
                f"biểu thức chính quy không hợp lệ: {exc}", f"invalid regular expression: {exc}"
            ) from exc
        return value

    def compile(self, topic: str | None = None) -> Compiled:
        return compare.compile_matches(self.fact, self.if_missing, self.pattern)


class WithinDays(_FactCheck):
    """A date no older than N days at the audit date (e.g. the last independent assessment)."""

    kind: Literal["within_days"]
    days: int | dict[LevelKey, int]

    _check_map = field_validator("days")(_check_level_map)

    def compile(self, topic: str | None = None) -> Compiled:
        return dates.compile_within_days(self.fact, self.if_missing, self.days)


class NotExpired(_FactCheck):
    """A date (contract end, expiry) that has not passed at the audit date."""

    kind: Literal["not_expired"]

    def compile(self, topic: str | None = None) -> Compiled:
        return dates.compile_not_expired(self.fact, self.if_missing)


class Before(_FactCheck):
    """Date `fact` is on or before date `other` (e.g. regulation issued before approval)."""

    kind: Literal["before"]
    other: FactKey

    def compile(self, topic: str | None = None) -> Compiled:
        return dates.compile_before(self.fact, self.if_missing, self.other)


class RatioAtLeast(_Check):
    """numerator / denominator >= ratio (e.g. protected endpoints / all endpoints)."""

    kind: Literal["ratio_at_least"]
    numerator: FactKey
    denominator: FactKey
    ratio: float | dict[LevelKey, float] = Field(default=1.0)
    if_missing: Missing = "fail"

    _check_map = field_validator("ratio")(_check_level_map)

    def compile(self, topic: str | None = None) -> Compiled:
        return compare.compile_ratio(
            self.numerator, self.denominator, self.ratio, self.if_missing
        )


class Attested(_Check):
    """A manual item closed by an attestation (document, who, effective date) still valid."""

    kind: Literal["attested"]
    validity_days: int | dict[LevelKey, int] = Field(
        default=365, description="How long an attestation stays valid, by level"
    )
    topic: str | None = Field(default=None, description="Attestation rule key; default: rule id")
    since: FactKey | None = Field(
        default=None,
        description="A date fact the attestation must not predate (e.g. last_major_change)",
    )

    _check_map = field_validator("validity_days")(_check_level_map)

    def compile(self, topic: str | None = None) -> Compiled:
        return attested.compile_attested(self.validity_days, self.topic or topic, self.since)


Scalar = str | int | float | bool


class Contains(_FactCheck):
    """A list or set (or the keys of a mapping) holds every one of `values`."""

    kind: Literal["contains"]
    values: tuple[Scalar, ...] | dict[LevelKey, tuple[Scalar, ...]] = Field(
        description="Values that must all be present, or per level"
    )

    @field_validator("values")
    @classmethod
    def _not_empty(
        cls, value: tuple[Scalar, ...] | dict[int, tuple[Scalar, ...]]
    ) -> tuple[Scalar, ...] | dict[int, tuple[Scalar, ...]]:
        _check_level_map(value)
        lists = value.values() if isinstance(value, dict) else (value,)
        if any(not entry for entry in lists):
            raise MsgValueError(
                "'values' cần có ít nhất một giá trị", "'values' needs at least one value"
            )
        return value

    def compile(self, topic: str | None = None) -> Compiled:
        return compare.compile_contains(self.fact, self.if_missing, self.values)


CriterionId = Annotated[
    str,
    Field(
        pattern=r"^(nd85|nd331)(\.[a-z0-9]+)*$",
        description="A criterion id or a prefix of ids, e.g. nd85.9.2.c or nd85.9.2",
    ),
]


class Fired(_Check):
    """A listed criterion (id, or a prefix of ids) placed the system at a level.

    Reads `level.criteria.<regime>`; `governing` uses the regime that governs the system. A
    prefix matches whole dotted parts: `nd85.9.2` matches `nd85.9.2.c` but not `nd85.9.21`.
    """

    kind: Literal["fired"]
    criteria: tuple[CriterionId, ...] | dict[LevelKey, tuple[CriterionId, ...]] = Field(
        description="Criterion ids or prefixes, or per level"
    )
    regime: Literal["governing", "nd85", "nd331"] = "governing"
    if_missing: Missing = "fail"

    @field_validator("criteria")
    @classmethod
    def _criteria(
        cls, value: tuple[str, ...] | dict[int, tuple[str, ...]]
    ) -> tuple[str, ...] | dict[int, tuple[str, ...]]:
        _check_level_map(value)
        lists = value.values() if isinstance(value, dict) else (value,)
        if any(not entry for entry in lists):
            raise MsgValueError(
                "'criteria' cần có ít nhất một mã tiêu chí",
                "'criteria' needs at least one criterion id",
            )
        return value

    @model_validator(mode="after")
    def _same_regime(self) -> Fired:
        if self.regime == "governing":
            return self
        lists = self.criteria.values() if isinstance(self.criteria, dict) else (self.criteria,)
        foreign = [c for entry in lists for c in entry if c.split(".")[0] != self.regime]
        if foreign:
            listed = ", ".join(foreign)
            raise MsgValueError(
                f"các tiêu chí {listed} không bao giờ thỏa mãn theo quy định '{self.regime}'",
                f"criteria {listed} can never fire under regime '{self.regime}'",
            )
        return self

    def compile(self, topic: str | None = None) -> Compiled:
        return criteria.compile_fired(self.criteria, self.regime, self.if_missing)


class SameAs(_FactCheck):
    """Two facts agree, e.g. what the inventory declares and what a probe observed."""

    kind: Literal["same_as"]
    other: FactKey

    def compile(self, topic: str | None = None) -> Compiled:
        return compare.compile_same_as(self.fact, self.if_missing, self.other)


class Expiring(_Check):
    """A certificate is not yet inside its renewal window.

    It fails when at most `days` are left **and** (if `fraction` is given) at most that share of
    its lifetime is left: with public lifetimes falling to 47 days, "30 days left" alone would
    flag every healthy certificate, while the fraction alone would miss a long-lived one that
    expires next week. A local `override` (e.g. `system.tls_policy.expiry_warning_days`) is
    used when it asks for more warning than the level does; a laxer one is judged by its own
    rule. An already expired certificate is left to the expiry rule.
    """

    kind: Literal["expiring"]
    days_left: FactKey = "cert.days_left"
    lifetime_left: FactKey = "cert.lifetime_left_fraction"
    days: int | dict[LevelKey, int]
    fraction: float | dict[LevelKey, float] | None = None
    override: FactKey | None = None
    if_missing: Missing = "fail"

    _check_map = field_validator("days", "fraction")(_check_level_map)

    def compile(self, topic: str | None = None) -> Compiled:
        return dates.compile_expiring(
            self.days_left, self.lifetime_left, self.days, self.fraction, self.override,
            self.if_missing,
        )


class Builtin(_Check):
    """A named check written in Python (see checks/builtins.py for the closed list)."""

    kind: Literal["builtin"]
    name: str

    def compile(self, topic: str | None = None) -> Compiled:
        return combine.compile_builtin(self.name)


class AllOf(_Check):
    kind: Literal["all"]
    checks: tuple[CheckSpec, ...] = Field(min_length=1)

    def compile(self, topic: str | None = None) -> Compiled:
        return combine.compile_all([c.compile(topic) for c in self.checks])


class AnyOf(_Check):
    """One alternative suffices. A pass cites the alternative that passed (its evidence first,
    the others' only for the attestations they looked at) and, when declared data and an
    attestation were both weighed, says which of them the verdict rests on."""

    kind: Literal["any"]
    checks: tuple[CheckSpec, ...] = Field(min_length=1)

    def compile(self, topic: str | None = None) -> Compiled:
        return combine.compile_any([c.compile(topic) for c in self.checks])


class Not(_Check):
    kind: Literal["not"]
    check: CheckSpec

    def compile(self, topic: str | None = None) -> Compiled:
        return combine.compile_not(self.check.compile(topic))


class ForEach(_Check):
    """Every host / endpoint / certificate must satisfy `check`."""

    kind: Literal["for_each"]
    over: CollectionName
    check: CheckSpec
    when_empty: Literal["pass", "fail", "not_applicable"] = "not_applicable"

    def compile(self, topic: str | None = None) -> Compiled:
        return combine.compile_for_each(self.over, self.check.compile(topic), self.when_empty)


CheckSpec = Annotated[
    Present
    | Equals
    | OneOf
    | AtLeast
    | AtMost
    | Matches
    | WithinDays
    | NotExpired
    | Before
    | RatioAtLeast
    | Attested
    | Contains
    | Fired
    | SameAs
    | Expiring
    | Builtin
    | AllOf
    | AnyOf
    | Not
    | ForEach,
    Field(discriminator="kind"),
]

CHECK_KINDS: tuple[str, ...] = (
    "present",
    "equals",
    "one_of",
    "at_least",
    "at_most",
    "matches",
    "within_days",
    "not_expired",
    "before",
    "ratio_at_least",
    "attested",
    "contains",
    "fired",
    "same_as",
    "expiring",
    "builtin",
    "all",
    "any",
    "not",
    "for_each",
)

for _model in (AllOf, AnyOf, Not, ForEach):
    _model.model_rebuild()
