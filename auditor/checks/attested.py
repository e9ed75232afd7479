"""The `attested` check: a manual item closed by an attestation (document, who, effective
date) still valid at the audit date.

Most subjects attest few items, so most `attested` findings are "needs evidence": that
outcome is the same for every subject and is made once, when the check is compiled for its
rule (the topic is then known).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from auditor.asof import not_yet_text
from auditor.checks.context import Compiled, EvalContext, Outcome
from auditor.checks.text import LazyText, deferred
from auditor.checks.values import per_level
from auditor.messages import day_in, days
from auditor.model.base import as_date
from auditor.model.results import Evidence, Origin, Status, Text2

_MANUAL = Status.MANUAL


def _needs_evidence(en: bool, topic: str) -> str:
    if en:
        return f"Needs evidence or an attestation for '{topic}' (none in the inventory)"
    return f"Cần bằng chứng/xác nhận cho '{topic}' (chưa có trong danh mục kiểm kê)"


def _pending(number: str, topic: str, since: dt.date, as_of: dt.date) -> Text2:
    return not_yet_text(
        f"Xác nhận {number} cho '{topic}'",
        since,
        as_of,
        f"The attestation {number} for '{topic}'",
        ("có hiệu lực từ ngày", "takes effect on"),
    )


def _predates(en: bool, number: str, effective: dt.date, since: str, event: dt.date) -> str:
    if en:
        return (
            f"Attestation {number} ({day_in(effective, 'en')}) predates "
            f"'{since}' ({day_in(event, 'en')}); attest again"
        )
    return (
        f"Xác nhận {number} ({day_in(effective, 'vi')}) có trước "
        f"'{since}' ({day_in(event, 'vi')}); cần xác nhận lại"
    )


def _lapsed(en: bool, number: str, expires: dt.date, late: int | None = None) -> str:
    if en:
        overdue = "" if late is None else f", overdue by {days(late).en}"
        return f"Attestation {number} lapsed on {day_in(expires, 'en')}{overdue}; attest again"
    overdue = "" if late is None else f", quá hạn {days(late).vi}"
    return (
        f"Xác nhận {number} đã hết hiệu lực ngày {day_in(expires, 'vi')}{overdue}; "
        "cần xác nhận lại"
    )


def _attested(en: bool, by: str, number: str, expires: dt.date) -> str:
    if en:
        return f"Attested by {by} ({number}), valid until {day_in(expires, 'en')}"
    return f"Đã xác nhận bởi {by} ({number}), hiệu lực đến {day_in(expires, 'vi')}"


def _origin(ctx: EvalContext, item: Mapping[str, Any]) -> Origin:
    """Where the attestation used was declared: the `attestations:` list, or, for one
    imported from a workbook, the cell it was answered in (its own origin says so)."""
    position = next((i for i, a in enumerate(ctx.attestations) if a is item), None)
    if position is not None:
        own = ctx.origin(f"attestations.{position}")
        if own.source == "workbook":
            return own
    return ctx.origin("attestations")


def compile_attested(validity_days: Any, topic: str | None, since: str | None) -> Compiled:
    """`topic`: the attestation topic (the rule's id unless the check names one); None reads
    the rule id from the context (a check evaluated on its own, outside a plan)."""
    validity_at = per_level(validity_days)
    none_found = (
        Outcome(_MANUAL, LazyText(_needs_evidence, topic)) if topic is not None else None
    )

    def check(ctx: EvalContext) -> Outcome:
        wanted = topic or ctx.rule_id
        found = [a for a in ctx.attestations if a.get("rule") == wanted]
        if not found:
            return none_found or Outcome(_MANUAL, LazyText(_needs_evidence, wanted))
        validity = validity_at[ctx.level] or 0
        best: tuple[dt.date, Mapping[str, Any]] | None = None
        pending: list[tuple[dt.date, str]] = []
        for item in found:
            document = item["document"]
            effective = item.get("effective") or document["date"]
            expires = item.get("valid_until") or effective + dt.timedelta(days=validity)
            # not in force before its effective date, nor before its document existed
            start = max(effective, document["date"])
            if start > ctx.as_of:
                pending.append((start, document["number"]))
            elif best is None or expires > best[0]:
                best = (expires, item)
        if best is None:
            start, number = min(pending)
            return Outcome(_MANUAL, deferred(_pending, number, wanted, start, ctx.as_of))
        expires, item = best
        document = item["document"]
        number = document["number"]
        effective = item.get("effective") or document["date"]
        evidence = (
            Evidence(
                fact=f"attestation.{wanted}",
                value={
                    "document": number,
                    "date": document["date"].isoformat(),
                    "attested_by": item["attested_by"],
                    "valid_until": expires.isoformat(),
                },
                origin=_origin(ctx, item),
            ),
        )
        if since is not None:
            event = ctx.fact(since)
            event_day = as_date(event.value) if event is not None else None
            if event_day is not None and effective < event_day:
                return Outcome(
                    _MANUAL,
                    LazyText(_predates, number, effective, since, event_day),
                    (*evidence, ctx.evidence(since, event)),
                )
        if expires < ctx.as_of:
            return Outcome(
                _MANUAL, LazyText(_lapsed, number, expires, (ctx.as_of - expires).days), evidence
            )
        return Outcome(
            Status.PASS, LazyText(_attested, item["attested_by"], number, expires), evidence
        )

    return check
