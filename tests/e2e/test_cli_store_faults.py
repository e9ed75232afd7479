"""History-store faults through the real CLI (issue 12, items 2 and 9): run ids no database
column holds, JSON columns changed outside auditor, and read commands that must neither
create nor write a store. Each is one clear line on stderr and exit code 2."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLE, CliResult, run_cli

HUGE = "99999999999999999999999"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding one run of the example province."""
    db = tmp_path_factory.mktemp("faults") / "h.sqlite"
    result = run_cli("audit", EXAMPLE, "--as-of", "2026-11-24", "--db", db, "-q")
    assert result.code == 0, result.stderr
    return db


def _copy(store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store" / "h.sqlite"
    copy.parent.mkdir()
    shutil.copy(store, copy)
    return copy


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _clean_failure(result: CliResult, *needles: str) -> None:
    assert result.code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 4, result.stderr  # usage, hint, error
    for needle in needles:
        assert needle in result.stderr, result.stderr


@pytest.mark.parametrize(
    "args",
    [("show", HUGE), ("diff", "1", HUGE), ("diff", HUGE, "1"), ("show", "-5")],
    ids=["show", "diff-after", "diff-before", "negative"],
)
def test_a_run_id_no_column_holds_is_a_clean_error(recorded: Path, args: tuple[str, ...]) -> None:
    result = run_cli("history", *args, "--db", recorded)
    _clean_failure(result)
    assert "OverflowError" not in result.stderr


def test_the_largest_run_id_is_just_not_found(recorded: Path) -> None:
    result = run_cli("history", "show", str(2**63 - 1), "--db", recorded)
    _clean_failure(result, "no run")


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("auditor_runs", "counts", "{not json"),
        ("auditor_runs", "counts", "5"),  # JSON, but not the shape auditor wrote
        ("auditor_run_systems", "criteria", "["),
        ("auditor_findings", "waiver", '{"reason": 1}'),
    ],
    ids=["runs-not-json", "runs-wrong-shape", "systems-not-json", "findings-wrong-shape"],
)
def test_a_tampered_json_column_is_a_clean_error(
    recorded: Path, tmp_path: Path, table: str, column: str, value: str
) -> None:
    db = _copy(recorded, tmp_path)
    with sqlite3.connect(db) as connection:
        connection.execute(f"UPDATE {table} SET {column} = ?", (value,))  # noqa: S608
    connection.close()
    show = run_cli("history", "show", "1", "--db", db, "--json", "--lang", "en")
    _clean_failure(show, str(db), "damaged data")
    assert show.stdout == ""
    annual = run_cli("report", "annual", "--year", "2026", "--db", db,
                     "--json", tmp_path / "figures.json", "-q")
    _clean_failure(annual, str(db), "dữ liệu trong kho lịch sử bị hỏng")
    assert not (tmp_path / "figures.json").exists()


@pytest.mark.parametrize("command", [("list",), ("show", "1"), ("diff", "1", "2")])
def test_read_commands_never_create_a_store(tmp_path: Path, command: tuple[str, ...]) -> None:
    db = tmp_path / "missing" / "h.sqlite"
    result = run_cli("history", *command, "--db", db, "--lang", "en")
    _clean_failure(result, "no history store", str(db))
    result = run_cli("history", *command, "--db", db)
    _clean_failure(result, f"auditor: lỗi: không có kho lịch sử tại {db}")
    assert not db.parent.exists()


@pytest.fixture
def read_only_folder(recorded: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the store in a folder nobody may write, not even root (chattr +i)."""
    db = _copy(recorded, tmp_path)
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("chattr not available")
    made = subprocess.run([chattr, "+i", str(db.parent)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"chattr +i not supported here: {made.stderr!r}")
    try:
        yield db
    finally:
        subprocess.run([chattr, "-i", str(db.parent)], check=True)


def test_read_commands_work_in_a_read_only_folder(read_only_folder: Path) -> None:
    db = read_only_folder
    before = _digest(db)
    listed = run_cli("history", "list", "--db", db, "--json")
    assert listed.code == 0, listed.stderr
    shown = run_cli("history", "show", "1", "--db", db, "--json")
    assert shown.code == 0, shown.stderr
    assert _digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["h.sqlite"]


def test_read_commands_read_an_older_store_without_upgrading_it(
    recorded: Path, tmp_path: Path
) -> None:
    db = _copy(recorded, tmp_path)
    with sqlite3.connect(db) as connection:  # as revision 0002 left it
        connection.execute("UPDATE auditor_schema_version SET version_num = '0002'")
        connection.execute("ALTER TABLE auditor_run_systems DROP COLUMN upper")
        connection.execute("ALTER TABLE auditor_run_systems DROP COLUMN undecided")
    connection.close()
    before = _digest(db)
    shown = run_cli("history", "show", "1", "--db", db, "--json")
    assert shown.code == 0, shown.stderr
    assert _digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["h.sqlite"]
