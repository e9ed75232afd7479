"""Scores and status counts, derived from findings (never stored by hand).

score = 100 × Σ weight(passed) / Σ weight(applicable), where a finding's weight comes from its
severity (critical 10, high 5, medium 3, low 1, info 0), advisory rules and not-applicable
findings are left out, and `manual` and `error` count as not met. With waivers, a waived
finding counts as met; without, its measured status is used.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence

from auditor.model.results import (
    SEVERITY_WEIGHT,
    Finding,
    Obligation,
    Score,
    Severity,
    Status,
    StatusCounts,
    Summary,
    Text2,
)

SCORE_METHOD = Text2(
    vi="Điểm = 100 × tổng trọng số các yêu cầu đạt / tổng trọng số các yêu cầu áp dụng; trọng số "
    "theo mức độ: nghiêm trọng 10, cao 5, trung bình 3, thấp 1, thông tin 0; không tính yêu cầu "
    "khuyến nghị và không áp dụng; 'cần xác nhận' và 'lỗi' tính là chưa đạt. Điểm có miễn trừ "
    "tính các phát hiện được miễn trừ hợp lệ là đạt; điểm không miễn trừ dùng kết quả đo được.",
    en="Score = 100 × weight of requirements met / weight of applicable requirements; weights by "
    "severity: critical 10, high 5, medium 3, low 1, info 0; advisory and not-applicable "
    "requirements are left out; 'manual' and 'error' count as not met. The score with waivers "
    "counts validly waived findings as met; the score without waivers uses the measured status.",
)

_OPEN = frozenset({Status.FAIL, Status.ERROR})
_BLOCKING = frozenset({Status.FAIL, Status.ERROR, Status.MANUAL})


def score(findings: Iterable[Finding], with_waivers: bool = True) -> Score:
    earned = possible = 0
    for finding in findings:
        if finding.obligation is Obligation.ADVISORY:
            continue
        status = finding.status if with_waivers else finding.measured_status
        if status is Status.NOT_APPLICABLE:
            continue
        weight = SEVERITY_WEIGHT[finding.severity]
        possible += weight
        if status in (Status.PASS, Status.WAIVED):
            earned += weight
    return _ratio(earned, possible)


def counts(findings: Iterable[Finding]) -> StatusCounts:
    tally = Counter(f.status for f in findings)
    return StatusCounts(
        passed=tally[Status.PASS],
        failed=tally[Status.FAIL],
        manual=tally[Status.MANUAL],
        not_applicable=tally[Status.NOT_APPLICABLE],
        error=tally[Status.ERROR],
        waived=tally[Status.WAIVED],
    )


def gate_blocking(findings: Iterable[Finding]) -> list[Finding]:
    """Findings that stop a system going live: gate rules not met (advisory ones excepted)."""
    return [
        f
        for f in findings
        if f.gate and f.obligation is not Obligation.ADVISORY and f.status in _BLOCKING
    ]


_MET = frozenset({Status.PASS, Status.WAIVED})


def summarise(findings: list[Finding]) -> Summary:
    """counts, both scores, open severities, expired waivers and the gate, in one pass over
    the findings (what `counts`, `score` and `gate_blocking` compute, a million at a time)."""
    tally: Counter[Status] = Counter()
    by_severity: Counter[Severity] = Counter()
    earned = possible = earned_measured = possible_measured = expired = 0
    blocked = False
    advisory, not_applicable = Obligation.ADVISORY, Status.NOT_APPLICABLE
    for f in findings:
        status = f.status
        tally[status] += 1
        if f.waiver is not None and f.waiver.expired:
            expired += 1
        if f.obligation is advisory:  # advisory findings inform; they never count
            continue
        if status in _OPEN:  # towards --fail-on
            by_severity[f.severity] += 1
        if f.gate and status in _BLOCKING:
            blocked = True
        weight = SEVERITY_WEIGHT[f.severity]
        if status is not not_applicable:
            possible += weight
            if status in _MET:
                earned += weight
        measured = f.measured_status
        if measured is not not_applicable:
            possible_measured += weight
            if measured in _MET:
                earned_measured += weight
    return Summary(
        counts=StatusCounts(
            passed=tally[Status.PASS],
            failed=tally[Status.FAIL],
            manual=tally[Status.MANUAL],
            not_applicable=tally[Status.NOT_APPLICABLE],
            error=tally[Status.ERROR],
            waived=tally[Status.WAIVED],
        ),
        score=_ratio(earned, possible),
        score_without_waivers=_ratio(earned_measured, possible_measured),
        by_severity={s.value: by_severity.get(s, 0) for s in Severity},
        expired_waivers=expired,
        gate_blocked=blocked,
    )


def total(points: Iterable[tuple[int, int]]) -> Score:
    """The score of a whole from the (earned, possible) points of its parts.

    The one place a score is made of points: `auditor audit` (through `combine`) and the
    annual report's agency ranking both end here, so the same findings give the same score,
    rounded the same way.
    """
    earned = possible = 0
    for e, p in points:
        earned += e
        possible += p
    return _ratio(earned, possible)


def _ratio(earned: int, possible: int) -> Score:
    return Score(
        value=round(100 * earned / possible, 1) if possible else None,
        earned=earned,
        possible=possible,
    )


def combine(summaries: Sequence[Summary]) -> Summary:
    """The summary of a whole made of parts (an agency's systems, a province's agencies).

    Every figure is a sum, so a roll-up never rescans findings; scores are recomputed from
    the summed weights, not averaged.
    """
    tally: Counter[str] = Counter()
    for summary in summaries:
        tally.update(dataclasses.asdict(summary.counts))
    return Summary(
        counts=StatusCounts(**{name: tally[name] for name in StatusCounts.__dataclass_fields__}),
        score=total((s.score.earned, s.score.possible) for s in summaries),
        score_without_waivers=total(
            (s.score_without_waivers.earned, s.score_without_waivers.possible)
            for s in summaries
        ),
        by_severity={
            sev.value: sum(s.by_severity.get(sev.value, 0) for s in summaries) for sev in Severity
        },
        expired_waivers=sum(s.expired_waivers for s in summaries),
        gate_blocked=any(s.gate_blocked for s in summaries),
    )


def worst_open_severity(summary: Summary) -> Severity | None:
    for severity in sorted(Severity, key=lambda s: s.rank, reverse=True):
        if summary.by_severity.get(severity.value, 0):
            return severity
    return None
