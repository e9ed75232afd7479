"""How long-running work (live probes, nmap batches) says how far it has got.

The runners in probes/ and scan/ report through this protocol; report/progress.py draws it on
the terminal. Neither side imports the other.
"""

from __future__ import annotations

from typing import Protocol


class ProgressListener(Protocol):
    """Told how much work there is and when each piece is done (the CLI draws a bar)."""

    def planned(self, tasks: int) -> None: ...

    def done(self, label: str) -> None: ...


class Silent:
    """A listener that is told everything and shows nothing (the default)."""

    def planned(self, tasks: int) -> None:
        pass

    def done(self, label: str) -> None:
        pass
