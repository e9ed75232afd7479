"""The closed set of check kinds a YAML rule may name.

Each kind is a frozen model with typed parameters, validated when the checklist is loaded, and
knows how to evaluate itself against an EvalContext. Nothing in a rule file is ever executed:
logic that does not fit these kinds is a named builtin written in Python (checks/builtins.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from enum import Enum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Field, field_validator, model_validator

from auditor.asof import not_yet_text
from auditor.checks.context import CollectionName, EvalContext, Outcome
from auditor.messages import MsgValueError
from auditor.model.base import FrozenModel, as_date
from auditor.model.results import Evidence, Status, Text2

FactKey = Annotated[
    str,
    Field(
        pattern=r"^[a-z_][a-z0-9_]*(\.[a-z0-9_][a-z0-9_:\-]*)*$",
        description="Dotted fact key, e.g. four_layer.layer3.last_assessment",
    ),
]
LevelKey = Annotated[int, Field(ge=1, le=5)]
Missing = Literal["fail", "manual", "error", "not_applicable"]


T = TypeVar("T")


def by_level(value: T | dict[int, T], level: int) -> T | None:
    """Resolve a level-dependent parameter: the entry for the greatest level <= `level`."""
    if not isinstance(value, dict):
        return value
    eligible = [k for k in value if k <= level]
    return value[max(eligible)] if eligible else None


def _check_level_map(value: Any) -> Any:
    if isinstance(value, dict) and not value:
        raise MsgValueError(
            "tham số theo cấp độ cần có ít nhất một cấp độ",
            "a per-level parameter needs at least one level",
        )
    return value


def _fmt(value: Any) -> str:
    """Show a value in a message: plain enum values, ISO dates, sets in sorted order."""
    kind = type(value)
    if kind is str:
        return repr(value)
    if kind is int or kind is bool or kind is float:
        return str(value)
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple | list):
        return "[" + ", ".join(sorted(_fmt(v) for v in value)) + "]"
    return repr(value) if isinstance(value, str) else str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(left: Any, right: Any) -> bool:
    """Equality that does not let True stand for 1 (or False for 0)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left is right
    return bool(left == right)


def unobserved(key: str, reason: str, evidence: tuple[Evidence, ...] = ()) -> Outcome:
    """A fact a probe could not observe: the check is `error`, with the reason."""
    return Outcome(
        Status.ERROR,
        Text2(
            vi=f"Không quan sát được '{key}': {reason}", en=f"Could not observe '{key}': {reason}"
        ),
        evidence,
    )


def no_parameter(ctx: EvalContext, evidence: tuple[Evidence, ...] = ()) -> Outcome:
    """A per-level parameter has no entry at the system's level: the check does not apply."""
    return Outcome(
        Status.NOT_APPLICABLE,
        Text2(
            vi=f"Không có ngưỡng cho cấp độ {ctx.level}",
            en=f"No threshold for level {ctx.level}",
        ),
        evidence,
    )


class _FactCheck(FrozenModel):
    fact: FactKey
    if_missing: Missing = "fail"

    def _missing(self, ctx: EvalContext) -> Outcome:
        status = Status(self.if_missing)
        return Outcome(
            status=status,
            message=ctx.not_yet_reason(self.fact)
            or Text2(
                vi=f"Không có thông tin '{self.fact}' trong danh mục kiểm kê",
                en=f"'{self.fact}' is not declared in the inventory",
            ),
            evidence=(Evidence(fact=self.fact, value=None),),
        )

    def _observation_error(self, ctx: EvalContext, reason: str) -> Outcome:
        return unobserved(self.fact, reason, (ctx.evidence(self.fact, ctx.fact(self.fact)),))

    def _verdict(self, ctx: EvalContext, ok: bool, vi: str, en: str) -> Outcome:
        fact = ctx.fact(self.fact)  # memoised: no second lookup
        return Outcome(
            status=Status.PASS if ok else Status.FAIL,
            message=Text2(vi=vi, en=en),
            evidence=(ctx.evidence(self.fact, fact),),
        )

    def evaluate(self, ctx: EvalContext) -> Outcome:
        fact = ctx.fact(self.fact)
        if fact is None:
            return self._missing(ctx)
        if fact.error is not None:
            return self._observation_error(ctx, fact.error)
        return self.judge(ctx, fact.value)

    def judge(self, ctx: EvalContext, value: Any) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError


