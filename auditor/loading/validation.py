"""Turn pydantic validation errors into InputError naming file, line and field path."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from auditor.errors import MAX_REPORTED, CombinedInputError, InputError, Location
from auditor.library_messages import describe_error
from auditor.loading.safe_yaml import field_path, line_of

M = TypeVar("M", bound=BaseModel)

__all__ = ["describe_error", "field_path", "validate"]


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


def validate(model: type[M], data: Any, source: str) -> M:
    """Validate `data` (read from `source`) as `model`, or raise one InputError for all errors.

    Several problems become an CombinedInputError (each with its line and field path; at most
    MAX_REPORTED are kept, with the total count)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems: list[InputError] = []
        for error in exc.errors()[:MAX_REPORTED]:
            loc = _clean_loc(tuple(error["loc"]), data)
            location = Location(source, line_of(data, loc), None, field_path(loc) or None)
            problems.append(InputError(location, describe_error(error)))
        if len(problems) == 1:
            raise problems[0] from None
        raise CombinedInputError(problems, exc.error_count()) from None
