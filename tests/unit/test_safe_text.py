"""The helpers that show control and bidi characters as escapes (terminal, CSV and XLSX
output) or write them as JSON escapes (JSON output: the data stays exact)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.report.annual.csv_out import csv_text
from auditor.safe_text import has_unsafe, json_safe, json_safe_bytes, safe_layout, safe_text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Sở Y tế", "Sở Y tế"),
        ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
        ("a\x1b[31mb", "a\\x1b[31mb"),
        ("line\rover", "line\\rover"),
        ("a\nb\tc", "a\\nb\\tc"),
        ("\x00\x7f\x85\x9b", "\\x00\\x7f\\x85\\x9b"),
        ("abc\u202edef", "abc\\u202edef"),
        ("\u200e\u200f\u202a\u2066\u2069\u061c", "\\u200e\\u200f\\u202a\\u2066\\u2069\\u061c"),
        ("zero\u200dwidth joiner stays", "zero\u200dwidth joiner stays"),
    ],
)
def test_safe_text_shows_every_control_and_bidi_character(raw: str, shown: str) -> None:
    assert safe_text(raw) == shown
    assert safe_text(shown) == shown  # idempotent: escapes are plain text


def test_safe_layout_keeps_newlines_and_tabs() -> None:
    assert safe_layout("a\n\tb\x1b\r") == "a\n\tb\\x1b\\r"
    assert not has_unsafe("multi\nline\ttext")
    assert has_unsafe("a\u202e") and has_unsafe("\r")
    assert has_unsafe("a\nb", keep_layout=False)


def test_csv_cells_are_escaped_before_formula_defusing() -> None:
    assert csv_text("Sở\x1b[31m A\u202e") == "Sở\\x1b[31m A\\u202e"
    assert csv_text("\rx") == "\\rx"  # no longer a CR at the start: nothing to defuse
    assert csv_text("=1+1") == "'=1+1"


# -- JSON: escapes that keep the data exact ----------------------------------------------------

#: Every character json_safe must escape, and a few it must leave alone (Vietnamese letters,
#: punctuation that shares a UTF-8 lead byte with the bidi characters, NBSP after 0xC2).
_JSON_ESCAPED = "\x7f" + "".join(map(chr, range(0x80, 0xA0))) + "\u061c\u200e\u200f" + (
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_JSON_KEPT = "Sở Y tế – đạt… ’“ ≥15% \u00a0\u200d\u2010\u2065\u206a"


@pytest.mark.parametrize("char", list(_JSON_ESCAPED))
def test_json_safe_escapes_each_character_a_terminal_acts_on(char: str) -> None:
    text = f"Sở {char} A"
    dumped = json.dumps({"name": text}, ensure_ascii=False)
    for safe in (json_safe(dumped), json_safe_bytes(dumped.encode()).decode()):
        assert char not in safe
        assert f"\\u{ord(char):04x}" in safe
        assert json.loads(safe) == {"name": text}  # the data is exact


def test_json_safe_leaves_everything_else_byte_for_byte() -> None:
    dumped = json.dumps({"name": _JSON_KEPT, "c0": "\x1b\x07"}, ensure_ascii=False)
    assert json_safe(dumped) == dumped
    assert json_safe_bytes(dumped.encode()) == dumped.encode()


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from(_JSON_ESCAPED + _JSON_KEPT + "ab\"\\\n"), max_size=40))
def test_json_safe_bytes_agrees_with_the_text_version(text: str) -> None:
    dumped = json.dumps(text, ensure_ascii=False)
    raw = json_safe_bytes(dumped.encode())
    assert raw.decode() == json_safe(dumped)
    assert json.loads(raw) == text
    assert not any(char in raw.decode() for char in _JSON_ESCAPED)
