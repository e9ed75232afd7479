"""How checks read, compare and show values: per-level parameters, strict equality, wording.

Pure helpers shared by every check kind. A per-level parameter (`{1: 730, 3: 365}`) is
resolved once per level when a check is compiled (`per_level`), not at every evaluation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

from auditor.checks.context import Compiled, EvalContext, Outcome
from auditor.checks.text import LazyText
from auditor.code_words import word, word_in
from auditor.messages import day_in
from auditor.model.results import Evidence, Fact, Status, Text2
from auditor.probe_reasons import reason_in

T = TypeVar("T")
LEVELS = range(1, 6)


def by_level(value: T | dict[int, T], level: int) -> T | None:
    """Resolve a level-dependent parameter: the entry for the greatest level <= `level`."""
    if not isinstance(value, dict):
        return value
    eligible = [k for k in value if k <= level]
    return value[max(eligible)] if eligible else None


class PerLevel(dict[int, Any]):
    """A parameter resolved for each level 1-5 up front; another level resolves on use."""

    def __init__(self, value: Any) -> None:
        super().__init__((level, by_level(value, level)) for level in LEVELS)
        self.value = value

    def __missing__(self, level: int) -> Any:
        return by_level(self.value, level)


def per_level(value: Any) -> PerLevel:
    return PerLevel(value)


def show(value: Any, en: bool = False) -> str:
    """Show a value in a message, in Vietnamese or English (`en`): codes (enum values, yes/no)
    as words in quotes (“đã gửi thẩm định”), dates as the language writes them, other text
    quoted as it is, sets in sorted order."""
    lang = "en" if en else "vi"
    kind = type(value)
    if kind is bool:
        return f"“{word_in(value, lang)}”"
    if kind is int or kind is float:
        return str(value)
    if isinstance(value, Enum):
        return f"“{word_in(value, lang)}”"
    if kind is str:
        found = word(value)
        return repr(value) if found is None else f"“{found.get(lang)}”"
    if isinstance(value, dt.date):
        return day_in(value, lang)
    if isinstance(value, set | frozenset | tuple | list):
        return "[" + ", ".join(sorted(show(v, en) for v in value)) + "]"
    return repr(value) if isinstance(value, str) else str(value)


def shown(value: Any) -> tuple[str, str]:
    """`show(value)` in both languages (vi, en), for a parameter worded once at compile time."""
    return show(value), show(value, True)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def same(left: Any, right: Any) -> bool:
    """Equality that does not let True stand for 1 (or False for 0)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left is right
    return bool(left == right)


def enum_value(value: Any) -> Any:
    """An enum member as its value, so 'dmz' and Zone.DMZ compare equal."""
    return value.value if isinstance(value, Enum) else value


def _unobserved(en: bool, key: str, reason: str) -> str:
    if en:
        return f"Could not observe '{key}': {reason}"
    return f"Không quan sát được '{key}': {reason_in(reason, 'vi')}"


def unobserved(key: str, reason: str, evidence: tuple[Evidence, ...] = ()) -> Outcome:
    """A fact a probe could not observe: the check is `error`, with the reason."""
    return Outcome(Status.ERROR, LazyText(_unobserved, key, reason), evidence)


def _not_declared(en: bool, key: str) -> str:
    if en:
        return f"'{key}' is not declared in the inventory"
    return f"Không có thông tin '{key}' trong danh mục kiểm kê"


Judge = Callable[[EvalContext, Fact], Outcome]
_UNSEEN: Any = object()


def fact_check(key: str, if_missing: str, judge: Judge) -> Compiled:
    """A check of one fact: missing (undeclared, or withdrawn as not yet evidence), not
    observed (a probe error), else `judge(ctx, fact)`."""
    status = Status(if_missing)
    absent = (Evidence(fact=key, value=None),)
    missing = Outcome(status, LazyText(_not_declared, key), absent)

    def check(ctx: EvalContext) -> Outcome:
        fact = ctx.memo.get(key, _UNSEEN)
        if fact is _UNSEEN:
            fact = ctx.fact(key)
        if fact is None:
            if ctx.not_yet:
                reason = ctx.not_yet_reason(key)
                if reason is not None:
                    return Outcome(status, reason, absent)
            return missing
        if fact.error is not None:
            return unobserved(key, fact.error, ctx.cite(key, fact))
        return judge(ctx, fact)

    return check


def no_parameter(ctx: EvalContext, evidence: tuple[Evidence, ...] = ()) -> Outcome:
    """A per-level parameter has no entry at the system's level: the check does not apply."""
    return Outcome(Status.NOT_APPLICABLE, no_parameter_text(ctx.level), evidence)


def no_parameter_text(level: int) -> Text2:
    return Text2(vi=f"Không có ngưỡng cho cấp độ {level}", en=f"No threshold for level {level}")


class ByLevel(dict[int, Text2]):
    """A text that depends only on the level, made once per level (e.g. "no threshold")."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, level: int) -> Text2:
        text: Text2 = self.make(level)
        self[level] = text
        return text
