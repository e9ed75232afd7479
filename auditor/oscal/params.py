"""A rule's check parameters as OSCAL params: one per parameter and level.

A per-level parameter (`days: {1: 365, 3: 183, 5: 92}`) takes, at each level, the entry of
the greatest level at or below it (auditor.checks.values.by_level). A catalog reader should
not have to know that rule: each level of the rule's scope gets its own param with the value
that applies there (`asm-02_prm1_l3` = 183), and a `level` property saying which.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from auditor.checks.values import by_level
from auditor.oscal.common import prop
from auditor.rules import Rule

# The check fields that are thresholds or expected values (the other fields name facts,
# options or sub-checks); a per-level map is a parameter whatever its name.
_PARAMETER_FIELDS = frozenset(
    {"days", "value", "values", "ratio", "validity_days", "fraction", "criteria"}
)
_LEVEL_WORD = {"vi": "cấp độ", "en": "level"}


def _parameters(node: object, path: str) -> Iterator[tuple[str, str | None, Any]]:
    """(path, fact, value) of every parameter in a check, sub-checks included, in order."""
    if not isinstance(node, BaseModel):
        return
    fact = getattr(node, "fact", None)
    for name in type(node).model_fields:
        value = getattr(node, name)
        where = f"{path}.{name}"
        if isinstance(value, BaseModel):
            yield from _parameters(value, where)
        elif isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
            for index, child in enumerate(value):
                yield from _parameters(child, f"{where}[{index}]")
        elif value is not None and (
            name in _PARAMETER_FIELDS or (isinstance(value, dict) and _level_keyed(value))
        ):
            yield where, fact if isinstance(fact, str) else None, value


def _level_keyed(value: dict[Any, Any]) -> bool:
    return bool(value) and all(isinstance(k, int) and not isinstance(k, bool) for k in value)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple):
        return ", ".join(_shown(v) for v in value)
    return str(value)


def rule_params(rule: Rule, control: str, lang: str) -> list[dict[str, Any]]:
    """The params of a rule's control: per-level parameters once per level of its scope,
    plain ones once."""
    params: list[dict[str, Any]] = []
    levels = range(rule.levels.min_level, rule.levels.max_level + 1)
    for number, (path, fact, value) in enumerate(_parameters(rule.check, "check"), start=1):
        base = f"{control}_prm{number}"
        name = path.rsplit(".", 1)[-1]
        common = [prop("parameter", path)] + ([prop("fact", fact)] if fact else [])
        if not (isinstance(value, dict) and _level_keyed(value)):
            params.append(
                {"id": base, "label": name, "props": common, "values": [_shown(value)]}
            )
            continue
        for level in levels:
            at_level = by_level(value, level)
            if at_level is None:  # the map starts above this level: nothing applies there
                continue
            params.append(
                {
                    "id": f"{base}_l{level}",
                    "label": f"{name} ({_LEVEL_WORD.get(lang, 'level')} {level})",
                    "props": [*common, prop("level", level)],
                    "values": [_shown(at_level)],
                }
            )
    return params
