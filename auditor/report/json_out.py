"""JSON results: the versioned, deterministic machine-readable form of an AuditRun.

The data is exact; DEL, C1 controls and bidi characters from inventory text are written as
JSON escapes (`\u202e`), never raw, so showing the JSON on a terminal is harmless
(`auditor.safe_text.json_safe`). A file and standard output get the same bytes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from pydantic import TypeAdapter

from auditor.model.results import AuditRun, SystemResult
from auditor.safe_text import json_safe_bytes

_ADAPTER: TypeAdapter[AuditRun] = TypeAdapter(AuditRun)
_SYSTEM: TypeAdapter[SystemResult] = TypeAdapter(SystemResult)
_ANY: TypeAdapter[Any] = TypeAdapter(Any)


def to_dict(run: AuditRun) -> Any:
    return _ADAPTER.dump_python(run, mode="json")


def json_chunks(run: AuditRun) -> Iterator[bytes]:
    """The results as compact UTF-8 JSON, one system at a time.

    Serialising a 10,000-system run in one piece holds half a gigabyte of JSON beside the run
    itself; chunks keep the peak to one system. Keys come in dataclass field order and every
    dict the engine builds is sorted, so the output is byte-identical across runs.
    """
    yield b"{"
    for index, field in enumerate(dataclasses.fields(AuditRun)):
        if index:
            yield b","
        yield _ANY.dump_json(field.name) + b":"
        value = getattr(run, field.name)
        if field.name == "systems":
            yield b"["
            for position, system in enumerate(value):
                if position:
                    yield b","
                yield json_safe_bytes(_SYSTEM.dump_json(system))
            yield b"]"
        else:
            yield json_safe_bytes(_ANY.dump_json(value))
    yield b"}\n"


def to_json(run: AuditRun) -> bytes:
    """The whole results document (see json_chunks); prefer the chunks for large runs."""
    return b"".join(json_chunks(run))


def results_schema() -> dict[str, Any]:
    return _ADAPTER.json_schema()