class Present(_FactCheck):
    """The fact is declared (and, for booleans, true; for collections, not empty)."""

    kind: Literal["present"]

    def judge(self, ctx: EvalContext, value: Any) -> Outcome:
        empty = isinstance(value, str | tuple | list | set | frozenset | dict) and not value
        ok = value is not False and not empty
        return self._verdict(
            ctx,
            ok,
            vi=f"'{self.fact}' " + ("đã được khai báo" if ok else "trống hoặc không có"),
            en=f"'{self.fact}' " + ("is declared" if ok else "is empty or false"),
        )


class Equals(_FactCheck):
    kind: Literal["equals"]
    value: str | int | float | bool

    def judge(self, ctx: EvalContext, value: Any) -> Outcome:
        ok = _same(value, self.value)
        return self._verdict(
            ctx,
            ok,
            vi=f"'{self.fact}' = {_fmt(value)}, yêu cầu {_fmt(self.value)}",
            en=f"'{self.fact}' is {_fmt(value)}, required {_fmt(self.value)}",
        )


class OneOf(_FactCheck):
    kind: Literal["one_of"]
    values: tuple[str | int | float | bool, ...] = Field(min_length=1)

    def judge(self, ctx: EvalContext, value: Any) -> Outcome:
        ok = any(_same(value, allowed) for allowed in self.values)
        allowed = ", ".join(_fmt(v) for v in self.values)
        return self._verdict(
            ctx,
            ok,
            vi=f"'{self.fact}' = {_fmt(value)}, chấp nhận: {allowed}",
            en=f"'{self.fact}' is {_fmt(value)}, accepted: {allowed}",
        )


class _Compare(_FactCheck):
    value: float | dict[LevelKey, float]

    _check_map = field_validator("value")(_check_level_map)

    def judge(self, ctx: EvalContext, value: Any) -> Outcome:
        limit = by_level(self.value, ctx.level)
        if limit is None:
            return no_parameter(ctx)
        if not _is_number(value):
            return Outcome(
                Status.ERROR,
                Text2(
                    vi=f"'{self.fact}' không phải là số: {_fmt(value)}",
                    en=f"'{self.fact}' is not a number: {_fmt(value)}",
                ),
                (ctx.evidence(self.fact, ctx.fact(self.fact)),),
            )
        return self.compare(ctx, float(value), limit)

    def compare(self, ctx: EvalContext, value: float, limit: float) -> Outcome:
        raise NotImplementedError  # pragma: no cover - abstract


class AtLeast(_Compare):
    kind: Literal["at_least"]

    def compare(self, ctx: EvalContext, value: float, limit: float) -> Outcome:
        return self._verdict(
            ctx,
            value >= limit,
            vi=f"'{self.fact}' = {value:g}, tối thiểu {limit:g}",
            en=f"'{self.fact}' is {value:g}, minimum {limit:g}",
        )


class AtMost(_Compare):
    kind: Literal["at_most"]

    def compare(self, ctx: EvalContext, value: float, limit: float) -> Outcome:
        return self._verdict(
            ctx,
            value <= limit,
            vi=f"'{self.fact}' = {value:g}, tối đa {limit:g}",
            en=f"'{self.fact}' is {value:g}, maximum {limit:g}",
        )


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

    def judge(self, ctx: EvalContext, value: Any) -> Outcome:
        ok = isinstance(value, str) and re.search(self.pattern, value) is not None
        return self._verdict(
            ctx,
            ok,
            vi=f"'{self.fact}' = {_fmt(value)} so với mẫu {self.pattern!r}",
            en=f"'{self.fact}' is {_fmt(value)} against pattern {self.pattern!r}",
        )


