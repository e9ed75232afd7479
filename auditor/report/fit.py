"""Tables that fit the terminal: a table is printed as a table when every cell fits on its
line (headers may wrap between words); on a narrower terminal — where rich would cut cells
and headers to "…" — each row is printed as a block instead: its first cell as a heading,
then one "column: value" line per other column, wrapped at the width between words.

The width is the console's (`report.console.terminal_console`: the terminal's own, or
COLUMNS on a pipe), so `COLUMNS=80 auditor audit …` shows what an 80-column terminal shows.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, RenderableType
from rich.markup import escape
from rich.table import Column, Table
from rich.text import Text


def _plain(cell: RenderableType) -> str:
    if isinstance(cell, Text):
        return cell.plain
    if isinstance(cell, str):
        return Text.from_markup(cell).plain
    return str(cell)


def _longest(text: str, words: bool) -> int:
    """The width of the longest line of `text` (of its longest word when `words`)."""
    lines = text.splitlines() or [""]
    if not words:
        return max(Text(line).cell_len for line in lines)
    return max((Text(word).cell_len for line in lines for word in line.split()), default=0)


def _cells(column: Column) -> list[RenderableType]:
    return list(column.cells)


def _widths(table: Table) -> list[int]:
    """Per column: the width its cells need on their own lines, or its header's longest word."""
    widths = []
    for column in table.columns:
        texts: Iterable[str] = (_plain(c) for c in _cells(column))
        header = _longest(_plain(column.header), True)
        widths.append(max([header, *(_longest(t, False) for t in texts)]))
    return widths


def _frame(table: Table) -> int:
    """The width of the borders and padding around the cells."""
    count = len(table.columns)
    edges = 0 if table.box is None else (count + 1 if table.show_edge else count - 1)
    _, right, _, left = table.padding
    return edges + (left + right) * count


def _natural_width(table: Table) -> int:
    """The width `table` takes with nothing wrapped."""
    widths = [
        max(_longest(_plain(column.header), False), width)
        for column, width in zip(table.columns, _widths(table), strict=True)
    ]
    return sum(widths) + _frame(table)


def least_width(table: Table) -> int:
    """The width `table` needs with every cell on its own lines and headers wrapped."""
    return sum(_widths(table)) + _frame(table)


def fits(table: Table, width: int) -> bool:
    return least_width(table) <= width


def _wrap_words(text: str, width: int) -> str:
    lines: list[str] = []
    for word in text.split():
        if lines and Text(lines[-1] + " " + word).cell_len <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _wrap_headers(table: Table) -> None:
    """Break each header between words to its column's width, so that rich, seeing a table
    no wider than the console, never has to shrink (and cut) a column."""
    for column, width in zip(table.columns, _widths(table), strict=True):
        if isinstance(column.header, str) and Text.from_markup(column.header).cell_len > width:
            column.header = _wrap_words(_plain(column.header), width)


def print_fitted(console: Console, table: Table) -> None:
    """`table` as a table when it fits the console's width, else one block per row."""
    if not fits(table, console.width):
        print_blocks(console, table)
        return
    if _natural_width(table) > console.width:
        _wrap_headers(table)
    console.print(table)


def print_blocks(console: Console, table: Table) -> None:
    """Each row as a heading (its first cell) and "header: value" lines for the others."""
    if table.title:
        console.print(table.title)
    columns = table.columns
    if not columns:
        return
    cells = [_cells(column) for column in columns]
    headers = [_plain(column.header) for column in columns]
    for row in range(len(cells[0])):
        if row:
            console.print()
        heading = cells[0][row]
        heading_text = heading if isinstance(heading, str) else escape(_plain(heading))
        label = f"{escape(headers[0])}: " if headers[0] else ""
        console.print(f"[bold]{label}{heading_text}[/bold]")
        for header, column_cells in zip(headers[1:], cells[1:], strict=True):
            value = column_cells[row]
            shown = value if isinstance(value, str) else escape(_plain(value))
            lines = shown.split("\n")
            if len(lines) == 1:
                console.print(f"  {escape(header)}: {shown}")
                continue
            console.print(f"  {escape(header)}:")
            for line in lines:
                console.print(f"    {line}")
    if table.caption:
        console.print(table.caption)
