"""Schema migrations of the history store: Alembic, driven from code.

The revision scripts live in `versions/` inside the package, so an installed auditor upgrades
any store it opens without an `alembic.ini` or an `env.py`: `upgrade()` builds the Alembic
configuration here, checks the store's revision (kept in the `auditor_schema_version` table)
and, if it is behind, runs the missing revisions in one transaction.

- no version table and none of the store's tables: a new store, built from revision 0001;
- a known revision behind the head: upgraded to the head;
- the head: nothing is written (opening a store is then read-only);
- a revision this auditor does not know: refused, the store was made by a newer auditor.

Concurrent upgrades are serialised: on SQLite the migration transaction begins with
`BEGIN IMMEDIATE` (the write lock, waited for), on PostgreSQL with a transaction-scoped
advisory lock; the revision is read again under the lock, so the second process finds the
work done.

Adding a revision: copy `versions/v0001_initial.py` to `versions/vNNNN_<what>.py`, set
`revision = "NNNN"` and `down_revision` to the previous one, write `upgrade()` (and
`downgrade()`) with `alembic.op` against explicit table and column names — never import
`auditor.store.schema`, which describes only the newest schema — then update `schema.py` to
match; the migration test compares the two.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext, RevisionStep
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, inspect, text

from auditor.store.database import WRITE
from auditor.store.schema import VERSION_TABLE

SCRIPTS = Path(__file__).resolve().parent
# Arbitrary constant key of the PostgreSQL advisory lock held while migrating.
_PG_LOCK_KEY = 0x61756469746F72  # "auditor"
_OWN_TABLES = ("auditor_runs", "auditor_run_agencies", "auditor_run_systems", "auditor_findings")


class NewerSchemaError(Exception):
    def __init__(self, revision: str) -> None:
        self.revision = revision
        super().__init__(revision)


class ForeignDatabaseError(Exception):
    """The database has auditor tables but no version table: not made by this program."""


def _config(location: Path) -> Config:
    config = Config()  # no alembic.ini: everything is set here
    config.set_main_option("script_location", str(location))
    return config


def script_directory(location: Path = SCRIPTS) -> ScriptDirectory:
    return ScriptDirectory.from_config(_config(location))


def head_revision(location: Path = SCRIPTS) -> str:
    head = script_directory(location).get_current_head()
    assert head is not None  # noqa: S101 - the package ships at least revision 0001
    return head


def current_revision(connection: Connection) -> str | None:
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def needs_upgrade(connection: Connection, location: Path = SCRIPTS) -> bool:
    """Whether the store is behind the head; raises NewerSchemaError for unknown revisions."""
    current = current_revision(connection)
    if current is None:
        existing = set(inspect(connection).get_table_names())
        if existing & set(_OWN_TABLES):
            raise ForeignDatabaseError
        return True
    _check_known(current, location)
    return current != head_revision(location)


def _check_known(revision: str, location: Path) -> None:
    try:
        script_directory(location).get_revision(revision)
    except CommandError as error:
        raise NewerSchemaError(revision) from error


def upgrade(engine: Engine, location: Path = SCRIPTS) -> bool:
    """Bring the store to the head revision; True if anything was migrated."""
    with engine.connect() as probe:
        try:
            behind = needs_upgrade(probe, location)
        except ForeignDatabaseError:
            # Unlocked, the two reads (revision, then tables) may straddle another process
            # committing a new store: tables seen, revision not. Decided again under the lock.
            behind = True
        probe.rollback()
    if not behind:
        return False
    with engine.connect() as connection:
        connection.execution_options(**{WRITE: True})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                lock = text("SELECT pg_advisory_xact_lock(:key)")
                connection.execute(lock, {"key": _PG_LOCK_KEY})
            # Under the lock, again: another process may have migrated meanwhile.
            if not needs_upgrade(connection, location):
                return False
            _run(connection, location)
    return True


def _run(connection: Connection, location: Path) -> None:
    config = _config(location)
    script = ScriptDirectory.from_config(config)

    def steps(revision: Any, _context: MigrationContext) -> list[RevisionStep]:
        return script._upgrade_revs("head", revision)  # what `alembic upgrade` calls

    with EnvironmentContext(config, script, fn=steps, destination_rev="head") as environment:
        environment.configure(
            connection=connection,
            version_table=VERSION_TABLE,
            transactional_ddl=True,  # also on SQLite, whose DDL is transactional
            transaction_per_migration=False,
        )
        environment.run_migrations()
