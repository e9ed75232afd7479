"""The national figures as JSON, for other tools: the same numbers as the HTML page, with
each province's annual figures as it signed them (without per-system rows)."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from auditor.report.national.figures import NationalFigures
from auditor.safe_text import json_safe_bytes

FORMAT = "auditor-national/1"
_ADAPTER: TypeAdapter[NationalFigures] = TypeAdapter(NationalFigures)


def national_json(figures: NationalFigures) -> bytes:
    national = _ADAPTER.dump_python(figures, mode="json")
    document: dict[str, Any] = {"format": FORMAT, "national": national}
    # DEL, C1 and bidi characters of names as JSON escapes (terminal-safe, exact).
    return json_safe_bytes(TypeAdapter(dict[str, Any]).dump_json(document, indent=2) + b"\n")
