"""Schema versions: creating, re-opening, upgrading through a later revision, refusing newer."""

from __future__ import annotations

import dataclasses
import shutil
import textwrap
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from auditor.store import HistoryStore, StoreError, database_url
from auditor.store import migrations as store_migrations
from auditor.store.database import make_engine, parse_url
from auditor.store.schema import VERSION_TABLE, metadata
from store.synthetic import example_run, finding_count


def _engine(location: str):  # type: ignore[no-untyped-def]
    return make_engine(parse_url(database_url(location)))


def test_a_new_store_is_at_the_head_and_matches_the_schema_module(location: str) -> None:
    HistoryStore.open(location).close()
    engine = _engine(location)
    try:
        with engine.connect() as connection:
            assert store_migrations.current_revision(connection) == "0003"
            assert store_migrations.head_revision() == "0003"
            tables = set(inspect(connection).get_table_names())
            assert tables == {
                VERSION_TABLE, "auditor_runs", "auditor_run_agencies",
                "auditor_run_systems", "auditor_findings",
            }  # fmt: skip
            indexes = {i["name"] for i in inspect(connection).get_indexes("auditor_findings")}
            assert indexes == {
                "ix_auditor_findings_run_id_rule_id", "ix_auditor_findings_system_id_run_id"
            }
            context = MigrationContext.configure(
                connection, opts={"version_table": VERSION_TABLE, "compare_type": True}
            )
            # what the migrations built is exactly what the code reads and writes
            assert compare_metadata(context, metadata) == []
        # re-opening an up-to-date store migrates nothing
        assert store_migrations.upgrade(engine) is False
    finally:
        engine.dispose()
    with HistoryStore.open(location) as store:
        assert store.runs() == []


def test_a_store_made_by_a_newer_auditor_is_refused(location: str) -> None:
    with HistoryStore.open(location) as store:
        store.record(example_run(), inventory="x")
    engine = _engine(location)
    with engine.begin() as connection:
        # A constant table name of ours, no input: stamp a revision this version does not know.
        connection.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '0042'"))  # noqa: S608
    engine.dispose()
    with pytest.raises(StoreError) as caught:
        HistoryStore.open(location)
    message = str(caught.value)
    assert "made by a newer auditor (schema revision 0042; this version knows up to 0003)" in (
        message
    )


def test_auditor_tables_without_a_version_are_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "odd.sqlite"
    engine = _engine(str(path))
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE auditor_runs (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(StoreError, match="has auditor tables but no schema version"):
        HistoryStore.open(str(path))


_REVISION_0004 = '''
"""Test-only: runs get a note.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("auditor_runs", sa.Column("note", sa.String, nullable=True))
    op.execute("UPDATE auditor_runs SET note = 'upgraded from ' || inventory")


def downgrade() -> None:
    op.drop_column("auditor_runs", "note")
'''


def test_an_old_store_with_data_upgrades_through_a_later_revision(
    location: str, tmp_path: Path
) -> None:
    run = example_run()
    with HistoryStore.open(location) as store:
        run_id = store.record(run, inventory="v1")
    scripts = tmp_path / "migrations"
    shutil.copytree(
        store_migrations.SCRIPTS, scripts, ignore=shutil.ignore_patterns("__pycache__")
    )
    (scripts / "versions" / "v0004_note.py").write_text(textwrap.dedent(_REVISION_0004))
    assert store_migrations.head_revision(scripts) == "0004"

    engine = _engine(location)
    try:
        assert store_migrations.upgrade(engine, scripts) is True
        assert store_migrations.upgrade(engine, scripts) is False  # already there
        with engine.connect() as connection:
            assert store_migrations.current_revision(connection) == "0004"
            rows = connection.execute(text("SELECT id, note, findings FROM auditor_runs")).all()
            count = connection.scalar(
                text("SELECT count(*) FROM auditor_findings WHERE run_id = :id"), {"id": run_id}
            )
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [(run_id, "upgraded from v1", finding_count(run))]
    assert count == finding_count(run)
    # and this auditor, which knows only up to 0003, now refuses the upgraded store
    with pytest.raises(StoreError, match="made by a newer auditor"):
        HistoryStore.open(location)


def test_a_store_of_revision_0001_upgrades_and_its_runs_read_without_register(
    location: str, tmp_path: Path
) -> None:
    """A store written by the first release (no register columns) keeps every run.

    The first release's store is rebuilt for real: revision 0001 alone (the scripts without
    0002), filled with the rows today's code writes minus the columns 0001 did not have.
    """
    run = example_run()
    source = tmp_path / "today.sqlite"
    with HistoryStore.open(str(source)) as store:
        run_id = store.record(run, inventory="v1", recorded_at="2026-01-05T08:00:00Z")
        expected = store.run(run_id)
    assert expected is not None
    assert all(s.register is not None for s in expected.systems)

    first_release = tmp_path / "migrations-0001"
    shutil.copytree(
        store_migrations.SCRIPTS, first_release, ignore=shutil.ignore_patterns("__pycache__")
    )
    for later in [*first_release.glob("versions/v0002_*.py"),
                  *first_release.glob("versions/v0003_*.py")]:
        later.unlink()
    assert store_migrations.head_revision(first_release) == "0001"
    old_engine = _engine(location)
    source_engine = _engine(str(source))
    try:
        store_migrations.upgrade(old_engine, first_release)
        with source_engine.connect() as reading, old_engine.begin() as writing:
            for table in ("auditor_runs", "auditor_run_agencies", "auditor_run_systems",
                          "auditor_findings"):  # fmt: skip
                old_columns = {c["name"] for c in inspect(writing).get_columns(table)}
                assert not {"register", "upper", "undecided"} & old_columns
                rows = [
                    {k: v for k, v in row.items() if k in old_columns}
                    for row in reading.execute(
                        metadata.tables[table].select()
                    ).mappings()
                ]
                writing.execute(metadata.tables[table].insert(), rows)
    finally:
        old_engine.dispose()
        source_engine.dispose()

    with HistoryStore.open(location) as store:  # upgrades 0001 -> 0003
        upgraded = store.run(run_id)
        snapshots = store.latest_per_system(until=run.run.as_of)
    assert upgraded is not None
    assert upgraded.run.register is None
    assert all(s.register is None for s in upgraded.systems)
    assert all(s.upper is None and s.undecided is None for s in upgraded.systems)
    assert all(a.register is None for a in upgraded.agencies)
    # everything else is as recorded
    strip = dataclasses.replace
    assert [strip(s, register=None, upper=None, undecided=None) for s in expected.systems] == (
        list(upgraded.systems)
    )
    assert upgraded.findings == expected.findings
    assert strip(expected.run, register=None) == upgraded.run
    assert len(snapshots) == len(run.systems)
