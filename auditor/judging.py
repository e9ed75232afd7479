"""Judging one subject (a system, an agency, the organisation) with the compiled plan.

For each rule in scope: its outcome (not in force; its shared `applies_if` condition; its
check), then the finding — waivers, the facts it explains, why withdrawn evidence is
missing. Pure; messages stay lazy (checks/text.py) until someone reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from auditor.asof import not_yet_text
from auditor.checks.builtins import BUILTINS
from auditor.checks.context import EvalContext, Item, Outcome
from auditor.checks.text import appended, deferred, with_reasons
from auditor.model.inventory import Waiver
from auditor.model.results import (
    Evidence,
    Fact,
    Finding,
    Origin,
    Status,
    Text2,
    WaiverNote,
)
from auditor.plan import Plan, RulePlan
from auditor.rules import Rule

_WAIVABLE = frozenset({Status.FAIL, Status.MANUAL, Status.ERROR})
_PASS = Status.PASS


def _finding_id(rule_id: str, owner: str, subject: str | None) -> str:
    return f"{rule_id}:{owner}" + (f":{subject}" if subject else "")


def _apply_waiver(
    rule: Rule | RulePlan,
    outcome: Outcome,
    subject: str | None,
    waivers: Sequence[Waiver],
    as_of: dt.date,
) -> tuple[Status, WaiverNote | None]:
    matching = [w for w in waivers if w.rule == rule.id and w.subject in (None, subject)]
    if not matching:
        return outcome.status, None
    # Prefer a waiver in force (decided by the audit date and not expired); among those (or
    # among the others) the latest expiry.
    waiver = max(
        matching,
        key=lambda w: (w.decision.date <= as_of, w.expires >= as_of, w.expires),
    )
    expired = waiver.expires < as_of
    not_yet = waiver.decision.date > as_of  # decided after the audit date: not a waiver yet
    note = WaiverNote(
        reason=waiver.reason,
        approver=waiver.approver,
        decision=f"{waiver.decision.number} ({waiver.decision.date.isoformat()})",
        expires=waiver.expires,
        expired=expired,
        not_yet_decided=not_yet,
    )
    if outcome.status in _WAIVABLE and not expired and not not_yet:
        return Status.WAIVED, note
    return outcome.status, note


def _explained(rule: RulePlan, ctx: EvalContext, evidence: tuple[Evidence, ...]) -> Any:
    shown = {e.fact for e in evidence}
    extra = [(key, ctx.fact(key)) for key in rule.explain if key not in shown]
    return evidence + tuple(ctx.evidence(key, fact) for key, fact in extra if fact is not None)


def _waiver_not_yet(number: str, day: dt.date, as_of: dt.date) -> Text2:
    return not_yet_text(f"Miễn trừ {number}", day, as_of, f"The waiver {number}")


class Judge:
    """Judges subjects against one plan; `waivers` of the subject being judged."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.as_of = plan.as_of

    def context(
        self,
        level: int,
        values: Mapping[str, Any],
        origins: Mapping[str, Origin],
        scoped: Mapping[str, Mapping[str, Origin]],
        attestations: Sequence[Mapping[str, Any]],
        collections: Mapping[str, Sequence[Item]],
        observed: Mapping[str, Fact],
        not_yet: Mapping[str, Text2],
    ) -> EvalContext:
        """One context per subject, shared by all its rules (its memo of facts with it)."""
        return EvalContext(
            as_of=self.as_of,
            level=level,
            rule_id="",  # compiled checks know their rule; builtins do not ask
            values=values,
            origins=origins,
            observed=observed,
            scoped_origins=scoped,
            attestations=attestations,
            collections=collections,
            builtins=BUILTINS,
            not_yet=not_yet,
        )

    def findings(
        self,
        rules: Sequence[RulePlan],
        ctx: EvalContext,
        owner: str,
        waivers: Sequence[Waiver],
    ) -> list[Finding]:
        """One finding per rule (per item for a rule over a collection), in rule order."""
        waived = {w.rule for w in waivers}
        found: list[Finding] = []
        add = found.append
        plain = not waived and not ctx.not_yet
        level = ctx.level
        for rule in rules:
            if rule.per is not None:
                for item in ctx.collections.get(rule.per, ()):
                    item_ctx = ctx.with_item(item)
                    outcome = rule.run(item_ctx)
                    add(
                        self.finding(
                            rule, item_ctx, owner, item.subject, outcome, waivers,
                            rule.id in waived,
                        )
                    )
                continue
            outcome = rule.run(ctx)
            if plain and (not rule.explain or outcome.status is _PASS):
                # the common case, made here: no waiver, nothing withdrawn, nothing explained
                add(
                    Finding(
                        f"{rule.id}:{owner}",
                        rule.id,
                        None,
                        outcome.status,
                        outcome.status,
                        outcome.severity or rule.severities[level],
                        rule.obligation,
                        rule.group,
                        outcome.message,
                        outcome.evidence,
                        None,
                        rule.gate,
                    )
                )
            else:
                add(self.finding(rule, ctx, owner, None, outcome, waivers, rule.id in waived))
        return found

    def finding(
        self,
        rule: RulePlan,
        ctx: EvalContext,
        owner: str,
        subject: str | None,
        outcome: Outcome,
        waivers: Sequence[Waiver],
        waived: bool,
    ) -> Finding:
        measured = outcome.status
        status, note = measured, None
        if waived:
            status, note = _apply_waiver(rule, outcome, subject, waivers, self.as_of)
        evidence = outcome.evidence
        if rule.explain and measured is not _PASS:
            evidence = _explained(rule, ctx, evidence)
        message = outcome.message
        if ctx.not_yet:
            reasons = [
                reason
                for item in outcome.evidence
                if (reason := ctx.not_yet_reason(item.fact)) is not None
            ]
            if reasons:
                message = with_reasons(message, reasons)
        if note is not None and note.not_yet_decided:
            waiver = next(
                w for w in waivers
                if note.decision == f"{w.decision.number} ({w.decision.date.isoformat()})"
            )
            decision = waiver.decision
            message = appended(
                message, deferred(_waiver_not_yet, decision.number, decision.date, self.as_of)
            )
        return Finding(
            _finding_id(rule.id, owner, subject),
            rule.id,
            subject,
            status,
            measured,
            outcome.severity or rule.severity_at(ctx.level),
            rule.obligation,
            rule.group,
            message,
            evidence,
            note,
            rule.gate,
        )

