"""Cells cited in an inventory file: values an agency answered in its workbook.

`auditor workbook import` writes each value it takes from a workbook with an end-of-line
comment naming the cell (`users: 12000  # bảng tính: so-y-te.xlsx!Systems!V3`). The loader
reads those comments back, so the value's origin, and the evidence of every finding that
looks at it, is the cell the agency filled in rather than a line of YAML.
"""

from __future__ import annotations

import re

#: The word the comment starts with (Vietnamese: "spreadsheet"), then the cell reference.
MARK_WORD = "bảng tính"
_MARK = re.compile(
    rf"#[^\n]*?{MARK_WORD}: (?P<ref>[^\s!#]+\.xlsx![A-Za-z]+![A-Z]{{1,3}}[1-9][0-9]{{0,6}})"
)


def cited_cells(text: str) -> dict[int, str]:
    """Line number (1-based) -> the cell its comment cites; empty for most files (fast)."""
    if ".xlsx!" not in text:
        return {}
    found: dict[int, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if ".xlsx!" in line:
            match = _MARK.search(line)
            if match is not None:
                found[number] = match["ref"]
    return found
