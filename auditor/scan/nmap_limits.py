"""What one nmap XML file may hold (`Limits`), the error that names where a file breaks it or
is not nmap's XML (`NmapXmlError`), and values from the file made safe for a message.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.errors import InputError, Location
from auditor.messages import Msg

_TRUNCATED = " […]"


@dataclass(frozen=True)
class Limits:
    """Bounds on what one file may hold (the file size is bounded by `max_bytes`)."""

    max_hosts: int = 1_000_000
    max_ports_per_host: int = 131_072  # every TCP and UDP port, listed one by one
    max_scripts_per_port: int = 1_000
    max_script_output: int = 64 * 1024  # characters of a script's text output kept
    max_script_elements: int = 10_000  # <table>/<elem> kept per script
    max_text: int = 64 * 1024  # characters of any other text or attribute kept
    max_depth: int = 64  # element nesting


DEFAULT_LIMITS = Limits()


class NmapXmlError(InputError):
    """Malformed, truncated or unsafe nmap XML. `str()` is one line: 'FILE:LINE:COL: message'
    (1-based line and column; without them when the fault is not at a place in the file)."""

    def __init__(self, source: str, line: int | None, column: int | None, message: Msg) -> None:
        super().__init__(Location(source, line, column), message)
        self.source = source
        self.line = line
        self.column = column


def quote(value: object, limit: int = 80) -> str:
    """A value from the file, made safe for a one-line message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "…" + text[-1]


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - len(_TRUNCATED))] + _TRUNCATED
