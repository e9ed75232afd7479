"""The package's error types. The CLI turns every AuditorError into one line and exit code 2."""

from __future__ import annotations

from collections.abc import Sequence
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


#: At most this many problems are shown at once (the count of the rest is given).
MAX_REPORTED = 100


class CombinedInputError(InputError):
    """Several input errors found in one run, reported together (exit code 2).

    Shown grouped by file (in the order the files were read, then by line), one
    `FILE:LINE:COL: field '…': message` line each, at most MAX_REPORTED of them. It is an
    InputError whose location and message are the first problem's, so code that handles one
    error keeps working.
    """

    problems: tuple[InputError, ...]
    total: int
    files: tuple[str, ...]

    def __init__(self, problems: Sequence[InputError], total: int | None = None) -> None:
        flat: list[InputError] = []
        hidden = 0
        for problem in problems:
            if isinstance(problem, CombinedInputError):
                flat.extend(problem.problems)
                hidden += problem.total - len(problem.problems)
            else:
                flat.append(problem)
        if not flat:
            raise ValueError("CombinedInputError needs at least one problem")
        files: dict[str, int] = {}
        for problem in flat:
            files.setdefault(problem.location.file, len(files))
        flat.sort(key=lambda p: (files[p.location.file], p.location.line or 0))
        self.problems = tuple(flat[:MAX_REPORTED])
        self.total = max(total or 0, len(flat) + hidden)
        self.files = tuple(files)
        super().__init__(flat[0].location, flat[0].message)

    def __str__(self) -> str:
        if self.total == 1:
            return str(self.problems[0])
        if len(self.files) == 1:
            lines = [f"{self.files[0]}: {self.total} problems:"]
        else:
            lines = [f"{self.total} problems in {len(self.files)} files:"]
        lines.extend(f"  {problem}" for problem in self.problems)
        if self.total > len(self.problems):
            lines.append(
                f"  ... and {self.total - len(self.problems)} more (the first "
                f"{len(self.problems)} are shown; fix them and run again)"
            )
        return "\n".join(lines)


def combine(problems: Sequence[InputError]) -> InputError:
    """One error for all of `problems` (itself when there is just one)."""
    if len(problems) == 1:
        return problems[0]
    return CombinedInputError(problems)
