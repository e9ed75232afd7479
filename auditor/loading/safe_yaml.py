"""Hardened YAML reading: safe constructors only, with line numbers and resource limits.

What this adds to yaml.safe_load:
- duplicate keys are errors (YAML says they are; PyYAML silently keeps the last one);
- every mapping remembers the line of each key, so later errors name file and line;
- size, nesting depth and alias expansion are bounded (alias bombs, huge files);
- input must be UTF-8 text (no NUL bytes); errors become InputError with file and line.

Reading the file is `auditor.loading.input_file`'s job, and building the values from the
parser's events is `auditor.loading.yaml_events`'; their public names are importable from
here as well.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from auditor.errors import InputError, Location
from auditor.library_messages import yaml_problem
from auditor.loading.input_file import DEFAULT_LIMITS, Limits, not_a_file, os_reason, read_text
from auditor.loading.yaml_events import (
    EventBuilder,
    LineDict,
    LineList,
    field_path,
    too_deep,
    unsupported_tag,
)
from auditor.messages import Msg

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "LineDict",
    "LineList",
    "field_path",
    "line_of",
    "load_yaml_file",
    "not_a_file",
    "os_reason",
    "parse_yaml",
    "read_text",
    "too_deep",
    "unsupported_tag",
]


try:  # the C parser is several times faster; fall back to pure Python where it is missing
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = yaml.SafeLoader  # type: ignore[assignment,misc]


def parse_yaml(text: str, source: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Parse one YAML document into LineDict/LineList values; errors name file and line."""
    parser = _Parser(text)
    try:
        return EventBuilder(source, limits).build(parser)
    except InputError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        if "maximum nesting depth" in problem:
            # libyaml >= 0.2.5 (PyYAML 6.0.4 wheels) stops at 1,000 levels by itself, before
            # our own limit is reached: report it the same way.
            raise InputError(Location(source, line, column), too_deep(limits.max_depth)) from exc
        raise InputError(Location(source, line, column), yaml_problem(problem)) from exc
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        code = f"U+{ord(character):04X}"
        raise InputError(
            Location(source, line, column),
            Msg(
                f"YAML không hợp lệ: không được dùng ký tự điều khiển trong văn bản YAML ({code})",
                f"invalid YAML: control characters are not allowed in YAML text ({code})",
            ),
        ) from exc
    except yaml.YAMLError as exc:
        raise InputError(Location(source), yaml_problem(str(exc))) from exc
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()


def load_yaml_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, bytes]:
    text, raw = read_text(path, limits)
    return parse_yaml(text, str(path), limits), raw


def line_of(data: Any, loc: tuple[int | str, ...]) -> int | None:
    """The line of the deepest element of `loc` (a pydantic error location) found in data."""
    line: int | None = getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line
