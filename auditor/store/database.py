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
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from auditor.errors import AuditorError
from auditor.messages import Msg, os_error

DB_ENV = "AUDITOR_DB"
BUSY_TIMEOUT = 300.0  # seconds a writer waits for another one (a 10,000-system run: ~15 s)
CONNECT_TIMEOUT = 10  # seconds, PostgreSQL
WRITE = "auditor_write"  # execution option: this connection's transaction writes
CHUNK = 5_000  # rows per INSERT batch and per fetched batch: bounded memory, few round trips


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


def database_url(value: str, *, must_exist: bool = False, create: bool = True) -> str:
    """A database URL as is (`postgresql://` means psycopg 3); a path → sqlite:///ABSPATH.

    The parent folder of an SQLite file is created if it does not exist — unless
    `must_exist`, for commands that only read: then a missing file is an error, and nothing
    is created. Nor with `create` false.
    """
    value = value.strip()
    if not value:
        raise StoreError(
            Msg("vị trí kho lịch sử đang để trống", "the history store location is empty")
        )
    if _is_url(value):
        scheme, _, rest = value.partition("://")
        if scheme in ("postgresql", "postgres"):  # the libpq spelling: use psycopg 3
            return f"postgresql+psycopg://{rest}"
        return value
    path = Path(value).expanduser().absolute()
    if must_exist and not path.exists():
        raise StoreError(
            Msg(
                f"không có kho lịch sử tại {path}: chưa có lần đánh giá nào được ghi vào đó "
                "(mỗi lần chạy `auditor audit` đều ghi lại kết quả; --db hoặc $AUDITOR_DB "
                "chọn kho)",
                f"no history store at {path}: nothing was recorded there yet (every `auditor "
                "audit` records its run; --db or $AUDITOR_DB choose the store)",
            )
        )
    try:
        if create and not must_exist:
            path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = os_error(error)
        raise StoreError(
            Msg(
                f"không tạo được thư mục của kho lịch sử {path}: {reason.vi}",
                f"cannot create the folder of the history store {path}: {reason.en}",
            )
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
        raise StoreError(
            Msg(f"không phải URL cơ sở dữ liệu: {url!r}", f"not a database URL: {url!r}")
        ) from error
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        name, backend = display_name(parsed), repr(parsed.get_backend_name())
        raise StoreError(
            Msg(
                f"{name}: không hỗ trợ cơ sở dữ liệu {backend} (hãy dùng một tệp SQLite hoặc "
                "một URL postgresql://)",
                f"{name}: unsupported database {backend} (use an SQLite file or a "
                "postgresql:// URL)",
            )
        )
    return parsed


def make_engine(url: URL, *, read_only: bool = False) -> Engine:
    """An engine for the store; `read_only` (SQLite): connections that can never write."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_reader(url) if read_only else _sqlite_engine(url)
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


def _sqlite_reader(url: URL) -> Engine:
    """SQLite connections that never create, upgrade or write the store.

    The file is opened `mode=rw` (never created) with `query_only`, so SQLite itself refuses
    any change and the last connection still removes its `-wal`/`-shm` files on closing. A
    file or folder that cannot be written is opened `mode=ro`; a WAL store in a folder that
    cannot be written (where SQLite cannot create the `-shm` file) is opened `immutable`: no
    process can write it there either, as a writer would have to create the `-wal` file.
    """
    path = Path(url.database or "")
    base = "file:" + quote(str(path.absolute()), safe="/")
    modes = ("mode=rw", "mode=ro", "mode=ro&immutable=1")

    def connect() -> sqlite3.Connection:
        error: sqlite3.Error | None = None
        for mode in modes:
            try:
                connection = sqlite3.connect(
                    f"{base}?{mode}", uri=True, timeout=BUSY_TIMEOUT, check_same_thread=False
                )
            except sqlite3.OperationalError as failed:
                error = failed
                continue
            try:
                connection.execute("PRAGMA query_only = ON")
                connection.execute("PRAGMA schema_version").fetchall()  # opens the WAL index
            except sqlite3.OperationalError as failed:
                connection.close()
                error = failed
                continue
            return connection
        assert error is not None  # noqa: S101 - the loop ran at least once
        raise error

    engine = create_engine("sqlite://", creator=connect)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def writable_location(url: URL) -> None:
    """Fail (StoreError) unless an SQLite store at `url` could be created or written.

    Checks only what the file system says (the store itself is checked by opening it read
    only); PostgreSQL URLs are not checked here.
    """
    if url.get_backend_name() != "sqlite" or not url.database:
        return
    path = Path(url.database)
    if path.exists():
        if not path.is_file():
            raise StoreError(not_a_store(str(path)))
        if not os.access(path, os.W_OK):
            raise StoreError(
                Msg(
                    f"{path}: kho lịch sử chỉ cho phép đọc",
                    f"{path}: the history store is read-only",
                )
            )
    folder = path.parent
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(
            Msg(
                f"{path}: không ghi được vào kho lịch sử: thư mục {folder} chỉ cho phép đọc",
                f"{path}: the history store cannot be written: the folder {folder} is read-only",
            )
        )


def not_a_store(name: str) -> Msg:
    return Msg(
        f"{name}: không phải kho lịch sử (không phải tệp thông thường)",
        f"{name}: not a history store (not a regular file)",
    )


def store_file(location: str | None) -> Path | None:
    """The file of an SQLite store at `location` (None: the default), None for a server."""
    where = (location if location is not None else default_location()).strip()
    if not where or _is_url(where):
        return None
    return Path(where).expanduser().absolute()
