"""A recording killed mid-write leaves nothing; recordings at the same time all complete.

Real processes (tests/store/worker.py), real SIGKILL, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from auditor.store import HistoryStore, database_url
from auditor.store.database import make_engine, parse_url
from auditor.store.schema import findings, run_agencies, run_systems, runs
from store.pg_server import PostgresServer
from store.synthetic import example_run, finding_count

WORKER = Path(__file__).resolve().parent / "worker.py"


Start = Callable[..., subprocess.Popen[str]]


@pytest.fixture
def start() -> Iterator[Start]:
    """Start workers; whatever happens in the test, none outlives it."""
    started: list[subprocess.Popen[str]] = []

    def _start(location: str, systems: int, *, wait: bool = False) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, str(WORKER), location, str(systems), *(["--wait"] if wait else [])],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        started.append(process)
        return process

    yield _start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)  # reaps it and closes its pipes


def _expect(process: subprocess.Popen[str], prefix: str) -> str:
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith(prefix):
        process.kill()
        _, err = process.communicate(timeout=30)
        pytest.fail(f"worker said {line!r}, expected {prefix!r}; stderr:\n{err}")
    return line.strip()


def _wait_until(condition: Callable[[], bool], process: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the worker ended (code {process.returncode}) before {what}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def _table_counts(location: str) -> dict[str, dict[int, int]]:
    """Rows per run id in every table, read straight from the database."""
    engine = make_engine(parse_url(database_url(location)))
    try:
        with engine.connect() as connection:
            result = {}
            for name, table in (("systems", run_systems), ("agencies", run_agencies),
                                ("findings", findings)):  # fmt: skip
                rows = connection.execute(
                    select(table.c.run_id, func.count()).group_by(table.c.run_id)
                ).all()
                result[name] = {run_id: count for run_id, count in rows}  # noqa: C416
            found = connection.execute(select(runs.c.id, runs.c.findings)).all()
            result["runs"] = {run_id: count for run_id, count in found}  # noqa: C416
            return result
    finally:
        engine.dispose()


def _writing_sqlite(path: Path) -> Callable[[], bool]:
    wal = Path(f"{path}-wal")
    return lambda: wal.exists() and wal.stat().st_size > 8_000_000  # findings pages going in


def _writing_postgres(server: PostgresServer, database: str) -> Callable[[], bool]:
    def copying() -> bool:
        with server.admin() as connection:
            row = connection.execute(
                "SELECT tuples_processed FROM pg_stat_progress_copy p "
                "JOIN pg_database d ON d.oid = p.datid WHERE d.datname = %s",
                (database,),
            ).fetchone()
        return row is not None and int(str(row[0])) > 20_000

    return copying


def _progress_probe(location: str, request: pytest.FixtureRequest) -> Callable[[], bool]:
    if location.startswith("postgresql"):
        server: PostgresServer = request.getfixturevalue("postgres_server")
        database = make_url(location).database
        assert database
        return _writing_postgres(server, database)
    return _writing_sqlite(Path(location))


def test_a_recording_killed_mid_write_leaves_no_trace(
    location: str, request: pytest.FixtureRequest, start: Start
) -> None:
    run = example_run()
    with HistoryStore.open(location) as store:
        first = store.record(run, inventory="before the crash")
    worker = start(location, 3000)  # ~300,000 findings: seconds of writing
    _expect(worker, "ready")
    _expect(worker, "recording")
    _wait_until(_progress_probe(location, request), worker, "the findings were being written")
    os.kill(worker.pid, signal.SIGKILL)
    out, _ = worker.communicate(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    assert "recorded" not in out  # it really died before committing

    counts = _table_counts(location)
    expected_first = finding_count(run)
    assert counts == {
        "runs": {first: expected_first},
        "systems": {first: len(run.systems)},
        "agencies": {first: len(run.agencies)},
        "findings": {first: expected_first},
    }
    with HistoryStore.open(location) as store:  # the store is usable afterwards
        assert [r.id for r in store.runs()] == [first]
        second = store.record(run, inventory="after the crash")
        detail = store.run(second)
    assert detail is not None and len(detail.findings) == expected_first
    assert _table_counts(location)["findings"] == {first: expected_first, second: expected_first}


def test_two_processes_recording_at_once_into_a_new_store_both_complete(
    location: str, start: Start
) -> None:
    # Both also race to create the schema: the store does not exist yet.
    workers = [start(location, 1500, wait=True) for _ in range(2)]
    totals = [int(_expect(w, "ready").split()[1]) for w in workers]
    for worker in workers:  # release both at once
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    ids, spans = [], []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        recording, recorded = out.strip().splitlines()[-2:]
        ids.append(int(recorded.split()[1]))
        spans.append((float(recording.split()[1]), float(recorded.split()[2])))
    assert sorted(ids) == [1, 2]
    (start_a, end_a), (start_b, end_b) = spans
    assert start_a < end_b and start_b < end_a, "the two recordings did not overlap"
    counts = _table_counts(location)
    assert counts["runs"] == dict(zip(ids, totals, strict=True))
    assert counts["findings"] == dict(zip(ids, totals, strict=True))
    assert counts["systems"] == {ids[0]: 1500, ids[1]: 1500}
    with HistoryStore.open(location) as store:
        assert {r.id for r in store.runs()} == set(ids)
        assert {r.inventory for r in store.runs()} == {"worker 1500"}


def test_the_postgres_server_is_private(postgres_server: PostgresServer) -> None:
    """The test server listens on its Unix socket only, never on a TCP port."""
    with postgres_server.admin() as connection:
        (addresses,) = connection.execute("SHOW listen_addresses").fetchone() or ("?",)
        (directory,) = connection.execute("SHOW unix_socket_directories").fetchone() or ("?",)
    assert addresses == ""
    assert directory == str(postgres_server.socket_dir)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(host="127.0.0.1", port=5432, user="postgres", connect_timeout=2).close()
