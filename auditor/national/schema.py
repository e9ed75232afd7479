"""The national store's tables: submissions (one per imported bundle) and their systems.

A documented simpler approach than the history store's Alembic chain: this schema has one
version so far, so the store is created with `metadata.create_all` under a lock and its
version kept in `national_schema_version`; a store of a newer version is refused. The day a
second version comes, the history store's migration driver (`auditor.store.migrations`)
should take a version table and a scripts folder as parameters and serve both stores.

Table names start with `national_`, apart from the history store's `auditor_` tables, so both
may share one PostgreSQL database.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)

from auditor.store.schema import BIG_ID, NAMING_CONVENTION

SCHEMA_VERSION = 1

metadata = MetaData(naming_convention=NAMING_CONVENTION)


version = Table(
    "national_schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
)

submissions = Table(
    "national_submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("province_id", String, nullable=False),  # an id of the list, or the bundle's own
    Column("year", Integer, nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),  # of the bundle file's bytes
    Column("file_name", String, nullable=False),
    Column("signer", String, nullable=True),  # RFC 4514 subject of the signer certificate
    Column("signed_at", String(32), nullable=True),  # ISO 8601 UTC
    Column("imported_at", String(32), nullable=False),  # ISO 8601 UTC
    Column("organisation", String, nullable=False),
    Column("organisation_name", String, nullable=False),
    Column("run_id", String, nullable=False),
    Column("systems", Integer, nullable=False),
    Column("verification", JSON, nullable=False),  # what was verified, against which CA bundle
    Column("figures", JSON, nullable=False),  # the annual figures as signed, without systems
    Index(None, "year", "province_id"),
)

systems = Table(
    "national_systems",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),
    Column(
        "submission_id",
        Integer,
        ForeignKey("national_submissions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("agency_id", String, nullable=False),
    Column("system_id", String, nullable=False),
    Column("name", String, nullable=False),
    Column("effective_level", Integer, nullable=False),
    Column("governing_regime", String, nullable=False),
    Column("dossier_status", String, nullable=True),
    Column("score", Float, nullable=True),
    Column("score_earned", Integer, nullable=False),
    Column("score_possible", Integer, nullable=False),
    Column("open_critical_high", Integer, nullable=False),
    Column("kpis", JSON, nullable=False),  # indicator id -> met | not_met | unverified | ...
)
