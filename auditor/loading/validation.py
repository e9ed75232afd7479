"""Turn pydantic validation errors into InputError naming file, line and field path."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from auditor.errors import MAX_REPORTED, CombinedInputError, InputError, Location
from auditor.loading.library_messages import pydantic_vi
from auditor.loading.safe_yaml import field_path, line_of
from auditor.messages import Msg, MsgValueError

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


_QUOTED_MAX = 80  # characters of an offending value quoted in a message
_USERINFO = re.compile(r"(//)[^/@\s]*@")
_NOT_QUOTED = frozenset({"extra_forbidden", "missing", "value_error", "assertion_error"})


def _quoted(value: Any) -> str | None:
    """The offending value as the message shows it: short, escaped, no password."""
    if isinstance(value, bool | int | float | dt.date | dt.time):
        text = repr(value) if isinstance(value, bool | int | float) else value.isoformat()
    elif isinstance(value, str):
        shown = _USERINFO.sub(r"\1***@", value)
        if len(shown) > _QUOTED_MAX:
            shown = shown[: _QUOTED_MAX - 1] + "…"
        text = repr(shown)
    else:
        return None  # a mapping or a list: the field path says where it is
    return text if len(text) <= _QUOTED_MAX + 10 else text[: _QUOTED_MAX + 9] + "…"


def describe_error(error: Any) -> Msg:
    """One pydantic error in both languages, quoting the offending value."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, MsgValueError):  # our own validators: their text in both languages
        return cause.text
    english = str(error["msg"])
    if kind == "extra_forbidden":
        english = "unknown field (check the spelling; see `auditor schema`)"
    elif kind == "missing":
        english = "required field is missing"
    if english.startswith("Value error, "):
        english = english[len("Value error, ") :]
    message = Msg(pydantic_vi(kind, ctx) or english, english)
    if kind not in _NOT_QUOTED:  # our own validators quote the value themselves
        shown = _quoted(error.get("input"))
        if shown is not None:
            message = message.suffixed(f" (nhận được {shown})", f" (got {shown})")
    return message


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
