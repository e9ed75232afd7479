"""A progress bar for the live probes on the terminal (stderr), safe to call from threads."""

from __future__ import annotations

import threading
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from auditor.report.console import SafeConsole

_TITLE = {"vi": "Thăm dò trực tiếp", "en": "Probing"}


class ProbeProgress:
    """Implements the runner's ProgressListener; draws nothing when stderr is not a terminal."""

    def __init__(
        self, lang: str = "vi", console: Console | None = None, *, enabled: bool = True
    ) -> None:
        self.console = console or SafeConsole(stderr=True)
        self.enabled = enabled and self.console.is_terminal
        self.completed = 0
        self.total = 0
        self._lock = threading.Lock()
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[current]}"),
            console=self.console,
            transient=True,
        )
        self._task = self._progress.add_task(_TITLE.get(lang, _TITLE["en"]), total=0, current="")

    def __enter__(self) -> ProbeProgress:
        if self.enabled:
            self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.enabled:
            self._progress.stop()

    def planned(self, tasks: int) -> None:
        with self._lock:
            self.total += tasks
            self._progress.update(self._task, total=self.total)

    def done(self, label: str) -> None:
        with self._lock:
            self.completed += 1
            self._progress.update(self._task, completed=self.completed, current=label[:60])
