"""The national store on SQLite and PostgreSQL: created on first use, refused when a newer
auditor made it or when its tables have no version, and never created by a reader."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from auditor.national.store import NationalStore
from auditor.store.database import StoreError, database_url


def _execute(location: str, statement: str) -> None:
    engine = create_engine(database_url(location))
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def test_created_then_read(national_db: str) -> None:
    with pytest.raises(StoreError) as caught:
        NationalStore.open_reader(national_db)
    assert "nothing was imported there yet" in caught.value.text.en
    with NationalStore.open(national_db) as store:
        assert store.submissions(2026) == []
    with NationalStore.open(national_db), NationalStore.open_reader(national_db) as reader:
        assert reader.submissions(2026) == []
        assert list(reader.system_rows([1])) == []


def test_newer_store_refused(national_db: str) -> None:
    NationalStore.open(national_db).close()
    _execute(national_db, "UPDATE national_schema_version SET version = 2")
    for opening in (NationalStore.open, NationalStore.open_reader):
        with pytest.raises(StoreError) as caught:
            opening(national_db)
        assert "newer auditor (schema 2)" in caught.value.text.en


def test_tables_without_version_refused(national_db: str) -> None:
    NationalStore.open(national_db).close()
    _execute(national_db, "DROP TABLE national_schema_version")
    with pytest.raises(StoreError) as caught:
        NationalStore.open(national_db)
    assert "no schema version" in caught.value.text.en
