"""Progress people can trust (issue 13): on a terminal the CLI shows what it is really doing —
inventory files read n/N, systems judged n/N, the report written — and no probe line when
nothing is probed; on a pipe, or with -q, it shows nothing at all.

The CLI runs on a real pseudo-terminal (`pty`): stdout and stderr both on it, as in an
interactive shell. The live display is transient (erased when done), but everything it drew
passed through the terminal, so the bytes read from it hold every frame, the last frame of
each phase included (rich draws the final state before erasing it).
"""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AS_OF, EXAMPLE, REPO, run_cli
from rich.console import Console

from auditor.report.progress import LABELS, CommandProgress

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
FILES = 7  # inventories/example-province
SYSTEMS = 20


def _on_terminal(*args: str | Path) -> tuple[int, str]:
    """Run `python -m auditor ARGS` with stdout and stderr on a pseudo-terminal; what the
    terminal received, escape sequences removed."""
    parent, child = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "PYTHONIOENCODING": "utf-8"}
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "auditor", *map(str, args)],
        stdout=child, stderr=child, stdin=subprocess.DEVNULL, cwd=REPO, env=env,
    )
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(parent, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(parent)
    code = process.wait(timeout=120)
    return code, ANSI.sub("", b"".join(chunks).decode("utf-8", errors="replace"))


def _line(label: str, done: int, total: int) -> re.Pattern[str]:
    """A progress line: the label, the bar, `done/total` (on one terminal line)."""
    return re.compile(rf"{re.escape(label)}[^\n\r]*?\b{done}/{total}\b")


def _labels(lang: str) -> dict[str, str]:
    return {kind: text[lang] for kind, text in LABELS.items()}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_offline_audit_shows_files_systems_and_report_but_no_probe_line(
    tmp_path: Path, lang: str
) -> None:
    labels = _labels(lang)
    code, shown = _on_terminal(
        "audit", EXAMPLE, "--as-of", AS_OF, "--json", tmp_path / "r.json",
        "--db", tmp_path / "h.sqlite", "--lang", lang,
    )
    assert code == 0, shown[-3000:]
    assert _line(labels["files"], FILES, FILES).search(shown), shown[:3000]
    assert _line(labels["systems"], SYSTEMS, SYSTEMS).search(shown), shown[:3000]
    # two outputs: the JSON file, then the run recorded in the history store
    assert _line(labels["outputs"], 2, 2).search(shown), shown[:3000]
    for other in ("vi", "en"):  # nothing was probed: no probe line, in either language
        assert LABELS["probes"][other] not in shown
    if lang == "en":
        assert LABELS["files"]["vi"] not in shown
    recorded = "recorded as run" if lang == "en" else "đã ghi lại thành lần đánh giá số"
    assert recorded in shown  # the messages after the display still arrive


def test_gate_on_a_terminal_shows_files_and_systems(tmp_path: Path) -> None:
    labels = _labels("vi")
    code, shown = _on_terminal("gate", EXAMPLE, "--system", "cong-dvc-tinh", "--as-of", AS_OF)
    assert code == 0, shown[-3000:]
    assert _line(labels["files"], FILES, FILES).search(shown), shown[:3000]
    # every file is read, but only the system at the gate is judged (engine.evaluate_system)
    assert _line(labels["systems"], 1, 1).search(shown), shown[:3000]
    assert not _line(labels["systems"], SYSTEMS, SYSTEMS).search(shown), shown[:3000]
    assert labels["probes"] not in shown
    assert labels["outputs"] not in shown  # no --json: nothing written


def test_quiet_audit_on_a_terminal_shows_no_progress(tmp_path: Path) -> None:
    code, shown = _on_terminal(
        "audit", EXAMPLE, "--as-of", AS_OF, "--json", tmp_path / "r.json", "--no-history", "-q"
    )
    assert code == 0, shown[-3000:]
    for text in LABELS.values():
        assert text["vi"] not in shown and text["en"] not in shown


def test_piped_audit_shows_no_progress(tmp_path: Path) -> None:
    result = run_cli("audit", EXAMPLE, "--as-of", AS_OF, "--json", tmp_path / "r.json",
                     "--db", tmp_path / "h.sqlite")
    assert result.code == 0, result.stderr
    for text in LABELS.values():
        for stream in (result.stdout, result.stderr):
            assert text["vi"] not in stream and text["en"] not in stream
    assert "\r" not in result.stderr
    # Vietnamese by default (--lang): "recorded as run N in …"
    assert result.stderr.startswith("đã ghi lại thành lần đánh giá số "), result.stderr


def _drawn(work: object) -> str:
    """What a CommandProgress on a (forced) terminal draws while `work(progress)` runs."""
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100, color_system=None)
    progress = CommandProgress("en", console)
    with progress:
        work(progress)  # type: ignore[operator]
    return out.getvalue()


def test_a_kind_of_work_with_nothing_to_do_gets_no_line() -> None:
    def nothing(progress: CommandProgress) -> None:
        progress.planned(0)  # the probe runner with no target
        progress.files(0, 0)

    assert _drawn(nothing) == ""  # nothing to show: the display is not even started


def test_probe_line_counts_what_was_planned_and_done() -> None:
    def probes(progress: CommandProgress) -> None:
        progress.files(1, 1)
        progress.planned(2)
        progress.done("tls a.example.test")
        progress.planned(1)
        progress.done("ipv6 b.example.test")
        progress.done("file [red]x.pem")

    shown = _drawn(probes)
    assert _line(LABELS["probes"]["en"], 3, 3).search(shown), shown
    assert "[red]x.pem" in shown  # a label is shown as written, never read as markup


def test_reports_outside_a_with_block_are_ignored() -> None:
    out = io.StringIO()
    progress = CommandProgress("en", Console(file=out, force_terminal=True, width=100))
    progress.files(1, 2)
    progress.systems(1, 1)
    with progress:
        pass
    progress.outputs(1, 1, "x")
    assert out.getvalue() == ""


def test_disabled_or_not_a_terminal_draws_nothing() -> None:
    out = io.StringIO()
    quiet = CommandProgress("vi", Console(file=out, force_terminal=True), enabled=False)
    piped = CommandProgress("vi", Console(file=out, force_terminal=False))
    for progress in (quiet, piped):
        assert not progress.enabled
        with progress:
            progress.files(1, 1)
    assert out.getvalue() == ""
