"""JSON results: the versioned, deterministic machine-readable form of an AuditRun."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from auditor.model.results import AuditRun

_ADAPTER: TypeAdapter[AuditRun] = TypeAdapter(AuditRun)


def to_dict(run: AuditRun) -> Any:
    return _ADAPTER.dump_python(run, mode="json")


def to_json(run: AuditRun, indent: int | None = None) -> bytes:
    """UTF-8 JSON (Vietnamese stays readable) with a final newline.

    Serialised in one pass by pydantic-core. Deterministic without sorting: every key order
    comes from the dataclass field order or from dicts the engine builds in sorted order.
    """
    return _ADAPTER.dump_json(run, indent=indent) + b"\n"


def results_schema() -> dict[str, Any]:
    return _ADAPTER.json_schema()