class WithinDays(_FactCheck):
    """A date no older than N days at the audit date (e.g. the last independent assessment)."""

    kind: Literal["within_days"]
    days: int | dict[LevelKey, int]

    _check_map = field_validator("days")(_check_level_map)

    def judge(self, ctx: EvalContext, value: Any) -> Outcome:
        day = as_date(value)
        limit = by_level(self.days, ctx.level)
        if limit is None:
            return Outcome(
                Status.NOT_APPLICABLE,
                Text2(
                    vi=f"Không có thời hạn cho cấp độ {ctx.level}",
                    en=f"No period set for level {ctx.level}",
                ),
            )
        if day is None:
            return Outcome(
                Status.ERROR,
                Text2(
                    vi=f"'{self.fact}' không phải ngày: {_fmt(value)}",
                    en=f"'{self.fact}' is not a date: {_fmt(value)}",
                ),
            )
        age = (ctx.as_of - day).days
        if age < 0:  # it had not happened on the audit date: as if it were not declared
            return Outcome(
                Status(self.if_missing),
                not_yet_text(f"'{self.fact}'", day, ctx.as_of),
                (ctx.evidence(self.fact, ctx.fact(self.fact)),),
            )
        return self._verdict(
            ctx,
            age <= limit,
            vi=f"'{self.fact}' = {day.isoformat()}, đã {age} ngày (tối đa {limit} ngày)",
            en=f"'{self.fact}' is {day.isoformat()}, {age} days ago (limit {limit} days)",
        )


class NotExpired(_FactCheck):
    """A date (contract end, expiry) that has not passed at the audit date."""

    kind: Literal["not_expired"]

    def judge(self, ctx: EvalContext, value: Any) -> Outcome:
        day = as_date(value)
        if day is None:
            return Outcome(
                Status.ERROR,
                Text2(
                    vi=f"'{self.fact}' không phải ngày: {_fmt(value)}",
                    en=f"'{self.fact}' is not a date: {_fmt(value)}",
                ),
            )
        left = (day - ctx.as_of).days
        if left >= 0:
            return self._verdict(
                ctx,
                True,
                vi=f"'{self.fact}' = {day.isoformat()}, còn {left} ngày",
                en=f"'{self.fact}' is {day.isoformat()}, {left} days left",
            )
        return self._verdict(
            ctx,
            False,
            vi=f"'{self.fact}' = {day.isoformat()}, đã hết hạn {-left} ngày",
            en=f"'{self.fact}' is {day.isoformat()}, expired {-left} days ago",
        )


class Before(_FactCheck):
    """Date `fact` is on or before date `other` (e.g. regulation issued before approval)."""

    kind: Literal["before"]
    other: FactKey

    def judge(self, ctx: EvalContext, value: Any) -> Outcome:
        other = ctx.fact(self.other)
        first = as_date(value)
        evidence = (ctx.evidence(self.fact, ctx.fact(self.fact)), ctx.evidence(self.other, other))
        if other is not None and other.error is not None:
            return unobserved(self.other, other.error, evidence)
        second = as_date(other.value) if other is not None else None
        if other is not None and second is None:
            return Outcome(
                Status.ERROR,
                Text2(vi=f"'{self.other}' không phải ngày", en=f"'{self.other}' is not a date"),
                evidence,
            )
        if second is None:
            return Outcome(
                Status(self.if_missing),
                Text2(
                    vi=f"Không có thông tin '{self.other}' để so sánh",
                    en=f"'{self.other}' is not declared, nothing to compare with",
                ),
                evidence,
            )
        if first is None:
            return Outcome(
                Status.ERROR,
                Text2(vi=f"'{self.fact}' không phải ngày", en=f"'{self.fact}' is not a date"),
                evidence,
            )
        ok = first <= second
        return Outcome(
            Status.PASS if ok else Status.FAIL,
            Text2(
                vi=f"'{self.fact}' ({first.isoformat()}) "
                + ("không sau" if ok else "sau")
                + f" '{self.other}' ({second.isoformat()})",
                en=f"'{self.fact}' ({first.isoformat()}) is "
                + ("not after" if ok else "after")
                + f" '{self.other}' ({second.isoformat()})",
            ),
            evidence,
        )


