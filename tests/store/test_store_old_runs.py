"""Runs recorded by an earlier auditor read as they did then (tests/data/history-1.3).

The store was recorded by the auditor of commit 2c44c4c (results schema 1.3), before the
compact JSON results and the split of auditor/store/history.py; the expected outputs are what
that auditor printed for it (see tests/data/history-1.3/README.md). Also: results files of
any schema read back (auditor.report.json_in) record into a store like a fresh audit.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from auditor.report.json_in import read_results
from auditor.store import HistoryStore
from auditor.store.rows import AgencyRow, RunRow

OLD = REPO / "tests" / "data" / "history-1.3"


@pytest.fixture(scope="module")
def old_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("old-store") / "history.sqlite"
    with gzip.open(OLD / "history.sqlite.gz") as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return path


def _expected(name: str) -> bytes:
    if name.endswith(".gz"):
        return gzip.decompress((OLD / name).read_bytes())
    return (OLD / name).read_bytes()


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (("history", "list", "--json"), "list.json"),
        (("history", "show", "3", "--json"), "show-3.json.gz"),
        (("history", "diff", "1", "3", "--json"), "diff-1-3.json.gz"),
    ],
)
def test_history_commands_read_the_old_store_as_before(
    old_store: Path, command: tuple[str, ...], expected: str
) -> None:
    result = run_cli(*command, "--db", old_store)
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(_expected(expected))


def test_annual_report_from_the_old_store_as_before(old_store: Path, tmp_path: Path) -> None:
    figures, annex = tmp_path / "annual.json", tmp_path / "annual.csv"
    result = run_cli("report", "annual", "--year", "2026", "--db", old_store, "--quiet",
                     "--json", figures, "--csv", annex)  # fmt: skip
    assert result.code == 0, result.stderr
    assert json.loads(figures.read_bytes()) == json.loads(_expected("annual-2026.json.gz"))
    assert annex.read_bytes() == _expected("annual-2026.csv.gz")


def test_the_old_store_is_not_changed_by_reading(old_store: Path) -> None:
    before = old_store.read_bytes()
    assert run_cli("history", "show", "1", "--db", old_store).code == 0
    assert old_store.read_bytes() == before


def test_an_old_results_file_records_like_the_audit_it_came_from(
    old_store: Path, tmp_path: Path
) -> None:
    """The 1.3 results file of the example province at 24/11/2026, read and recorded, gives
    the same run as the audit the old auditor recorded on that day (run 3 of the store)."""
    run = read_results(REPO / "tests" / "data" / "results-1.3.json")
    copy = tmp_path / "history.sqlite"
    shutil.copyfile(old_store, copy)
    with HistoryStore.open(str(copy)) as store:
        new_id = store.record(run, inventory="inventories/example-province")
        old, new = store.run(3), store.run(new_id)
    assert old is not None and new is not None
    assert new.findings == old.findings
    # Today's store also keeps each body's own points (`own_points`, for the annual ranking's
    # score): everything else is recorded as the old auditor did.
    assert new.systems == old.systems
    assert [_agency_as_before(a) for a in new.agencies] == list(old.agencies)
    assert all(a.register and a.register.own_points is not None for a in new.agencies)
    assert dataclasses.replace(
        _run_as_before(new.run), id=3, recorded_at=old.run.recorded_at
    ) == old.run


def _agency_as_before(row: AgencyRow) -> AgencyRow:
    register = row.register
    if register is None:
        return row
    return dataclasses.replace(row, register=dataclasses.replace(register, own_points=None))


def _run_as_before(row: RunRow) -> RunRow:
    register = row.register
    if register is None:
        return row
    return dataclasses.replace(row, register=dataclasses.replace(register, own_points=None))
