"""Warn about control and bidi characters in inventory text (names, ids, any text field).

An agency name holding `ESC ] 0 ; … BEL` or U+202E is accepted (the renderers show such
characters escaped, never raw) but is almost surely an attack or a paste accident, so
`validate` and `audit` say where it is (file:line, field).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

from auditor.errors import InputWarning, Location
from auditor.loading.safe_yaml import LineDict, LineList
from auditor.messages import Msg
from auditor.safe_text import has_unsafe, safe_text

# YAML refuses raw C0/C1 controls in a document: they arrive as double-quoted escapes
# ("\e", "\x1b", "\u202e"), which need a backslash, or raw as bidi characters (and NEL).
_MAYBE: Final = re.compile("[\\\\\x85\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def control_char_warnings(data: Any, raw: bytes, source: str) -> list[InputWarning]:
    """One warning per text value (or key) holding a control or bidi character."""
    text = raw.decode("utf-8", errors="replace")
    if _MAYBE.search(text) is None:  # the common case: nothing to walk
        return []
    return [
        InputWarning(
            Location(source, line, None, path or None),
            Msg(
                f"văn bản {safe_text(_shorten(value))} chứa ký tự điều khiển hoặc ký tự đổi "
                "chiều văn bản (chuỗi thoát của terminal, ký tự bidi); chúng được hiển thị "
                "dưới dạng mã thoát",
                f"text {safe_text(_shorten(value))} holds control or bidi characters "
                "(terminal escapes, text direction overrides); they are shown escaped",
            ),
        )
        for path, line, value in _strings(data, "", getattr(data, "line", None))
        if has_unsafe(value)
    ]


def _shorten(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


def _strings(node: Any, path: str, line: int | None) -> Iterator[tuple[str, int | None, str]]:
    if isinstance(node, str):
        yield path, line, node
    elif isinstance(node, LineDict):
        for key, value in node.items():
            where = node.key_lines.get(key, line)
            child = f"{path}.{key}" if path else str(key)
            if isinstance(key, str):
                yield child, where, key
            yield from _strings(value, child, where)
    elif isinstance(node, LineList):
        for index, value in enumerate(node):
            where = node.item_lines[index] if index < len(node.item_lines) else line
            yield from _strings(value, f"{path}[{index}]", where)

