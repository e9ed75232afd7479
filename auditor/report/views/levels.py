"""A system's security level as the page shows it: declared, approved and effective, and per
regime the level its declared facts prove, the criteria that decide it and what is undecided."""

from __future__ import annotations

from dataclasses import dataclass

from auditor.code_words import article
from auditor.model.results import LevelResult
from auditor.report import labels
from auditor.report.level_groups import undecided_groups


@dataclass(frozen=True, slots=True)
class CriterionView:
    id: str
    level: int
    reference: str
    component: str | None
    label: str = ""  # the id as its place in the decree the row names ("Đ9.2.c")


@dataclass(frozen=True, slots=True)
class RegimeLevel:
    code: str
    label: str
    level: int  # what the declared facts prove
    governing: bool
    criteria: tuple[CriterionView, ...]  # the criteria that decide the level
    upper: int = 0  # how high undeclared facts could still take it (= level when proven)
    also_met: tuple[CriterionView, ...] = ()  # proven, below the level: decide nothing
    undecided: tuple[str, ...] = ()  # "up to 5 depending on state_secret_harm (nd85.9.1, …)"


@dataclass(frozen=True, slots=True)
class LevelView:
    declared: int | None
    approved: int | None
    effective: int
    regimes: tuple[RegimeLevel, ...]
    governing_label: str
    reason: str
    under_declared: bool  # declared below the governing regime's computed minimum


def regime_order(code: str) -> tuple[int, str]:
    return ({"nd85": 0, "nd331": 1}.get(code, 2), code)


def level_view(level: LevelResult, lang: str) -> LevelView:
    governing = level.governing_regime
    regimes = tuple(
        _regime_level(level, code, code == governing, lang)
        for code in sorted(level.computed, key=regime_order)
    )
    computed = level.computed.get(governing)
    return LevelView(
        declared=level.declared,
        approved=level.approved,
        effective=level.effective,
        regimes=regimes,
        governing_label=labels.regime(governing, lang),
        reason=level.regime_reason.en if lang == "en" else level.regime_reason.vi,
        under_declared=(
            level.declared is not None and computed is not None and level.declared < computed
        ),
    )


def _places(ids: list[str], lang: str) -> str:
    """Criteria labels ("nd85.9.1 (component)") as their places in the row's decree."""
    shown = []
    for label in ids:
        code, _, component = label.partition(" ")
        shown.append(article(code).get(lang) + (f" {component}" if component else ""))
    return ", ".join(shown)


def _regime_level(level: LevelResult, code: str, governing: bool, lang: str) -> RegimeLevel:
    low = level.computed[code]
    ordered = sorted(level.criteria.get(code, ()), key=lambda c: (-c.level, c.id))
    template = labels.ui(lang)["level_undecided"]
    return RegimeLevel(
        code=code,
        label=labels.regime(code, lang),
        level=low,
        governing=governing,
        criteria=tuple(
            CriterionView(c.id, c.level, c.reference, c.component, article(c.id).get(lang))
            for c in ordered
            if c.level == low
        ),
        upper=level.upper.get(code, low),
        also_met=tuple(
            CriterionView(c.id, c.level, c.reference, c.component, article(c.id).get(lang))
            for c in ordered
            if c.level < low
        ),
        undecided=tuple(
            template.format(level=top, facts=facts, ids=_places(ids, lang))
            for top, facts, ids in undecided_groups(level.undecided.get(code, ()))
        ),
    )
