"""Turn pydantic validation errors into InputError naming file, line and field path."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from auditor.errors import InputError, Location
from auditor.loading.safe_yaml import line_of

M = TypeVar("M", bound=BaseModel)

_MAX_REPORTED = 10


def field_path(loc: tuple[int | str, ...]) -> str:
    """pydantic location -> 'agencies[0].systems[2].hosts[0].name'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def _clean_loc(loc: tuple[int | str, ...], data: Any) -> tuple[int | str, ...]:
    """Drop location parts that exist only inside pydantic, not in the input file.

    Discriminated unions add the tag (e.g. 'present' for a check of kind present) and
    function validators add 'function-after[...]'; walking the input alongside the location
    tells which parts are real keys.
    """
    cleaned: list[int | str] = []
    node = data
    for part in loc:
        if isinstance(part, str) and ("[" in part or "(" in part):
            continue
        if isinstance(node, dict):
            if part in node:
                node = node[part]
            elif node.get("kind") == part:
                continue  # the discriminator's tag
            else:
                node = None
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
        cleaned.append(part)
    return tuple(cleaned)


def _describe(error: Any) -> str:
    kind = error["type"]
    message = str(error["msg"])
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see `auditor schema`)"
    if kind == "missing":
        return "required field is missing"
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return message


def validate(model: type[M], data: Any, source: str) -> M:
    """Validate `data` (read from `source`) as `model`, or raise one InputError for all errors."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems: list[tuple[Location, str]] = []
        for error in exc.errors()[:_MAX_REPORTED]:
            loc = _clean_loc(tuple(error["loc"]), data)
            location = Location(source, line_of(data, loc), None, field_path(loc) or None)
            problems.append((location, _describe(error)))
        if len(problems) == 1:
            raise InputError(*problems[0]) from None
        lines = [f"{location}: {text}" for location, text in problems]
        extra = exc.error_count() - _MAX_REPORTED
        if extra > 0:
            lines.append(f"... and {extra} more errors")
        first = problems[0][0]
        raise InputError(
            Location(source, first.line, None, first.field),
            f"{exc.error_count()} problems:\n  " + "\n  ".join(lines),
        ) from None
