"""A summary's counts and scores as the page's summary boxes show them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from auditor.model.results import Severity, Summary
from auditor.report import labels

_COUNT_ORDER: Final = (
    ("pass", "passed"),
    ("fail", "failed"),
    ("manual", "manual"),
    ("error", "error"),
    ("waived", "waived"),
    ("not_applicable", "not_applicable"),
)
_SEVERITIES: Final = tuple(sorted(Severity, key=lambda s: s.rank, reverse=True))


@dataclass(frozen=True, slots=True)
class Count:
    code: str
    label: str
    n: int


@dataclass(frozen=True, slots=True)
class SummaryView:
    score: float | None
    earned: int
    possible: int
    score_without_waivers: float | None
    earned_without_waivers: int
    possible_without_waivers: int
    statuses: tuple[Count, ...]  # pass, fail, manual, error, waived, not_applicable
    severities: tuple[Count, ...]  # open, non-advisory findings; critical first
    findings: int
    failed: int
    manual: int
    error: int
    waived: int
    critical_high: int
    expired_waivers: int


def summary_view(summary: Summary, lang: str) -> SummaryView:
    counts = summary.counts
    statuses = tuple(
        Count(code, labels.status(code, lang), getattr(counts, field))
        for code, field in _COUNT_ORDER
    )
    severities = tuple(
        Count(s.value, labels.severity(s.value, lang), summary.by_severity.get(s.value, 0))
        for s in _SEVERITIES
    )
    return SummaryView(
        score=summary.score.value,
        earned=summary.score.earned,
        possible=summary.score.possible,
        score_without_waivers=summary.score_without_waivers.value,
        earned_without_waivers=summary.score_without_waivers.earned,
        possible_without_waivers=summary.score_without_waivers.possible,
        statuses=statuses,
        severities=severities,
        findings=sum(c.n for c in statuses),
        failed=counts.failed,
        manual=counts.manual,
        error=counts.error,
        waived=counts.waived,
        critical_high=summary.by_severity.get("critical", 0) + summary.by_severity.get("high", 0),
        expired_waivers=summary.expired_waivers,
    )
