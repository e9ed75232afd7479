"""The plan: a catalog compiled once for one audit date, before any subject is judged.

Per rule, everything that does not depend on the subject is decided up front:
- which subjects it is judged for (system, agency, organisation), and for systems the rules
  in scope at each level and regime, listed once per (level, regime);
- whether it is in force on the audit date (if not, its one `not_applicable` outcome);
- its severity at each level, and its constant texts;
- its `applies_if` and `check` compiled into closures (checks/kinds.py, `compile`), with the
  rule's id as the topic of the attestations an `attested` check reads. Identical
  `applies_if` conditions (59 rules ask "is the system operating?") become one condition,
  judged once per subject and shared (EvalContext.conditions).

Pure: compiling reads the catalog and the date, nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from auditor.accounting import AttestationIndex, walk
from auditor.checks.context import Compiled, EvalContext, Outcome
from auditor.checks.kinds import Attested, CheckSpec
from auditor.checks.text import LazyText
from auditor.model.inventory import Regime
from auditor.model.results import Obligation, Severity, Status, Text2
from auditor.rules import Catalog, Rule

LEVELS = (1, 2, 3, 4, 5)
_PASS, _ERROR, _NA, _MANUAL = Status.PASS, Status.ERROR, Status.NOT_APPLICABLE, Status.MANUAL


@dataclass(frozen=True, slots=True)
class RulePlan:
    """One rule, compiled: what judging it for a subject needs, nothing to work out again."""

    rule: Rule
    id: str
    per: str | None
    group: str
    obligation: Obligation
    gate: bool
    #: Severity by level (index 1-5; index 0 unused).
    severities: tuple[Severity, ...]
    #: The outcome for every subject when the rule is not in force on the audit date.
    not_in_force: Outcome | None
    #: The number of its `applies_if` condition in Plan.conditions, or None.
    condition: int | None
    #: Why it does not apply when the condition does not pass (None: the condition's words).
    not_applicable: Text2 | None
    check: Compiled
    explain: tuple[str, ...]
    #: The rule's outcome for a subject, before waivers: in force, applies, then its check.
    run: Compiled

    def severity_at(self, level: int) -> Severity:
        if 1 <= level <= 5:
            return self.severities[level]
        return self.rule.severity_at(level)

    def in_scope(self, level: int, regimes: Iterable[Regime]) -> bool:
        levels = self.rule.levels
        return levels.min_level <= level <= levels.max_level and any(
            regime in self.rule.regimes for regime in regimes
        )


@dataclass
class Plan:
    """The compiled catalog for one audit date (see the module docstring)."""

    as_of: dt.date
    catalog: Catalog
    conditions: tuple[Compiled, ...]
    systems: tuple[RulePlan, ...]
    agencies: tuple[RulePlan, ...]
    organisation: tuple[RulePlan, ...]
    attestation_index: AttestationIndex
    _in_scope: dict[tuple[int, Regime], tuple[RulePlan, ...]] = field(default_factory=dict)

    def system_rules(self, level: int, regime: Regime) -> tuple[RulePlan, ...]:
        """The system rules in scope at this level under this regime, in catalog order."""
        key = (level, regime)
        found = self._in_scope.get(key)
        if found is None:
            found = self._in_scope[key] = tuple(
                r for r in self.systems if r.rule.applies_to(level, regime)
            )
        return found

    def body_rules(
        self, rules: Sequence[RulePlan], level: int, regimes: frozenset[Regime]
    ) -> list[RulePlan]:
        """An agency's or the organisation's rules in scope: its level, any of its regimes."""
        return [r for r in rules if r.in_scope(level, regimes)]


def _not_in_force(rule: Rule, as_of: dt.date) -> Outcome | None:
    day = rule.in_force
    if day is None or as_of >= day:
        return None
    return Outcome(
        Status.NOT_APPLICABLE,
        Text2(
            vi=f"Yêu cầu có hiệu lực từ ngày {day:%d/%m/%Y}, sau ngày đánh giá",
            en=f"The requirement takes effect on {day.isoformat()}, after the audit date",
        ),
    )


def _needs_topic(check: CheckSpec) -> bool:
    """Whether the check reads attestations of its rule's own topic (so it is the rule's)."""
    return any(isinstance(c, Attested) and c.topic is None for c in walk(check))


class _Conditions:
    """Identical applies_if conditions, compiled once and numbered."""

    def __init__(self) -> None:
        self.numbers: dict[tuple[str, str | None], int] = {}
        self.compiled: list[Compiled] = []

    def number(self, check: CheckSpec, rule_id: str) -> int:
        topic = rule_id if _needs_topic(check) else None
        key = (check.model_dump_json(), topic)
        found = self.numbers.get(key)
        if found is None:
            found = self.numbers[key] = len(self.compiled)
            self.compiled.append(check.compile(rule_id))
        return found


def _if_it_applies(en: bool, condition: Text2, outcome: Text2) -> str:
    if en:
        return f"{condition.en}. If it applies: {outcome.en}"
    return f"{condition.vi}. Nếu áp dụng: {outcome.vi}"


def _runner(
    not_in_force: Outcome | None,
    number: int | None,
    condition: Compiled | None,
    not_applicable: Text2 | None,
    check: Compiled,
) -> Compiled:
    """The rule's outcome: not in force; else its condition (judged once per subject and
    kept in EvalContext.conditions) decides whether `check` runs."""
    if not_in_force is not None:
        return lambda ctx: not_in_force
    if number is None or condition is None:
        return check

    def run(ctx: EvalContext) -> Outcome:
        memo = ctx.conditions
        found = memo.get(number)
        if found is None:
            found = memo[number] = condition(ctx)
        status = found.status
        if status is _PASS and not found.undecided:
            return check(ctx)
        if status is _ERROR:  # cannot tell whether it applies: say why
            return found
        if found.undecided:
            # Whether it applies depends on undeclared facts: a check met either way stands;
            # anything else waits for those facts (`manual`), never `not_applicable`.
            outcome = check(ctx)
            if outcome.status is _PASS or outcome.status is _ERROR:
                return outcome
            return Outcome(
                _MANUAL,
                LazyText(_if_it_applies, found.message, outcome.message),
                (*found.evidence, *outcome.evidence),
                outcome.severity,
            )
        if status is not _PASS:
            return Outcome(_NA, not_applicable or found.message, found.evidence)
        return check(ctx)

    return run


def _rule_plan(rule: Rule, as_of: dt.date, conditions: _Conditions) -> RulePlan:
    reason = rule.not_applicable
    not_in_force = _not_in_force(rule, as_of)
    number = None if rule.applies_if is None else conditions.number(rule.applies_if, rule.id)
    condition = None if number is None else conditions.compiled[number]
    not_applicable = None if reason is None else Text2(vi=reason.vi, en=reason.en)
    check = rule.check.compile(rule.id)
    return RulePlan(
        rule=rule,
        id=rule.id,
        per=rule.per,
        group=rule.group,
        obligation=rule.obligation,
        gate=rule.gate,
        severities=(rule.severity_at(1), *(rule.severity_at(level) for level in LEVELS)),
        not_in_force=not_in_force,
        condition=number,
        not_applicable=not_applicable,
        check=check,
        explain=rule.explain,
        run=_runner(not_in_force, number, condition, not_applicable, check),
    )


def compile_plan(catalog: Catalog, as_of: dt.date) -> Plan:
    conditions = _Conditions()
    plans = [_rule_plan(rule, as_of, conditions) for rule in catalog]
    return Plan(
        as_of=as_of,
        catalog=catalog,
        conditions=tuple(conditions.compiled),
        systems=tuple(p for p in plans if p.rule.judged_for("system")),
        agencies=tuple(p for p in plans if p.rule.judged_for("agency")),
        organisation=tuple(p for p in plans if p.rule.judged_for("organisation")),
        attestation_index=AttestationIndex.build(catalog),
    )
