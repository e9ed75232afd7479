"""The audit history store: every recorded run, its systems' levels and all its findings.

    with HistoryStore.open() as store:          # $AUDITOR_DB or ~/.local/share/auditor/…
        run_id = store.record(run, inventory="inventories/example-province")
        for row in store.runs(organisation="tinh-an-binh"):
            ...

By default an SQLite file (`default_location()`); a `postgresql://…` URL gives the same store
on PostgreSQL through the same code (SQLAlchemy Core, psycopg 3). `open()` creates the schema
or upgrades it to this version's head (Alembic, `auditor.store.migrations`) and refuses a
store made by a newer auditor.

`record()` writes a run in ONE transaction (auditor.store.writes); the reads
(auditor.store.reads) each read one snapshot. This module opens and closes the store.

    auditor.store.history   opening: create/upgrade, read-only, an upgraded private copy
    auditor.store.writes    recording a run (run → rows, bulk inserts)
    auditor.store.reads     the queries (runs, one run, latest per system/agency)
    auditor.store.decode    stored rows → RunRow, SystemRow, FindingRow, …
    auditor.store.errors    database errors → one-line StoreError
    auditor.store.schema    the tables; auditor.store.migrations their versions
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Self

from sqlalchemy import Engine

from auditor.messages import Msg
from auditor.store import migrations
from auditor.store.database import (
    StoreError,
    database_url,
    default_location,
    display_name,
    make_engine,
    not_a_store,
    parse_url,
    writable_location,
)
from auditor.store.errors import no_driver, open_error
from auditor.store.reads import MAX_RUN_ID, StoreReads
from auditor.store.writes import StoreWrites

__all__ = ["MAX_RUN_ID", "HistoryStore"]


class HistoryStore(StoreReads, StoreWrites):
    """An open history store. Use `HistoryStore.open()`; close it (or use `with`).

    Its reading methods are `StoreReads`' (auditor.store.reads), `record()` is
    `StoreWrites`' (auditor.store.writes)."""

    def __init__(
        self, engine: Engine, name: str, cleanup: Callable[[], None] | None = None
    ) -> None:
        self._engine = engine
        self.name = name  # the file, or the URL without its password, for messages
        self.dialect = engine.dialect.name  # "sqlite" | "postgresql"
        self._cleanup = cleanup

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, location: str | None = None, *, must_exist: bool = False) -> HistoryStore:
        """Open (creating or upgrading) the store at a path or URL; default_location() if None.

        `must_exist`: an SQLite file that does not exist is an error instead of a new store.
        """
        where = location if location is not None else default_location()
        url = parse_url(database_url(where, must_exist=must_exist))
        name = display_name(url)
        try:
            engine = make_engine(url)
        except ImportError as error:
            raise StoreError(no_driver(name, error)) from error
        try:
            migrations.upgrade(engine)
        except BaseException as error:
            engine.dispose()
            raise open_error(error, name, url) from error
        return cls(engine, name)

    @classmethod
    def check_writable(cls, location: str | None = None) -> None:
        """Fail now (StoreError) where recording into the store would surely fail later: an
        SQLite file or folder that cannot be written, a file that is not a store of this
        auditor's, a server that cannot be reached. Creates and writes nothing."""
        where = location if location is not None else default_location()
        url = parse_url(database_url(where, create=False))
        name = display_name(url)
        writable_location(url)
        if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
            return  # a new store: its folder can be written
        try:
            engine = make_engine(url, read_only=True)
        except ImportError as error:
            raise StoreError(no_driver(name, error)) from error
        try:
            with engine.connect() as connection:
                migrations.needs_upgrade(connection)
                connection.rollback()
        except BaseException as error:
            raise open_error(error, name, url) from error
        finally:
            engine.dispose()

    @classmethod
    def open_reader(cls, location: str | None = None) -> HistoryStore:
        """Open an existing store to read it: nothing is created, upgraded or written.

        A store that does not exist is an error (StoreError). A store recorded by an older
        auditor is read through an upgraded private copy (SQLite: a temporary file, removed
        on close); on PostgreSQL it is refused until an audit records into it (which
        upgrades it), since a reader may not change the schema.
        """
        where = location if location is not None else default_location()
        url = parse_url(database_url(where, must_exist=True))
        name = display_name(url)
        if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
            raise StoreError(not_a_store(name))
        try:
            engine = make_engine(url, read_only=True)
        except ImportError as error:
            raise StoreError(no_driver(name, error)) from error
        try:
            with engine.connect() as connection:
                behind = migrations.needs_upgrade(connection)
                connection.rollback()
        except BaseException as error:
            engine.dispose()
            raise open_error(error, name, url) from error
        if not behind:
            return cls(engine, name)
        try:
            if url.get_backend_name() != "sqlite":
                raise StoreError(
                    Msg(
                        f"{name}: kho lịch sử được ghi bởi một phiên bản auditor cũ hơn; lần "
                        "chạy `auditor audit` tiếp theo ghi vào kho sẽ nâng cấp nó, sau đó mới "
                        "đọc được",
                        f"{name}: the history store was recorded by an older auditor; the next "
                        "`auditor audit` recording into it upgrades it, then it can be read",
                    )
                )
            return cls._upgraded_copy(engine, name)
        finally:
            engine.dispose()

    @classmethod
    def _upgraded_copy(cls, engine: Engine, name: str) -> HistoryStore:
        """A private copy of an SQLite store, upgraded to this auditor's schema."""
        fd, temp_name = tempfile.mkstemp(prefix="auditor-history-", suffix=".sqlite")
        os.close(fd)
        copy = Path(temp_name)

        def remove() -> None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)

        try:
            source = engine.raw_connection()
            try:
                target = sqlite3.connect(copy)
                try:
                    source.driver_connection.backup(target)  # type: ignore[union-attr]
                finally:
                    target.close()
            finally:
                source.close()
            copy_url = parse_url(database_url(str(copy)))
            copied = make_engine(copy_url)
            try:
                migrations.upgrade(copied)
            except BaseException:
                copied.dispose()
                raise
        except BaseException as error:
            remove()
            raise open_error(error, name, None) from error
        return cls(copied, name, remove)

    def close(self) -> None:
        self._engine.dispose()
        if self._cleanup is not None:
            self._cleanup()
            self._cleanup = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def engine(self) -> Engine:
        return self._engine