class RatioAtLeast(FrozenModel):
    """numerator / denominator >= ratio (e.g. protected endpoints / all endpoints)."""

    kind: Literal["ratio_at_least"]
    numerator: FactKey
    denominator: FactKey
    ratio: float | dict[LevelKey, float] = Field(default=1.0)
    if_missing: Missing = "fail"

    _check_map = field_validator("ratio")(_check_level_map)

    def evaluate(self, ctx: EvalContext) -> Outcome:
        num, den = ctx.fact(self.numerator), ctx.fact(self.denominator)
        evidence = (ctx.evidence(self.numerator, num), ctx.evidence(self.denominator, den))
        failed = [f for f in (num, den) if f is not None and f.error is not None]
        if failed:
            reasons = "; ".join(f"{f.key}: {f.error}" for f in failed)
            return Outcome(
                Status.ERROR,
                Text2(vi=f"Không quan sát được: {reasons}", en=f"Could not observe: {reasons}"),
                evidence,
            )
        if num is None or den is None:
            return Outcome(
                Status(self.if_missing),
                Text2(
                    vi=f"Thiếu '{self.numerator}' hoặc '{self.denominator}'",
                    en=f"'{self.numerator}' or '{self.denominator}' is not declared",
                ),
                evidence,
            )
        target = by_level(self.ratio, ctx.level)
        if target is None:
            return no_parameter(ctx, evidence)
        if not _is_number(num.value) or not _is_number(den.value):
            return Outcome(
                Status.ERROR,
                Text2(vi="Giá trị không phải số", en="Values are not numbers"),
                evidence,
            )
        if den.value == 0:
            return Outcome(
                Status.NOT_APPLICABLE,
                Text2(vi=f"'{self.denominator}' = 0", en=f"'{self.denominator}' is 0"),
                evidence,
            )
        ratio = num.value / den.value
        ok = ratio >= target
        return Outcome(
            Status.PASS if ok else Status.FAIL,
            Text2(
                vi=f"Tỷ lệ {num.value}/{den.value} = {ratio:.0%}, yêu cầu {target:.0%}",
                en=f"Ratio {num.value}/{den.value} = {ratio:.0%}, required {target:.0%}",
            ),
            evidence,
        )


class Attested(FrozenModel):
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

    def evaluate(self, ctx: EvalContext) -> Outcome:
        wanted = self.topic or ctx.rule_id
        found = [a for a in ctx.attestations if a.get("rule") == wanted]
        if not found:
            return Outcome(
                Status.MANUAL,
                Text2(
                    vi=f"Cần bằng chứng/xác nhận cho '{wanted}' (chưa có trong danh mục kiểm kê)",
                    en=f"Needs evidence or an attestation for '{wanted}' (none in the inventory)",
                ),
            )
        validity = by_level(self.validity_days, ctx.level) or 0
        best: tuple[dt.date, Mapping[str, Any]] | None = None
        pending: list[tuple[dt.date, str]] = []
        for item in found:
            document = item["document"]
            effective = item.get("effective") or document["date"]
            expires = item.get("valid_until") or effective + dt.timedelta(days=validity)
            # not in force before its effective date, nor before its document existed
            since = max(effective, document["date"])
            if since > ctx.as_of:
                pending.append((since, document["number"]))
            elif best is None or expires > best[0]:
                best = (expires, item)
        if best is None:
            since, number = min(pending)
            return Outcome(
                Status.MANUAL,
                not_yet_text(
                    f"Xác nhận {number} cho '{wanted}'",
                    since,
                    ctx.as_of,
                    f"The attestation {number} for '{wanted}'",
                    ("có hiệu lực từ ngày", "takes effect on"),
                ),
            )
        expires, item = best
        document = item["document"]
        effective = item.get("effective") or document["date"]
        evidence = (
            Evidence(
                fact=f"attestation.{wanted}",
                value={
                    "document": document["number"],
                    "date": document["date"].isoformat(),
                    "attested_by": item["attested_by"],
                    "valid_until": expires.isoformat(),
                },
                origin=ctx.origin("attestations"),
            ),
        )
        if self.since is not None:
            event = ctx.fact(self.since)
            event_day = as_date(event.value) if event is not None else None
            if event_day is not None and effective < event_day:
                return Outcome(
                    Status.MANUAL,
                    Text2(
                        vi=f"Xác nhận {document['number']} ({effective.isoformat()}) có trước "
                        f"'{self.since}' ({event_day.isoformat()}); cần xác nhận lại",
                        en=f"Attestation {document['number']} ({effective.isoformat()}) predates "
                        f"'{self.since}' ({event_day.isoformat()}); attest again",
                    ),
                    (*evidence, ctx.evidence(self.since, event)),
                )
        if expires < ctx.as_of:
            return Outcome(
                Status.MANUAL,
                Text2(
                    vi=f"Xác nhận {document['number']} đã hết hiệu lực ngày {expires.isoformat()}; "
                    "cần xác nhận lại",
                    en=f"Attestation {document['number']} lapsed on {expires.isoformat()}; "
                    "attest again",
                ),
                evidence,
            )
        return Outcome(
            Status.PASS,
            Text2(
                vi=f"Đã xác nhận bởi {item['attested_by']} ({document['number']}), "
                f"hiệu lực đến {expires.isoformat()}",
                en=f"Attested by {item['attested_by']} ({document['number']}), "
                f"valid until {expires.isoformat()}",
            ),
            evidence,
        )


