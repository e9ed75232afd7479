"""How reports group the criteria that undeclared facts could still meet. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from auditor.model.results import OpenCriterionOut


def undecided_groups(open_: Sequence[OpenCriterionOut]) -> list[tuple[int, str, list[str]]]:
    """Open criteria grouped by the facts they wait for: (highest level, facts, criteria),
    highest first — "up to 5 depending on state_secret_harm (nd85.9.1, nd85.10.1, …)"."""
    groups: dict[str, tuple[int, list[str]]] = {}
    for c in open_:
        key = ", ".join(c.unknown)
        top, ids = groups.get(key, (0, []))
        label = c.id + (f" ({c.component})" if c.component else "")
        groups[key] = (max(top, c.level), [*ids, label] if label not in ids else ids)
    ordered = sorted(groups.items(), key=lambda item: (-item[1][0], item[0]))
    return [(top, facts, sorted(ids)) for facts, (top, ids) in ordered]
