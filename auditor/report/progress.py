"""What a command is doing, shown live on the terminal (stderr); safe to call from threads.

One line per kind of work, each appearing only once that work has something to do:
inventory files read n/N, live probes or nmap batches n/N (no line when nothing is probed),
systems judged n/N, outputs written n/N. Nothing is drawn unless stdout and stderr are both
terminals — a pipe, a file or a CI log gets no carriage returns and no escape codes — nor
when the command is told to be quiet. The lines vanish when the work is done.

rich.progress is imported only when something will be drawn.
"""

from __future__ import annotations

import sys
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

LABELS = {
    "files": {"vi": "Đọc tệp kiểm kê", "en": "Reading inventory files"},
    "probes": {"vi": "Thăm dò trực tiếp", "en": "Probing"},
    "systems": {"vi": "Đánh giá hệ thống", "en": "Judging systems"},
    "outputs": {"vi": "Ghi báo cáo", "en": "Writing the report"},
}
HISTORY = {"vi": "kho lịch sử", "en": "history store"}


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class CommandProgress:
    """Each `with` block is one live display, started when it first has a line to show;
    outside a `with` block, reports are ignored.

    `files(done, total)` and `systems(done, total)` are the callbacks of the inventory loader
    and the engine; `planned(n)` / `done(label)` make it the probe runner's and the nmap
    runner's ProgressListener; `outputs(done, total, name)` follows the files being written.
    """

    def __init__(
        self, lang: str = "vi", console: Console | None = None, *, enabled: bool = True
    ) -> None:
        self.lang = lang if lang in ("vi", "en") else "en"
        self.enabled = enabled and (
            console is not None or (_is_terminal(sys.stdout) and _is_terminal(sys.stderr))
        )
        self.console: Console | None = None
        if self.enabled:
            from auditor.report.console import SafeConsole

            self.console = console or SafeConsole(stderr=True)
            self.enabled = self.console.is_terminal
        self.probes_done = 0
        self.probes_total = 0
        self._lock = threading.RLock()
        self._active = False  # inside a `with` block, and enabled
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> CommandProgress:
        with self._lock:
            self._active = self.enabled
            self._tasks = {}
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with self._lock:
            progress, self._progress, self._active = self._progress, None, False
        if progress is not None:
            progress.stop()

    def _start(self) -> Progress:
        """The live display, started with the first line it has to show."""
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[current]}"),
            console=self.console,
            transient=True,
        )
        progress.start()
        return progress

    def _show(self, kind: str, done: int, total: int, current: str = "") -> None:
        with self._lock:
            if not self._active:
                return
            task = self._tasks.get(kind)
            if task is None:
                if total <= 0:
                    return  # nothing of this kind to do: no line for it
                if self._progress is None:
                    self._progress = self._start()
                task = self._progress.add_task(LABELS[kind][self.lang], total=total, current="")
                self._tasks[kind] = task
            assert self._progress is not None  # noqa: S101 - a task implies the display
            from rich.markup import escape

            self._progress.update(task, completed=done, total=total, current=escape(current[:60]))

    def files(self, done: int, total: int) -> None:
        """Inventory files read so far, of all."""
        self._show("files", done, total)

    def systems(self, done: int, total: int) -> None:
        """Systems judged so far, of all."""
        self._show("systems", done, total)

    def outputs(self, done: int, total: int, current: str = "") -> None:
        """Outputs written so far, of all; `current` names the one being written."""
        self._show("outputs", done, total, current)

    def recording(self, done: int, total: int) -> None:
        """Outputs written so far, of all, the run now being recorded in the history store."""
        self._show("outputs", done, total, HISTORY[self.lang])

    def planned(self, tasks: int) -> None:
        with self._lock:
            self.probes_total += tasks
            self._show("probes", self.probes_done, self.probes_total)

    def done(self, label: str) -> None:
        with self._lock:
            self.probes_done += 1
            self._show("probes", self.probes_done, self.probes_total, label)
