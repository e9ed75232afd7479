"""The package's error types. The CLI turns every AuditorError into one line and exit code 2."""

from __future__ import annotations

from dataclasses import dataclass


class AuditorError(Exception):
    """Base of every error the CLI reports as bad input or usage (exit code 2)."""


@dataclass(frozen=True)
class Location:
    """Where in an input file something is: 1-based line and column, and a field path."""

    file: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        if self.field:
            text += f": field '{self.field}'"
        return text


@dataclass(frozen=True)
class InputWarning:
    """Something in an input file that is accepted but almost surely wrong (shown, not fatal)."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class InputError(AuditorError):
    """An input file (inventory, checklist, waiver list...) is not acceptable."""

    def __init__(self, location: Location, message: str) -> None:
        self.location = location
        self.message = message
        super().__init__(f"{location}: {message}")
