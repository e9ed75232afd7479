"""Condensed pages: above FULL_DETAIL_MAX_SYSTEMS systems a page lists each system's findings as
lines of rule ids by status (and severity) instead of one block per finding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from auditor.model.results import Finding
from auditor.report.views.context import Context

# Above this many systems a page is condensed: a system lists the rule ids it does not meet by
# status and severity; titles, legal basis and remediation are given once per rule in the
# requirements list, and the JSON has every message and piece of evidence. A full page costs
# tens of kilobytes per system; a condensed one about two, so 10,000 systems stay loadable.
FULL_DETAIL_MAX_SYSTEMS: Final = 100


def full_detail(systems: int) -> bool:
    """Whether a page of this many systems shows every finding in full."""
    return systems <= FULL_DETAIL_MAX_SYSTEMS


@dataclass(frozen=True, slots=True)
class CompactLine:
    """Rule ids of one status (and severity) on one line, for condensed pages."""

    status: str
    label: str
    severity: str | None
    severity_label: str | None
    n: int
    rule_ids: str


def compact_lines(
    ctx: Context, ordered: Sequence[Finding], by_severity: bool
) -> tuple[CompactLine, ...]:
    """Consecutive findings of one status (and severity) as one line of rule ids."""
    lines: list[CompactLine] = []
    start = 0
    for index in range(1, len(ordered) + 1):
        first = ordered[start]
        if index < len(ordered):
            current = ordered[index]
            same = current.status is first.status and (
                not by_severity or current.severity is first.severity
            )
            if same:
                continue
        chunk = ordered[start:index]
        lines.append(
            CompactLine(
                status=first.status.value,
                label=ctx.status_labels[first.status.value],
                severity=first.severity.value if by_severity else None,
                severity_label=(
                    ctx.severity_labels[first.severity.value] if by_severity else None
                ),
                n=len(chunk),
                rule_ids=", ".join(
                    f.rule_id
                    + (" (U)" if ctx.unverified(f.rule_id) else "")
                    + (f" [{f.subject}]" if f.subject else "")
                    for f in chunk
                ),
            )
        )
        start = index
    return tuple(lines)


def without_manual_ids(lines: Sequence[CompactLine]) -> tuple[CompactLine, ...]:
    """Condensed pages name the failed rules but only count the items awaiting an attestation:
    they are the same few dozen ids on every system, and listing them would put a
    10,000-system page over its size budget (all of it is in the JSON)."""
    return tuple(replace(line, rule_ids="") if line.status == "manual" else line for line in lines)