Scalar = str | int | float | bool


def _plain(value: Any) -> Any:
    """An enum member as its value, so 'dmz' and Zone.DMZ compare equal."""
    return value.value if isinstance(value, Enum) else value


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

    def judge(self, ctx: EvalContext, value: Any) -> Outcome:
        wanted = by_level(self.values, ctx.level)
        if wanted is None:
            return Outcome(
                Status.NOT_APPLICABLE,
                Text2(
                    vi=f"Không có yêu cầu cho cấp độ {ctx.level}",
                    en=f"No requirement for level {ctx.level}",
                ),
            )
        if isinstance(value, Mapping):
            held = [_plain(k) for k in value]
        elif isinstance(value, tuple | list | set | frozenset):
            held = [_plain(v) for v in value]
        else:
            return Outcome(
                Status.ERROR,
                Text2(
                    vi=f"'{self.fact}' không phải danh sách: {_fmt(value)}",
                    en=f"'{self.fact}' is not a list or set: {_fmt(value)}",
                ),
                (ctx.evidence(self.fact, ctx.fact(self.fact)),),
            )
        missing = [w for w in wanted if not any(_same(h, w) for h in held)]
        if not missing:
            return self._verdict(
                ctx,
                True,
                vi=f"'{self.fact}' có đủ: {_fmt(wanted)}",
                en=f"'{self.fact}' holds all of {_fmt(wanted)}",
            )
        return self._verdict(
            ctx,
            False,
            vi=f"'{self.fact}' = {_fmt(held)}, thiếu: {_fmt(missing)}",
            en=f"'{self.fact}' is {_fmt(held)}, missing: {_fmt(missing)}",
        )


CriterionId = Annotated[
    str,
    Field(
        pattern=r"^(nd85|nd331)(\.[a-z0-9]+)*$",
        description="A criterion id or a prefix of ids, e.g. nd85.9.2.c or nd85.9.2",
    ),
]


