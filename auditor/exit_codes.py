"""Process exit codes: part of the CLI contract (README table is tested against this)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # audit done; nothing at or above --fail-on; gate: the system may go live
    FINDINGS = 1  # findings at or above --fail-on, or the go-live gate is closed
    BAD_INPUT = 2  # bad input or usage: nothing was written
