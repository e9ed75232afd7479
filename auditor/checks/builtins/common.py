"""What the builtin checks share: a fact's value and evidence, a pass-or-fail outcome, and the
verdict on work that has a legal deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditor.checks.context import EvalContext, Outcome
from auditor.messages import day, days
from auditor.model.results import Evidence, Severity, Status, Text2


def value_of(ctx: EvalContext, key: str) -> Any:
    """The fact's value; None when the fact is absent."""
    fact = ctx.fact(key)
    return None if fact is None else fact.value


def evidence_of(ctx: EvalContext, *keys: str) -> tuple[Evidence, ...]:
    """Evidence of each fact named, present or not."""
    return tuple(ctx.evidence(key, ctx.fact(key)) for key in keys)


def pass_or_fail(ok: bool, vi: str, en: str, evidence: tuple[Evidence, ...]) -> Outcome:
    return Outcome(Status.PASS if ok else Status.FAIL, Text2(vi=vi, en=en), evidence)


def by_deadline(
    ctx: EvalContext,
    deadline: dt.date,
    evidence: tuple[Evidence, ...],
    vi: str,
    en: str,
    missing_vi: str,
    missing_en: str,
) -> Outcome:
    """Work not shown done: `manual` up to and on the deadline day, `fail` (high) after it."""
    left = (deadline - ctx.as_of).days
    due = day(deadline)
    if left < 0:
        return Outcome(
            Status.FAIL,
            Text2(
                vi=f"Quá hạn từ {due.vi}, {days(-left).vi}, {missing_vi}: {vi}",
                en=f"Overdue since {due.en}, {days(-left).en}, {missing_en}: {en}",
            ),
            evidence,
            Severity.HIGH,
        )
    return Outcome(
        Status.MANUAL,
        Text2(
            vi=f"Hạn {due.vi}, còn {days(left).vi}, {missing_vi}: {vi}",
            en=f"Due {due.en}, {days(left).en} left, {missing_en}: {en}",
        ),
        evidence,
    )
