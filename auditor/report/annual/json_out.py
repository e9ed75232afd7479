"""The annual figures as JSON: the same numbers as the HTML, for other tools (ministry portals,
dashboards). Last year's figures come without their per-system rows, which the previous
year's own report already holds."""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import TypeAdapter

from auditor.report.annual.figures import AnnualFigures
from auditor.safe_text import json_safe_bytes

FORMAT = "auditor-annual/1"
_ADAPTER: TypeAdapter[AnnualFigures] = TypeAdapter(AnnualFigures)


def figures_dict(figures: AnnualFigures) -> dict[str, Any]:
    previous = figures.previous
    return {
        "format": FORMAT,
        "figures": _ADAPTER.dump_python(dataclasses.replace(figures, previous=None), mode="json"),
        "previous": None
        if previous is None
        else _ADAPTER.dump_python(
            dataclasses.replace(previous, previous=None, systems=()), mode="json"
        ),
    }


def figures_json(figures: AnnualFigures) -> bytes:
    # DEL, C1 and bidi characters of inventory names as JSON escapes (terminal-safe, exact).
    return json_safe_bytes(
        TypeAdapter(dict[str, Any]).dump_json(figures_dict(figures), indent=2) + b"\n"
    )
