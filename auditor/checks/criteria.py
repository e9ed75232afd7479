"""The `fired` check: a listed classification criterion (an id, or a prefix of ids) placed
the system at a level — under the governing regime or a named one.

Unknown is not no: a listed criterion that undeclared facts could still meet makes the
check `manual` and *undecided* (an `any` then waits for it instead of failing).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from auditor.checks.context import Compiled, EvalContext, Outcome
from auditor.checks.text import LazyText
from auditor.checks.values import ByLevel, enum_value, per_level, unobserved
from auditor.model.results import Evidence, Status, Text2


def matching(ids: Sequence[str], wanted: Sequence[str]) -> list[str]:
    """Ids equal to a wanted id or below a wanted prefix (whole dotted parts only)."""
    return sorted({c for c in ids for w in wanted if c == w or c.startswith(w + ".")})


def _unavailable(en: bool, key: str) -> str:
    if en:
        return f"'{key}' (the criteria that set the level) is not available"
    return f"Không có thông tin '{key}' (các tiêu chí xác định cấp độ)"


def _none_listed(level: int) -> Text2:
    return Text2(
        vi=f"Không có tiêu chí nào được nêu cho cấp độ {level}",
        en=f"No criteria listed for level {level}",
    )


def _fired(en: bool, hits: list[str], listed: str) -> str:
    if en:
        return f"Criteria that fired: {', '.join(hits)} (listed: {listed})"
    return f"Tiêu chí đã áp dụng: {', '.join(hits)} (thuộc: {listed})"


def _undecided(en: bool, maybe: list[str], listed: str, named: str) -> str:
    if en:
        return (
            f"Cannot tell whether {', '.join(maybe)} (listed: {listed}) holds: "
            f"classification facts are not declared; declare: {named}"
        )
    return (
        f"Chưa xác định được tiêu chí {', '.join(maybe)} (thuộc: {listed}) do "
        f"thiếu thông tin phân loại; cần khai báo: {named}"
    )


def _none_fired(en: bool, listed: str, shown: str) -> str:
    if en:
        return f"None of {listed} fired (criteria: {shown})"
    return f"Không tiêu chí nào trong {listed} được áp dụng (tiêu chí: {shown})"


def compile_fired(criteria: Any, regime: str, if_missing: str) -> Compiled:
    wanted_at = per_level(criteria)
    none_listed = ByLevel(_none_listed)
    missing_status = Status(if_missing)

    def check(ctx: EvalContext) -> Outcome:
        name = regime
        if name == "governing":
            governing = ctx.fact("regime")
            name = str(enum_value(governing.value)) if governing is not None else ""
        key = f"level.criteria.{name}"
        fact = ctx.fact(key) if name else None
        if fact is None:
            return Outcome(
                missing_status, LazyText(_unavailable, key), (Evidence(fact=key, value=None),)
            )
        evidence = (ctx.evidence(key, fact),)
        if fact.error is not None:
            return unobserved(key, fact.error, evidence)
        wanted = wanted_at[ctx.level]
        if wanted is None:
            return Outcome(Status.NOT_APPLICABLE, none_listed[ctx.level], evidence)
        fired = [str(c) for c in (fact.value or ())]
        hits = matching(fired, wanted)
        listed = ", ".join(wanted)
        if hits:
            return Outcome(Status.PASS, LazyText(_fired, hits, listed), evidence)
        possible_key = f"level.possible.{name}"
        possible = ctx.fact(possible_key)
        maybe = matching([str(c) for c in (possible.value or ())] if possible else [], wanted)
        if maybe:
            waiting = ctx.fact(f"level.open.{name}")
            by_id = waiting.value if waiting is not None else {}
            named = ", ".join(
                dict.fromkeys(str(n) for c in maybe for n in by_id.get(c, ()))
            ) or "—"
            return Outcome(
                Status.MANUAL,
                LazyText(_undecided, maybe, listed, named),
                (*evidence, ctx.evidence(possible_key, possible)),
                undecided=True,
            )
        return Outcome(
            Status.FAIL, LazyText(_none_fired, listed, ", ".join(fired) or "—"), evidence
        )

    return check
