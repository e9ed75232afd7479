"""Control and bidi characters in inventory text never reach a terminal or a CSV cell raw.

The inventory's names hold an OSC title sequence (`ESC ] 0 ; pwned BEL`), a colour (`ESC [31m`),
CR and U+202E. Output is checked as bytes (a text-mode pipe would turn CR into a newline), on a
pipe and on a pseudo-terminal (where rich adds its own colour sequences, so the check there is
that none of the injected ones appear). JSON keeps the names exact: the characters are JSON
escapes there, never raw bytes."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
import tty
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, run_cli

INVENTORY = REPO / "tests" / "data" / "escapes" / "inventory.yaml"
AS_OF = "2026-11-24"
RAW = (b"\x1b", b"\x07", b"\r", "\u202e".encode())


@dataclass(frozen=True)
class Bytes:
    code: int
    stdout: bytes
    stderr: bytes


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}


def _run_bytes(*args: str | Path) -> Bytes:
    done = subprocess.run(
        [sys.executable, "-m", "auditor", *map(str, args)],
        capture_output=True, cwd=REPO, env=_env(), timeout=120, check=False,
    )
    return Bytes(done.returncode, done.stdout, done.stderr)


def _run_tty(*args: str | Path) -> Bytes:
    """stdout on a pseudo-terminal in raw mode (no newline translation), stderr on a pipe (on
    a terminal it would carry the progress bar, which redraws itself with CR)."""
    parent, child = pty.openpty()
    tty.setraw(child)
    env = {**_env(), "TERM": "xterm-256color"}
    env.pop("FORCE_COLOR", None)
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "auditor", *map(str, args)],
        stdout=child, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=REPO, env=env,
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
    _, stderr = process.communicate(timeout=120)
    return Bytes(process.returncode, b"".join(chunks), stderr)


def _assert_no_raw(output: bytes) -> None:
    for char in RAW:
        assert char not in output, (char, output[:2000])


COMMANDS = {
    "audit": ("audit", INVENTORY, "--as-of", AS_OF, "--no-history"),
    "level": ("level", INVENTORY, "--as-of", AS_OF),
    "gate": ("gate", INVENTORY, "--system", "he-thong-1", "--as-of", AS_OF),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_names_with_escapes_are_shown_escaped_on_a_pipe(command: str) -> None:
    result = _run_bytes(*COMMANDS[command])
    assert result.code in (0, 1), result.stderr
    _assert_no_raw(result.stdout)
    _assert_no_raw(result.stderr)
    shown = result.stdout.decode()
    if command == "audit":  # the agency table
        assert "\\x1b]0;pwned\\x07 A\\r\\u202eevil" in shown
    else:  # the system's name (a narrow table cell may wrap it)
        assert "\\x1b[31mthống\\r" in shown, shown  # (the cell may cut the rest)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_names_with_escapes_are_shown_escaped_on_a_terminal(command: str) -> None:
    result = _run_tty(*COMMANDS[command])
    assert result.code in (0, 1), result.stdout[-2000:]
    output = result.stdout
    assert b"\x1b]" not in output  # no OSC sequence at all (rich sends none here)
    for char in (b"\x07", b"\r", "\u202e".encode()):
        assert char not in output, char
    assert b"\x1b[31mth" not in output  # the injected colour
    assert b"\\x1b" in output
    _assert_no_raw(result.stderr)


@pytest.mark.parametrize(
    ("lang", "field", "words"),
    [("en", "field", "control or bidi characters"),
     ("vi", "trường", "chứa ký tự điều khiển hoặc ký tự đổi chiều văn bản")],
)
def test_validate_warns_with_file_line_and_field(lang: str, field: str, words: str) -> None:
    result = _run_bytes("validate", INVENTORY, "--lang", lang)
    assert result.code == 0, result.stderr
    _assert_no_raw(result.stderr)
    warnings = result.stderr.decode()
    assert f"{INVENTORY}:8: {field} 'agencies[0].name'" in warnings
    assert f"{INVENTORY}:11: {field} 'agencies[0].systems[0].name'" in warnings
    assert f"{INVENTORY}:5: {field} 'organisation.name'" in warnings
    assert words in warnings
    assert "\\x1b]0;pwned\\x07" in warnings


def test_a_clean_inventory_gets_no_such_warning() -> None:
    result = run_cli("validate", REPO / "inventories" / "example-province")
    assert result.code == 0, result.stderr
    assert result.stderr == ""


def test_annual_csv_and_summary_show_them_escaped(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite"
    recorded = _run_bytes("audit", INVENTORY, "--as-of", AS_OF, "--db", db, "-q")
    assert recorded.code == 0, recorded.stderr
    annex = tmp_path / "annex.csv"
    report = _run_bytes("report", "annual", "--year", "2026", "--db", db, "--csv", annex)
    assert report.code == 0, report.stderr
    _assert_no_raw(report.stdout)
    _assert_no_raw(report.stderr)
    assert b"\\x1b[31m" in report.stdout  # the organisation's name in the summary
    raw = annex.read_bytes()
    body = raw.replace(b"\r\n", b"\n")  # CRLF row ends are the format's, not inventory text
    _assert_no_raw(body)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert any("\\x1b]0;pwned\\x07 A\\r\\u202eevil" in cell for cell in cells), rows
    assert any("\\x1b[31mthống\\r\\u202e 1" in cell for cell in cells), rows


# -- JSON: the data exact, nothing raw ----------------------------------------------------------

AGENCY = "Sở \x1b]0;pwned\x07 A\r\u202eevil"
SYSTEM = "Hệ \x1b[31mthống\r\u202e 1"
# What a terminal could act on in UTF-8 JSON: C0 (JSON escapes those itself), DEL, C1, bidi.
RAW_IN_JSON = (*RAW, b"\x7f", "\x9b".encode(), "\u2066".encode())


@pytest.mark.parametrize("where", ["stdout", "file"])
def test_results_json_carries_the_names_exactly_but_no_raw_character(
    where: str, tmp_path: Path
) -> None:
    """`--json -` (and a JSON file someone may `cat`): the names decode to exactly what the
    inventory says, while the bytes hold only JSON escapes (`\\u202e`), never the characters."""
    out = tmp_path / "r.json"
    target = "-" if where == "stdout" else out
    result = _run_bytes("audit", INVENTORY, "--as-of", AS_OF, "--no-history", "--json", target)
    assert result.code in (0, 1), result.stderr
    raw = result.stdout if where == "stdout" else out.read_bytes()
    for char in RAW_IN_JSON:
        assert char not in raw, char
    assert b"\\u202e" in raw and b"\\u001b" in raw
    data = json.loads(raw)
    assert [a["name"] for a in data["agencies"]] == [AGENCY]
    assert [s["name"] for s in data["systems"]] == [SYSTEM]


def test_printed_json_is_escaped_on_a_terminal_too() -> None:
    """`level --format json` on a pseudo-terminal: JSON escapes, no raw character."""
    result = _run_tty("level", INVENTORY, "--as-of", AS_OF, "--format", "json")
    assert result.code == 0, result.stdout[-2000:]
    for char in RAW_IN_JSON:
        assert char not in result.stdout, char
    data = json.loads(result.stdout.decode())
    assert [s["name"] for s in data] == [SYSTEM]
