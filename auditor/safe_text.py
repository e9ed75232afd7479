"""Inventory text made harmless for a terminal or a CSV cell.

Agency and system names, ids, messages and file names come from untrusted inventories. Raw
control characters in them would reach the terminal (ESC starts colour and OSC sequences such
as `ESC ] 0 ; title BEL`, CR overwrites a line) and bidirectional overrides (U+202E) reorder
what is shown. Every such character is replaced with a visible escape (`\\x1b`, `\\r`,
`\\u202e`), so the reader sees that it is there and nothing acts on it. rich's `escape()`
only handles markup; this handles the characters. JSON needs no visible escape: `json_safe`
writes the same characters as JSON escapes, which keep the data exact. Pure functions, no I/O.
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


# JSON keeps the data exact: a JSON encoder already writes C0 controls as `\u001b`, but with
# non-ASCII output it writes DEL, the C1 controls and the bidi characters raw, and a terminal
# that shows the JSON (`--json -`, `cat results.json`) would act on them (U+009B is a CSI in
# some terminals; U+202E reverses the text). Written as JSON escapes instead (`\u202e`), they
# decode to the very same string, so files and standard output carry the same bytes.
_JSON_UNSAFE: Final = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# The same characters in UTF-8: structural JSON is ASCII and UTF-8 never starts a character
# inside another one, so these byte sequences only ever are those characters, inside strings.
_JSON_UNSAFE_UTF8: Final = re.compile(
    b"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]"
)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _json_escape_utf8(match: re.Match[bytes]) -> bytes:
    return f"\\u{ord(match.group().decode('utf-8')):04x}".encode()


def json_safe(text: str) -> str:
    """JSON text with DEL, C1 controls and bidi characters written as JSON escapes."""
    return _JSON_UNSAFE.sub(_json_escape, text) if _JSON_UNSAFE.search(text) else text


#: What follows 0xE2 in the UTF-8 form of the bidi characters U+200E-U+200F, U+202A-U+202E
#: and U+2066-U+2069.
_BIDI_TAILS: Final = frozenset(
    [b"\x80\x8e", b"\x80\x8f"]
    + [bytes((0x80, low)) for low in range(0xAA, 0xAF)]
    + [bytes((0x81, low)) for low in range(0xA6, 0xAA)]
)


def _maybe_unsafe_utf8(data: bytes) -> bool:
    """A fast look for the characters json_safe_bytes escapes (the regular expression is
    several times slower over the hundreds of megabytes of a large run's JSON). 0xE2 also
    starts common punctuation (–, …, ’), so each one found is looked at."""
    if b"\x7f" in data or b"\xc2" in data or b"\xd8\x9c" in data:
        return True
    at = data.find(b"\xe2")
    while at != -1:
        if data[at + 1 : at + 3] in _BIDI_TAILS:
            return True
        at = data.find(b"\xe2", at + 1)
    return False


def json_safe_bytes(data: bytes) -> bytes:
    """UTF-8 JSON with DEL, C1 controls and bidi characters written as JSON escapes."""
    if not _maybe_unsafe_utf8(data):
        return data
    return _JSON_UNSAFE_UTF8.sub(_json_escape_utf8, data)