class Fired(FrozenModel):
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

    def evaluate(self, ctx: EvalContext) -> Outcome:
        regime: str = self.regime
        if regime == "governing":
            governing = ctx.fact("regime")
            regime = str(_plain(governing.value)) if governing is not None else ""
        key = f"level.criteria.{regime}"
        fact = ctx.fact(key) if regime else None
        if fact is None:
            return Outcome(
                Status(self.if_missing),
                Text2(
                    vi=f"Không có thông tin '{key}' (các tiêu chí xác định cấp độ)",
                    en=f"'{key}' (the criteria that set the level) is not available",
                ),
                (Evidence(fact=key, value=None),),
            )
        evidence = (ctx.evidence(key, fact),)
        if fact.error is not None:
            return unobserved(key, fact.error, evidence)
        wanted = by_level(self.criteria, ctx.level)
        if wanted is None:
            return Outcome(
                Status.NOT_APPLICABLE,
                Text2(
                    vi=f"Không có tiêu chí nào được nêu cho cấp độ {ctx.level}",
                    en=f"No criteria listed for level {ctx.level}",
                ),
                evidence,
            )
        fired = [str(c) for c in (fact.value or ())]
        hits = _matching(fired, wanted)
        listed = ", ".join(wanted)
        shown = ", ".join(fired) or "—"
        if hits:
            return Outcome(
                Status.PASS,
                Text2(
                    vi=f"Tiêu chí đã áp dụng: {', '.join(hits)} (thuộc: {listed})",
                    en=f"Criteria that fired: {', '.join(hits)} (listed: {listed})",
                ),
                evidence,
            )
        # Unknown is not no: a listed criterion that undeclared facts could still meet.
        possible_key = f"level.possible.{regime}"
        possible = ctx.fact(possible_key)
        maybe = _matching([str(c) for c in (possible.value or ())] if possible else [], wanted)
        if maybe:
            waiting = ctx.fact(f"level.open.{regime}")
            by_id = waiting.value if waiting is not None else {}
            named = ", ".join(
                dict.fromkeys(str(name) for c in maybe for name in by_id.get(c, ()))
            ) or "—"
            return Outcome(
                Status.MANUAL,
                Text2(
                    vi=f"Chưa xác định được tiêu chí {', '.join(maybe)} (thuộc: {listed}) do "
                    f"thiếu thông tin phân loại; cần khai báo: {named}",
                    en=f"Cannot tell whether {', '.join(maybe)} (listed: {listed}) holds: "
                    f"classification facts are not declared; declare: {named}",
                ),
                (*evidence, ctx.evidence(possible_key, possible)),
                undecided=True,
            )
        return Outcome(
            Status.FAIL,
            Text2(
                vi=f"Không tiêu chí nào trong {listed} được áp dụng (tiêu chí: {shown})",
                en=f"None of {listed} fired (criteria: {shown})",
            ),
            evidence,
        )


def _matching(ids: list[str], wanted: tuple[str, ...]) -> list[str]:
    """Ids equal to a wanted id or below a wanted prefix (whole dotted parts only)."""
    return sorted({c for c in ids for w in wanted if c == w or c.startswith(w + ".")})


class SameAs(_FactCheck):
    """Two facts agree, e.g. what the inventory declares and what a probe observed."""

    kind: Literal["same_as"]
    other: FactKey

    def judge(self, ctx: EvalContext, value: Any) -> Outcome:
        other = ctx.fact(self.other)
        evidence = (ctx.evidence(self.fact, ctx.fact(self.fact)), ctx.evidence(self.other, other))
        if other is not None and other.error is not None:
            return unobserved(self.other, other.error, evidence)
        if other is None:
            return Outcome(
                Status(self.if_missing),
                Text2(
                    vi=f"Không có thông tin '{self.other}' để đối chiếu",
                    en=f"'{self.other}' is not known, nothing to compare with",
                ),
                evidence,
            )
        ok = _same(_plain(value), _plain(other.value))
        return Outcome(
            Status.PASS if ok else Status.FAIL,
            Text2(
                vi=f"'{self.fact}' = {_fmt(value)}, '{self.other}' = {_fmt(other.value)}"
                + ("" if ok else ": không khớp"),
                en=f"'{self.fact}' is {_fmt(value)}, '{self.other}' is {_fmt(other.value)}"
                + ("" if ok else ": they disagree"),
            ),
            evidence,
        )


