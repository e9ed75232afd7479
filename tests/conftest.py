"""Shared fixtures: run the real CLI in a subprocess, the audit date, repository paths."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from components import require_component
from store.pg_server import PostgresServer, find_bindir

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "inventories" / "example-province"
AS_OF = dt.date(2026, 11, 24)


@dataclass(frozen=True)
class CliResult:
    code: int
    stdout: str
    stderr: str


def read_results_json(path: Path) -> dict[str, Any]:
    """A results file (any schema) as its full form: every finding with its own message,
    severity, evidence (fact, value, origin), …, as schema 1.x spelled them out. Schema 2.0
    files keep those once per run or owner; `auditor.report.json_in` expands them."""
    from pydantic import TypeAdapter

    from auditor.model.results import AuditRun
    from auditor.report.json_in import read_results

    full: dict[str, Any] = TypeAdapter(AuditRun).dump_python(read_results(path), mode="json")
    return full


def run_cli(*args: str | Path, cwd: Path | None = None, timeout: float = 120) -> CliResult:
    """Run `python -m auditor ARGS` exactly as a user would, and capture everything."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    completed = subprocess.run(
        [sys.executable, "-m", "auditor", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", cwd=cwd or REPO, env=env,
        timeout=timeout, check=False,
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture(autouse=True, scope="session")
def _history_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every CLI run of the suite records into one store of its own, never the user's."""
    path = tmp_path_factory.mktemp("history") / "history.sqlite"
    before = os.environ.get("AUDITOR_DB")
    os.environ["AUDITOR_DB"] = str(path)
    yield path
    if before is None:
        os.environ.pop("AUDITOR_DB", None)
    else:
        os.environ["AUDITOR_DB"] = before


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    return run_cli


@pytest.fixture
def as_of() -> dt.date:
    return AS_OF


@pytest.fixture
def nmap_required() -> None:
    """Use with `pytest.mark.usefixtures("nmap_required")`: fail as root if nmap is missing."""
    from components import require_nmap

    require_nmap()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole session (the history and the national stores'
    tests), started on first use, in a temporary directory, Unix socket only."""
    bindir = find_bindir()
    require_component(
        bindir is not None,
        "PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb)",
        "apt-get install postgresql",
    )
    assert bindir is not None
    server = PostgresServer(bindir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def findings_by_subject(document: dict[str, Any], rule: str) -> dict[str, dict[str, Any]]:
    """Every finding of `rule` anywhere in a results document, by subject."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("rule_id") == rule and "status" in node:
                found[str(node.get("subject"))] = node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    return found
