"""The rich console every terminal rendering prints through: inventory text made harmless.

Tables, titles and lines all reach the terminal as strings through `Console.render_str`, so
escaping there covers every renderer at once, including ones added later: control and bidi
characters in agency or system names, messages and file names are shown as `\\x1b`,
`\\u202e`… instead of acting on the terminal (tty or pipe). Newlines and tabs are kept (our
own layout uses them); renderers escape them too in single-line fields (names) with
`safe_text`.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from auditor.safe_text import safe_layout


class SafeConsole(Console):
    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(safe_layout(text), **kwargs)


def terminal_console(*, stderr: bool = False) -> SafeConsole:
    """Piped output (CI logs, files) gets a wide fixed width instead of rich's 80 columns."""
    console = SafeConsole(highlight=False, soft_wrap=False, stderr=stderr)
    if not console.is_terminal:
        console = SafeConsole(highlight=False, soft_wrap=False, width=160, stderr=stderr)
    return console