class Expiring(FrozenModel):
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

    def evaluate(self, ctx: EvalContext) -> Outcome:
        left = ctx.fact(self.days_left)
        share = ctx.fact(self.lifetime_left) if self.fraction is not None else None
        evidence = tuple(
            ctx.evidence(key, fact)
            for key, fact in ((self.days_left, left), (self.lifetime_left, share))
            if fact is not None
        )
        for fact in (left, share):
            if fact is not None and fact.error is not None:
                return unobserved(fact.key, fact.error, evidence)
        if left is None or (self.fraction is not None and share is None):
            return Outcome(
                Status(self.if_missing),
                Text2(
                    vi=f"Không có thông tin '{self.days_left}'",
                    en=f"'{self.days_left}' is not known",
                ),
                evidence or (Evidence(fact=self.days_left, value=None),),
            )
        limit = by_level(self.days, ctx.level)
        if limit is None:
            return no_parameter(ctx, evidence)
        local = ctx.fact(self.override) if self.override is not None else None
        if local is not None and _is_number(local.value) and int(local.value) > limit:
            limit = int(local.value)
            evidence = (*evidence, ctx.evidence(local.key, local))
        days = left.value
        if not _is_number(days):
            return Outcome(
                Status.ERROR,
                Text2(
                    vi=f"'{self.days_left}' không phải là số",
                    en=f"'{self.days_left}' is not a number",
                ),
                evidence,
            )
        if days < 0:
            return Outcome(
                Status.NOT_APPLICABLE,
                Text2(
                    vi=f"Đã hết hạn {-days} ngày (đánh giá ở quy tắc hết hạn)",
                    en=f"Expired {-days} days ago (judged by the expiry rule)",
                ),
                evidence,
            )
        window = by_level(self.fraction, ctx.level) if self.fraction is not None else None
        fraction = float(share.value) if share is not None and _is_number(share.value) else None
        late = days <= limit and (window is None or fraction is None or fraction <= window)
        share_vi = "" if fraction is None else f", còn {fraction:.0%} thời hạn"
        share_en = "" if fraction is None else f", {fraction:.0%} of its lifetime"
        window_vi = "" if window is None else f" và ≤ {window:.0%} thời hạn"
        window_en = "" if window is None else f" and ≤ {window:.0%} of the lifetime"
        return Outcome(
            Status.FAIL if late else Status.PASS,
            Text2(
                vi=f"Còn {days} ngày{share_vi} (cảnh báo khi ≤ {limit} ngày{window_vi})",
                en=f"{days} days left{share_en} (warning at ≤ {limit} days{window_en})",
            ),
            evidence,
        )


class Builtin(FrozenModel):
    """A named check written in Python (see checks/builtins.py for the closed list)."""

    kind: Literal["builtin"]
    name: str

    def evaluate(self, ctx: EvalContext) -> Outcome:
        function = ctx.builtins.get(self.name)
        if function is None:  # validated at load time; kept as a guard for library users
            return Outcome(
                Status.ERROR,
                Text2(
                    vi=f"Không có kiểm tra '{self.name}'", en=f"Unknown builtin check '{self.name}'"
                ),
            )
        return function(ctx)


class AllOf(FrozenModel):
    kind: Literal["all"]
    checks: tuple[CheckSpec, ...] = Field(min_length=1)

    def evaluate(self, ctx: EvalContext) -> Outcome:
        return combine_all([c.evaluate(ctx) for c in self.checks])


class AnyOf(FrozenModel):
    """One alternative suffices. A pass cites the alternative that passed (its evidence first,
    the others' only for the attestations they looked at) and, when declared data and an
    attestation were both weighed, says which of them the verdict rests on."""

    kind: Literal["any"]
    checks: tuple[CheckSpec, ...] = Field(min_length=1)

    def evaluate(self, ctx: EvalContext) -> Outcome:
        outcomes = [c.evaluate(ctx) for c in self.checks]
        passing = [o for o in outcomes if o.status is Status.PASS]
        if not passing:
            # Three-valued "or": while a part depends on undeclared facts, a failing part does
            # not decide the whole — the undecided part may still pass. (Evidence that is
            # merely awaited, an `attested` with no attestation, does not count: the burden of
            # proof is the auditee's, so failing data still fails.)
            undecided = [o for o in outcomes if o.undecided]
            if undecided:
                combined = combine_all(undecided)
                return Outcome(
                    combined.status, combined.message, _evidence(outcomes), combined.severity,
                    True,
                )
            return combine_all(outcomes)
        winner = passing[0]
        attested = [o for o in outcomes if _cites_attestation(o)]
        evidence = winner.evidence + tuple(
            e
            for o in attested
            if o is not winner
            for e in o.evidence
            if _is_attestation(e) and e not in winner.evidence
        )
        return Outcome(Status.PASS, _which_won(winner, outcomes, attested), evidence)


