"""Store fixtures: every store test runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.pg_server import PostgresServer


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh, empty store goes: an SQLite file path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "history.sqlite")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database()
