"""Where the history store is, and an SQLAlchemy engine for it (SQLite or PostgreSQL).

SQLite connections get `journal_mode=WAL` (readers never wait for the writer),
`synchronous=NORMAL` (durable at every checkpoint, still atomic), `foreign_keys=ON`, and wait
up to `BUSY_TIMEOUT` seconds for the write lock. Write transactions begin with
`BEGIN IMMEDIATE`: the lock is taken (or waited for) before anything is read, so two
processes recording at once queue up instead of one failing with "database is locked" when
it upgrades a read lock. Read transactions use a plain, deferred `BEGIN`.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from auditor.errors import AuditorError

DB_ENV = "AUDITOR_DB"
BUSY_TIMEOUT = 300.0  # seconds a writer waits for another one (a 10,000-system run: ~15 s)
CONNECT_TIMEOUT = 10  # seconds, PostgreSQL
WRITE = "auditor_write"  # execution option: this connection's transaction writes


class StoreError(AuditorError):
    """The history store cannot be opened, read or written; the message says why."""


def default_location() -> str:
    """$AUDITOR_DB, else $XDG_DATA_HOME/auditor/history.sqlite, else ~/.local/share/…"""
    configured = os.environ.get(DB_ENV, "").strip()
    if configured:
        return configured
    data_home = os.environ.get("XDG_DATA_HOME", "").strip()
    # The XDG spec says a relative $XDG_DATA_HOME is invalid and must be ignored.
    base = Path(data_home) if data_home and Path(data_home).is_absolute() else None
    if base is None:
        base = Path.home() / ".local" / "share"
    return str(base / "auditor" / "history.sqlite")


def _is_url(value: str) -> bool:
    scheme, sep, _ = value.partition("://")
    return bool(sep) and scheme.replace("+", "").replace("-", "").replace(".", "").isalnum()


def database_url(value: str, *, must_exist: bool = False) -> str:
    """A database URL as is (`postgresql://` means psycopg 3); a path → sqlite:///ABSPATH.

    The parent folder of an SQLite file is created if it does not exist — unless
    `must_exist`, for commands that only read: then a missing file is an error, and nothing
    is created.
    """
    value = value.strip()
    if not value:
        raise StoreError("the history store location is empty")
    if _is_url(value):
        scheme, _, rest = value.partition("://")
        if scheme in ("postgresql", "postgres"):  # the libpq spelling: use psycopg 3
            return f"postgresql+psycopg://{rest}"
        return value
    path = Path(value).expanduser().absolute()
    if must_exist and not path.exists():
        raise StoreError(
            f"no history store at {path}: nothing was recorded there yet (every `auditor "
            "audit` records its run; --db or $AUDITOR_DB choose the store)"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(
            f"cannot create the folder of the history store {path}: {error.strerror}"
        ) from error
    return URL.create("sqlite", database=str(path)).render_as_string()


def display_name(url: URL) -> str:
    """How messages name the store: the file of an SQLite store, else the URL sans password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise StoreError(f"not a database URL: {url!r}") from error
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"{display_name(parsed)}: unsupported database "
            f"{parsed.get_backend_name()!r} (use an SQLite file or a postgresql:// URL)"
        )
    return parsed


def make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT
    return create_engine(url, connect_args=connect_args)


def _wal(cursor: Any) -> None:
    """Switch a new database to WAL. Two processes creating the same new store race here, and
    SQLite answers the loser "database is locked" at once, without its busy handler: retry."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL").fetchall()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_engine(url: URL) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event, not the sqlite3 module, decide how transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            _wal(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