def _is_attestation(evidence: Evidence) -> bool:
    return evidence.fact.startswith("attestation.")


def _cites_attestation(outcome: Outcome) -> bool:
    return any(_is_attestation(e) for e in outcome.evidence)


def _which_won(winner: Outcome, outcomes: list[Outcome], attested: list[Outcome]) -> Text2:
    """The passing alternative's message, prefixed with what it rests on when declared data
    and an attestation were both weighed (an attestation that was found, valid or not)."""
    data = [o for o in outcomes if o not in attested]
    if not attested or not data:
        return winner.message
    if winner in attested:
        return Text2(
            vi=f"Đạt nhờ xác nhận: {winner.message.vi}; dữ liệu khai báo: "
            + "; ".join(o.message.vi for o in data),
            en=f"Passed on the attestation: {winner.message.en}; declared data: "
            + "; ".join(o.message.en for o in data),
        )
    return Text2(
        vi=f"Đạt theo dữ liệu khai báo: {winner.message.vi}; không dựa vào xác nhận: "
        + "; ".join(o.message.vi for o in attested),
        en=f"Passed on the declared data: {winner.message.en}; the attestation was not relied "
        "on: " + "; ".join(o.message.en for o in attested),
    )


class Not(FrozenModel):
    kind: Literal["not"]
    check: CheckSpec

    def evaluate(self, ctx: EvalContext) -> Outcome:
        inner = self.check.evaluate(ctx)
        flipped = {Status.PASS: Status.FAIL, Status.FAIL: Status.PASS}
        status = flipped.get(inner.status, inner.status)
        return Outcome(
            status,
            Text2(vi=f"Phủ định: {inner.message.vi}", en=f"Negated: {inner.message.en}"),
            inner.evidence,
            undecided=inner.undecided,
        )


class ForEach(FrozenModel):
    """Every host / endpoint / certificate must satisfy `check`."""

    kind: Literal["for_each"]
    over: CollectionName
    check: CheckSpec
    when_empty: Literal["pass", "fail", "not_applicable"] = "not_applicable"

    def evaluate(self, ctx: EvalContext) -> Outcome:
        items = ctx.collections.get(self.over, ())
        if not items:
            return Outcome(
                Status(self.when_empty),
                Text2(
                    vi=f"Không có mục nào trong '{self.over}'", en=f"No entries in '{self.over}'"
                ),
            )
        outcomes = []
        for item in items:
            outcome = self.check.evaluate(ctx.with_item(item))
            outcomes.append(
                Outcome(
                    outcome.status,
                    Text2(
                        vi=f"{item.subject}: {outcome.message.vi}",
                        en=f"{item.subject}: {outcome.message.en}",
                    ),
                    outcome.evidence,
                    outcome.severity,
                )
            )
        return combine_all(outcomes)


# Worst first: the status a combination takes when its parts disagree.
_PRECEDENCE = (Status.FAIL, Status.ERROR, Status.MANUAL, Status.PASS, Status.NOT_APPLICABLE)


def _evidence(outcomes: list[Outcome]) -> tuple[Evidence, ...]:
    return tuple(e for o in outcomes for e in o.evidence)


_RANK = {status: rank for rank, status in enumerate(_PRECEDENCE)}


def combine_all(outcomes: list[Outcome]) -> Outcome:
    """All parts must pass; not-applicable parts are ignored unless everything is."""
    if outcomes:
        worst = min(outcomes, key=lambda o: _RANK.get(o.status, len(_RANK))).status
        if worst in _RANK:
            chosen = [o for o in outcomes if o.status is worst]
            severities = [o.severity for o in chosen if o.severity is not None]
            return Outcome(
                worst,
                Text2(
                    vi="; ".join(o.message.vi for o in chosen),
                    en="; ".join(o.message.en for o in chosen),
                ),
                _evidence(outcomes),
                max(severities, key=lambda s: s.rank) if severities else None,
                any(o.undecided for o in chosen),
            )
    return Outcome(Status.NOT_APPLICABLE, Text2(vi="Không có kiểm tra", en="No checks"))


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
