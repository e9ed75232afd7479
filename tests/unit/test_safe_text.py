"""The helper that shows control and bidi characters as escapes (terminal and CSV output)."""

from __future__ import annotations

import pytest

from auditor.report.annual.csv_out import csv_text
from auditor.safe_text import has_unsafe, safe_layout, safe_text


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
