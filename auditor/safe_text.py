"""Inventory text made harmless for a terminal or a CSV cell.

Agency and system names, ids, messages and file names come from untrusted inventories. Raw
control characters in them would reach the terminal (ESC starts colour and OSC sequences such
as `ESC ] 0 ; title BEL`, CR overwrites a line) and bidirectional overrides (U+202E) reorder
what is shown. Every such character is replaced with a visible escape (`\\x1b`, `\\r`,
`\\u202e`), so the reader sees that it is there and nothing acts on it. rich's `escape()`
only handles markup; this handles the characters. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from typing import Final

#: C0 controls, DEL, C1 controls, and the Unicode format characters that change the order or
#: direction of what is displayed (LRM/RLM, embeddings and overrides, isolates, ALM).
UNSAFE: Final = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: The same without newline and tab: for whole console output, whose own layout uses them.
_UNSAFE_LAYOUT: Final = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_NAMED: Final = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_text(value: str) -> str:
    """`value` with every control and bidi character shown as an escape (`\\x1b`, `\\u202e`)."""
    return UNSAFE.sub(_visible, value) if UNSAFE.search(value) else value


def safe_layout(value: str) -> str:
    """Like `safe_text`, but newlines and tabs are kept: for text whose lines we laid out."""
    return _UNSAFE_LAYOUT.sub(_visible, value) if _UNSAFE_LAYOUT.search(value) else value


def has_unsafe(value: str, *, keep_layout: bool = True) -> bool:
    """Whether `value` holds a character `safe_text` would escape (by default newline and tab
    are allowed, as in multi-line text fields)."""
    return (_UNSAFE_LAYOUT if keep_layout else UNSAFE).search(value) is not None
