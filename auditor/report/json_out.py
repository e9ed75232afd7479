"""JSON results: the versioned, deterministic machine-readable form of an AuditRun."""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from auditor.model.results import AuditRun

_ADAPTER: TypeAdapter[AuditRun] = TypeAdapter(AuditRun)


def to_dict(run: AuditRun) -> Any:
    return _ADAPTER.dump_python(run, mode="json")


def to_json(run: AuditRun) -> bytes:
    """Sorted keys, fixed indentation, UTF-8 (Vietnamese text stays readable), final newline."""
    text = json.dumps(to_dict(run), ensure_ascii=False, sort_keys=True, indent=2)
    return (text + "\n").encode("utf-8")


def results_schema() -> dict[str, Any]:
    return _ADAPTER.json_schema()
