"""Checks about dates at the audit date: within_days (recent enough), not_expired, before
(one date not after another) and expiring (a certificate inside its renewal window).

Compiled like the value checks (checks/compare.py): per-level periods resolved once, the
texts that never change made once, every other message a LazyText worded when read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditor.asof import not_yet_text
from auditor.checks.context import Compiled, EvalContext, Outcome
from auditor.checks.text import LazyText, deferred
from auditor.checks.values import (
    ByLevel,
    fact_check,
    is_number,
    no_parameter_text,
    per_level,
    show,
    unobserved,
)
from auditor.messages import day_in, days
from auditor.model.base import as_date
from auditor.model.results import Evidence, Fact, Status, Text2

_PASS, _FAIL, _ERROR, _NA = Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE


def _not_a_date(en: bool, key: str, value: Any) -> str:
    if en:
        return f"'{key}' is not a date: {show(value, en)}"
    return f"'{key}' không phải ngày: {show(value)}"


def _no_period(level: int) -> Text2:
    return Text2(vi=f"Không có thời hạn cho cấp độ {level}", en=f"No period set for level {level}")


def _within(en: bool, key: str, day: dt.date, age: int, limit: int) -> str:
    lang = "en" if en else "vi"
    if age > limit:  # overdue: the day it fell due (the last day it was still recent enough)
        due, late = day + dt.timedelta(days=limit), days(age - limit).get(lang)
        if en:
            return (
                f"'{key}' is {day_in(day, lang)}; overdue since {day_in(due, lang)}, {late} "
                f"(limit {days(limit).en})"
            )
        return (
            f"'{key}' = {day_in(day, lang)}, quá hạn từ {day_in(due, lang)}, {late} "
            f"(tối đa {days(limit).vi})"
        )
    if en:
        return f"'{key}' is {day_in(day, lang)}, {days(age).en} ago (limit {days(limit).en})"
    return f"'{key}' = {day_in(day, lang)}, đã {days(age).vi} (tối đa {days(limit).vi})"


def compile_within_days(key: str, if_missing: str, days: Any) -> Compiled:
    """A date no older than N days at the audit date (e.g. the last independent assessment)."""
    limits = per_level(days)
    no_period = ByLevel(_no_period)
    later = Status(if_missing)
    quoted = f"'{key}'"

    def judge(ctx: EvalContext, fact: Fact) -> Outcome:
        value = fact.value
        day = as_date(value)
        limit = limits[ctx.level]
        if limit is None:
            return Outcome(_NA, no_period[ctx.level])
        if day is None:
            return Outcome(_ERROR, LazyText(_not_a_date, key, value))
        age = (ctx.as_of - day).days
        if age < 0:  # it had not happened on the audit date: as if it were not declared
            return Outcome(
                later, deferred(not_yet_text, quoted, day, ctx.as_of), ctx.cite(key, fact)
            )
        return Outcome(
            _PASS if age <= limit else _FAIL,
            LazyText(_within, key, day, age, limit),
            ctx.cite(key, fact),
        )

    return fact_check(key, if_missing, judge)


def _days_left(en: bool, key: str, day: dt.date, left: int) -> str:
    if en:
        return f"'{key}' is {day_in(day, 'en')}, {days(left).en} left"
    return f"'{key}' = {day_in(day, 'vi')}, còn {days(left).vi}"


def _expired(en: bool, key: str, day: dt.date, ago: int) -> str:
    if en:
        return f"'{key}' is {day_in(day, 'en')}, expired {days(ago).en} ago"
    return f"'{key}' = {day_in(day, 'vi')}, đã hết hạn {days(ago).vi}"


def compile_not_expired(key: str, if_missing: str) -> Compiled:
    """A date (contract end, expiry) that has not passed at the audit date."""

    def judge(ctx: EvalContext, fact: Fact) -> Outcome:
        value = fact.value
        day = as_date(value)
        if day is None:
            return Outcome(_ERROR, LazyText(_not_a_date, key, value))
        left = (day - ctx.as_of).days
        evidence = ctx.cite(key, fact)
        if left >= 0:
            return Outcome(_PASS, LazyText(_days_left, key, day, left), evidence)
        return Outcome(_FAIL, LazyText(_expired, key, day, -left), evidence)

    return fact_check(key, if_missing, judge)


def _is_not_a_date(key: str) -> Text2:
    return Text2(vi=f"'{key}' không phải ngày", en=f"'{key}' is not a date")


def _before(en: bool, key: str, first: dt.date, other: str, second: dt.date, ok: bool) -> str:
    if en:
        return (
            f"'{key}' ({day_in(first, 'en')}) is " + ("not after" if ok else "after")
            + f" '{other}' ({day_in(second, 'en')})"
        )
    return (
        f"'{key}' ({day_in(first, 'vi')}) " + ("không sau" if ok else "sau")
        + f" '{other}' ({day_in(second, 'vi')})"
    )


def compile_before(key: str, if_missing: str, other: str) -> Compiled:
    """Date `key` is on or before date `other` (e.g. regulation issued before approval)."""
    status = Status(if_missing)
    first_not_a_date, other_not_a_date = _is_not_a_date(key), _is_not_a_date(other)
    nothing = Text2(
        vi=f"Không có thông tin '{other}' để so sánh",
        en=f"'{other}' is not declared, nothing to compare with",
    )

    def judge(ctx: EvalContext, fact: Fact) -> Outcome:
        seen = ctx.fact(other)
        first = as_date(fact.value)
        evidence = (ctx.evidence(key, fact), ctx.evidence(other, seen))
        if seen is not None and seen.error is not None:
            return unobserved(other, seen.error, evidence)
        second = as_date(seen.value) if seen is not None else None
        if seen is not None and second is None:
            return Outcome(_ERROR, other_not_a_date, evidence)
        if second is None:
            return Outcome(status, nothing, evidence)
        if first is None:
            return Outcome(_ERROR, first_not_a_date, evidence)
        ok = first <= second
        return Outcome(
            _PASS if ok else _FAIL, LazyText(_before, key, first, other, second, ok), evidence
        )

    return fact_check(key, if_missing, judge)


def _expired_before(en: bool, days: int) -> str:
    if en:
        return f"Expired {-days} days ago (judged by the expiry rule)"
    return f"Đã hết hạn {-days} ngày (đánh giá ở quy tắc hết hạn)"


def _window(
    en: bool, days: int, fraction: float | None, limit: int, window: float | None
) -> str:
    if en:
        share = "" if fraction is None else f", {fraction:.0%} of its lifetime"
        within = "" if window is None else f" and ≤ {window:.0%} of the lifetime"
        return f"{days} days left{share} (warning at ≤ {limit} days{within})"
    share = "" if fraction is None else f", còn {fraction:.0%} thời hạn"
    within = "" if window is None else f" và ≤ {window:.0%} thời hạn"
    return f"Còn {days} ngày{share} (cảnh báo khi ≤ {limit} ngày{within})"


def compile_expiring(
    days_left: str,
    lifetime_left: str,
    days: Any,
    fraction: Any,
    override: str | None,
    if_missing: str,
) -> Compiled:
    """A certificate is not yet inside its renewal window (see kinds.Expiring)."""
    status = Status(if_missing)
    limits = per_level(days)
    windows = per_level(fraction) if fraction is not None else None
    no_limit = ByLevel(no_parameter_text)
    unknown = Text2(vi=f"Không có thông tin '{days_left}'", en=f"'{days_left}' is not known")
    absent = (Evidence(fact=days_left, value=None),)
    not_number = Text2(
        vi=f"'{days_left}' không phải là số", en=f"'{days_left}' is not a number"
    )

    def check(ctx: EvalContext) -> Outcome:
        left = ctx.fact(days_left)
        share = ctx.fact(lifetime_left) if windows is not None else None
        evidence = tuple(
            ctx.evidence(key, fact)
            for key, fact in ((days_left, left), (lifetime_left, share))
            if fact is not None
        )
        for fact in (left, share):
            if fact is not None and fact.error is not None:
                return unobserved(fact.key, fact.error, evidence)
        if left is None or (windows is not None and share is None):
            return Outcome(status, unknown, evidence or absent)
        limit = limits[ctx.level]
        if limit is None:
            return Outcome(_NA, no_limit[ctx.level], evidence)
        local = ctx.fact(override) if override is not None else None
        if local is not None and is_number(local.value) and int(local.value) > limit:
            limit = int(local.value)
            evidence = (*evidence, ctx.evidence(local.key, local))
        remaining = left.value
        if not is_number(remaining):
            return Outcome(_ERROR, not_number, evidence)
        if remaining < 0:
            return Outcome(_NA, LazyText(_expired_before, remaining), evidence)
        window = windows[ctx.level] if windows is not None else None
        part = float(share.value) if share is not None and is_number(share.value) else None
        late = remaining <= limit and (window is None or part is None or part <= window)
        return Outcome(
            _FAIL if late else _PASS,
            LazyText(_window, remaining, part, limit, window),
            evidence,
        )

    return check
