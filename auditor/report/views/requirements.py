"""The requirements list at the end of the page: every rule in force once, with its legal basis
per regime and level, its remediation, and on how many systems it fails."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from auditor.report import labels
from auditor.report.views.context import Context, anchor
from auditor.rules import Rule


@dataclass(frozen=True, slots=True)
class ReferenceView:
    regime: str  # the regime's name, or "" when it applies under both
    text: str


@dataclass(frozen=True, slots=True)
class RequirementView:
    id: str
    anchor: str
    title: str
    group: str
    severity: str
    obligation: str
    levels: str
    gate: bool
    references: tuple[ReferenceView, ...]
    remediation: str
    failing: int  # systems on which it fails or errs


def requirement_view(ctx: Context, rule: Rule, failing: Mapping[str, int]) -> RequirementView:
    lang = ctx.lang
    low, high = rule.levels.min_level, rule.levels.max_level
    return RequirementView(
        id=rule.id,
        anchor=anchor("r", rule.id),
        title=rule.title.get(lang),
        group=labels.group(rule.group, lang),
        severity=ctx.rule_severity(rule.id),
        obligation=labels.obligation(rule.obligation.value, lang),
        levels=f"{low}–{high}" if low != high else str(low),
        gate=rule.gate,
        references=tuple(
            ReferenceView(
                regime="" if r.regime is None else labels.regime(r.regime.value, lang),
                text=r.text()
                if r.levels is None
                else r.document
                + ", "
                + "; ".join(
                    f"{ctx.t['level_n'].format(n=n)}: {clause.text()}"
                    for n, clause in sorted(r.levels.items())
                ),
            )
            for r in rule.references
        ),
        remediation=rule.remediation.get(lang),
        failing=failing.get(rule.id, 0),
    )
