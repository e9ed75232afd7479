"""The rich console every terminal rendering prints through: inventory text made harmless.

Tables, titles and lines all reach the terminal as strings through `Console.render_str`, so
escaping there covers every renderer at once, including ones added later: control and bidi
characters in agency or system names, messages and file names are shown as `\\x1b`,
`\\u202e`… instead of acting on the terminal (tty or pipe). Newlines and tabs are kept (our
own layout uses them); renderers escape them too in single-line fields (names) with
`safe_text`.
"""

from __future__ import annotations

import os
from typing import Any

from rich.console import Console
from rich.text import Text

from auditor.safe_text import safe_layout


class SafeConsole(Console):
    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(safe_layout(text), **kwargs)


#: The width of piped output (CI logs, files) when COLUMNS does not set one.
PIPE_WIDTH = 160


def terminal_console(*, stderr: bool = False) -> SafeConsole:
    """A terminal's own width; piped output (CI logs, files) gets COLUMNS when it is set, else
    a wide fixed width instead of rich's 80 columns. Tables fit the width they are given
    (`report.fit`)."""
    console = SafeConsole(highlight=False, soft_wrap=False, stderr=stderr)
    if not console.is_terminal:
        columns = os.environ.get("COLUMNS", "")
        width = int(columns) if columns.isdigit() and int(columns) >= 20 else PIPE_WIDTH
        console = SafeConsole(highlight=False, soft_wrap=False, width=width, stderr=stderr)
    return console
