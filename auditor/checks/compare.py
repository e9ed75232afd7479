"""Checks that compare one declared or observed value: present, equals, one_of, at_least,
at_most, matches, contains, same_as, and the ratio of two counts.

Each `compile_*` turns a kind's parameters into a closure over the context, with everything
that does not depend on the subject worked out once: per-level thresholds, the regular
expression, the texts that never change. Messages are LazyTexts: worded when read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from auditor.checks.context import Compiled, EvalContext, Outcome
from auditor.checks.text import LazyText
from auditor.checks.values import (
    ByLevel,
    enum_value,
    fact_check,
    is_number,
    no_parameter_text,
    per_level,
    same,
    show,
    shown,
    unobserved,
)
from auditor.model.results import Fact, Status, Text2

_PASS, _FAIL, _ERROR, _NA = Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE


def compile_present(key: str, if_missing: str) -> Compiled:
    """The fact is declared (and, for booleans, true; for collections, not empty)."""
    texts = (
        Text2(vi=f"'{key}' trống hoặc không có", en=f"'{key}' is empty or false"),
        Text2(vi=f"'{key}' đã được khai báo", en=f"'{key}' is declared"),
    )

    def judge(ctx: EvalContext, fact: Fact) -> Outcome:
        value = fact.value
        empty = isinstance(value, str | tuple | list | set | frozenset | dict) and not value
        ok = value is not False and not empty
        return Outcome(_PASS if ok else _FAIL, texts[ok], ctx.cite(key, fact))

    return fact_check(key, if_missing, judge)


def _equals(en: bool, key: str, value: Any, required: tuple[str, str]) -> str:
    if en:
        return f"'{key}' is {show(value, en)}, required {required[1]}"
    return f"'{key}' = {show(value)}, yêu cầu {required[0]}"


def compile_equals(key: str, if_missing: str, wanted: Any) -> Compiled:
    required = shown(wanted)

    def judge(ctx: EvalContext, fact: Fact) -> Outcome:
        value = fact.value
        return Outcome(
            _PASS if same(value, wanted) else _FAIL,
            LazyText(_equals, key, value, required),
            ctx.cite(key, fact),
        )

    return fact_check(key, if_missing, judge)


def _one_of(en: bool, key: str, value: Any, allowed: tuple[str, str]) -> str:
    if en:
        return f"'{key}' is {show(value, en)}, accepted: {allowed[1]}"
    return f"'{key}' = {show(value)}, chấp nhận: {allowed[0]}"


def compile_one_of(key: str, if_missing: str, values: tuple[Any, ...]) -> Compiled:
    allowed = (", ".join(show(v) for v in values), ", ".join(show(v, True) for v in values))

    def judge(ctx: EvalContext, fact: Fact) -> Outcome:
        value = fact.value
        ok = any(same(value, v) for v in values)
        return Outcome(
            _PASS if ok else _FAIL,
            LazyText(_one_of, key, value, allowed),
            ctx.cite(key, fact),
        )

    return fact_check(key, if_missing, judge)


def _not_number(en: bool, key: str, value: Any) -> str:
    if en:
        return f"'{key}' is not a number: {show(value, en)}"
    return f"'{key}' không phải là số: {show(value)}"


def _at_least(en: bool, key: str, value: float, limit: float) -> str:
    if en:
        return f"'{key}' is {value:g}, minimum {limit:g}"
    return f"'{key}' = {value:g}, tối thiểu {limit:g}"


def _at_most(en: bool, key: str, value: float, limit: float) -> str:
    if en:
        return f"'{key}' is {value:g}, maximum {limit:g}"
    return f"'{key}' = {value:g}, tối đa {limit:g}"


def compile_bound(key: str, if_missing: str, value: Any, at_least: bool) -> Compiled:
    """at_least (value >= the level's limit) or at_most (value <= it)."""
    limits = per_level(value)
    no_limit = ByLevel(no_parameter_text)
    words = _at_least if at_least else _at_most

    def judge(ctx: EvalContext, fact: Fact) -> Outcome:
        limit = limits[ctx.level]
        if limit is None:
            return Outcome(_NA, no_limit[ctx.level])
        found = fact.value
        if not is_number(found):
            return Outcome(
                _ERROR, LazyText(_not_number, key, found), ctx.cite(key, fact)
            )
        number = float(found)
        ok = number >= limit if at_least else number <= limit
        return Outcome(
            _PASS if ok else _FAIL,
            LazyText(words, key, number, limit),
            ctx.cite(key, fact),
        )

    return fact_check(key, if_missing, judge)


def _matches(en: bool, key: str, value: Any, pattern: str) -> str:
    if en:
        return f"'{key}' is {show(value, en)} against pattern {pattern!r}"
    return f"'{key}' = {show(value)} so với mẫu {pattern!r}"


def compile_matches(key: str, if_missing: str, pattern: str) -> Compiled:
    search = re.compile(pattern).search

    def judge(ctx: EvalContext, fact: Fact) -> Outcome:
        value = fact.value
        ok = isinstance(value, str) and search(value) is not None
        return Outcome(
            _PASS if ok else _FAIL,
            LazyText(_matches, key, value, pattern),
            ctx.cite(key, fact),
        )

    return fact_check(key, if_missing, judge)


def _no_requirement(level: int) -> Text2:
    return Text2(
        vi=f"Không có yêu cầu cho cấp độ {level}", en=f"No requirement for level {level}"
    )


def _not_a_list(en: bool, key: str, value: Any) -> str:
    if en:
        return f"'{key}' is not a list or set: {show(value, en)}"
    return f"'{key}' không phải danh sách: {show(value)}"


def _holds_all(en: bool, key: str, wanted: tuple[Any, ...]) -> str:
    if en:
        return f"'{key}' holds all of {show(wanted, en)}"
    return f"'{key}' có đủ: {show(wanted)}"


def _lacks(en: bool, key: str, held: list[Any], missing: list[Any]) -> str:
    if en:
        return f"'{key}' is {show(held, en)}, missing: {show(missing, en)}"
    return f"'{key}' = {show(held)}, thiếu: {show(missing)}"


def compile_contains(key: str, if_missing: str, values: Any) -> Compiled:
    """A list or set (or the keys of a mapping) holds every one of `values`."""
    wanted_at = per_level(values)
    no_requirement = ByLevel(_no_requirement)

    def judge(ctx: EvalContext, fact: Fact) -> Outcome:
        wanted = wanted_at[ctx.level]
        if wanted is None:
            return Outcome(_NA, no_requirement[ctx.level])
        value = fact.value
        if isinstance(value, Mapping | tuple | list | set | frozenset):
            held = [enum_value(v) for v in value]
        else:
            return Outcome(
                _ERROR, LazyText(_not_a_list, key, value), ctx.cite(key, fact)
            )
        missing = [w for w in wanted if not any(same(h, w) for h in held)]
        if not missing:
            return Outcome(_PASS, LazyText(_holds_all, key, wanted), ctx.cite(key, fact))
        return Outcome(
            _FAIL, LazyText(_lacks, key, held, missing), ctx.cite(key, fact)
        )

    return fact_check(key, if_missing, judge)


def _nothing_to_compare(en: bool, other: str) -> str:
    if en:
        return f"'{other}' is not known, nothing to compare with"
    return f"Không có thông tin '{other}' để đối chiếu"


def _same_as(en: bool, key: str, value: Any, other: str, seen: Any, ok: bool) -> str:
    if en:
        return f"'{key}' is {show(value, en)}, '{other}' is {show(seen, en)}" + (
            "" if ok else ": they disagree"
        )
    return f"'{key}' = {show(value)}, '{other}' = {show(seen)}" + ("" if ok else ": không khớp")


def compile_same_as(key: str, if_missing: str, other: str) -> Compiled:
    """Two facts agree, e.g. what the inventory declares and what a probe observed."""
    status = Status(if_missing)
    unknown = LazyText(_nothing_to_compare, other)

    def judge(ctx: EvalContext, fact: Fact) -> Outcome:
        seen = ctx.fact(other)
        evidence = (ctx.evidence(key, fact), ctx.evidence(other, seen))
        if seen is not None and seen.error is not None:
            return unobserved(other, seen.error, evidence)
        if seen is None:
            return Outcome(status, unknown, evidence)
        value = fact.value
        ok = same(enum_value(value), enum_value(seen.value))
        return Outcome(
            _PASS if ok else _FAIL,
            LazyText(_same_as, key, value, other, seen.value, ok),
            evidence,
        )

    return fact_check(key, if_missing, judge)


def _not_observed(en: bool, reasons: str) -> str:
    return f"Could not observe: {reasons}" if en else f"Không quan sát được: {reasons}"


def _either_missing(en: bool, numerator: str, denominator: str) -> str:
    if en:
        return f"'{numerator}' or '{denominator}' is not declared"
    return f"Thiếu '{numerator}' hoặc '{denominator}'"


def _is_zero(en: bool, denominator: str) -> str:
    return f"'{denominator}' is 0" if en else f"'{denominator}' = 0"


def _ratio(en: bool, num: Any, den: Any, ratio: float, target: float) -> str:
    if en:
        return f"Ratio {num}/{den} = {ratio:.0%}, required {target:.0%}"
    return f"Tỷ lệ {num}/{den} = {ratio:.0%}, yêu cầu {target:.0%}"


_NOT_NUMBERS = Text2(vi="Giá trị không phải số", en="Values are not numbers")


def compile_ratio(numerator: str, denominator: str, ratio: Any, if_missing: str) -> Compiled:
    """numerator / denominator >= ratio (e.g. protected endpoints / all endpoints)."""
    status = Status(if_missing)
    targets = per_level(ratio)
    missing = LazyText(_either_missing, numerator, denominator)
    zero = LazyText(_is_zero, denominator)
    no_target = ByLevel(no_parameter_text)

    def check(ctx: EvalContext) -> Outcome:
        num, den = ctx.fact(numerator), ctx.fact(denominator)
        evidence = (ctx.evidence(numerator, num), ctx.evidence(denominator, den))
        failed = [f for f in (num, den) if f is not None and f.error is not None]
        if failed:
            reasons = "; ".join(f"{f.key}: {f.error}" for f in failed)
            return Outcome(_ERROR, LazyText(_not_observed, reasons), evidence)
        if num is None or den is None:
            return Outcome(status, missing, evidence)
        target = targets[ctx.level]
        if target is None:
            return Outcome(_NA, no_target[ctx.level], evidence)
        if not is_number(num.value) or not is_number(den.value):
            return Outcome(_ERROR, _NOT_NUMBERS, evidence)
        if den.value == 0:
            return Outcome(_NA, zero, evidence)
        share = num.value / den.value
        return Outcome(
            _PASS if share >= target else _FAIL,
            LazyText(_ratio, num.value, den.value, share, target),
            evidence,
        )

    return check
