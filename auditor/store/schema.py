"""The tables of the audit history store, as the code reads and writes them today.

This is the *current* schema. The migrations under `migrations/versions/` build it step by
step and never import this module (a migration describes the schema as it was when it was
written); `tests/store/test_store_migrations.py` checks that upgrading an empty database to the
head revision gives exactly these tables, columns and indexes.

Every table name starts with `auditor_`, so a PostgreSQL database shared with other
applications keeps them apart. Statuses, severities and the like are plain strings (no
database enum types), levels are integers, and the few small structured values (status
counts, computed levels per regime, a waiver) are JSON, which SQLAlchemy maps to TEXT on
SQLite and `json` on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)

VERSION_TABLE = "auditor_schema_version"

# Constraint names are fixed, so a later migration can drop or alter them by name on
# either database (the national store's tables are named the same way).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING_CONVENTION)

# An INTEGER PRIMARY KEY is SQLite's rowid (no extra index, cheapest insert); PostgreSQL
# gets a 64-bit identity, as a store may well hold more than 2^31 findings over the years.
BIG_ID = BigInteger().with_variant(Integer(), "sqlite")


def _score_columns() -> list[Column[Any]]:
    """A Summary's two scores: the value and the points it was computed from.

    The points let the annual report add systems taken from different runs into one score.
    """
    return [
        Column("score", Float, nullable=True),
        Column("score_earned", Integer, nullable=False),
        Column("score_possible", Integer, nullable=False),
        Column("score_without_waivers", Float, nullable=True),
        Column("score_without_waivers_earned", Integer, nullable=False),
        Column("score_without_waivers_possible", Integer, nullable=False),
        Column("counts", JSON, nullable=False),  # status -> number of findings
        Column("by_severity", JSON, nullable=False),  # severity -> open, non-advisory findings
        Column("expired_waivers", Integer, nullable=False),
        Column("gate_blocked", Boolean, nullable=False),
    ]


runs = Table(
    "auditor_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("recorded_at", String(32), nullable=False),  # ISO 8601 UTC, ...Z
    Column("as_of", Date, nullable=False),
    Column("inventory", String, nullable=False),  # a label: the inventory path(s)
    Column("organisation", String, nullable=False),
    Column("organisation_name", String, nullable=False),
    Column("tool_version", String, nullable=False),
    Column("schema_version", String, nullable=False),  # of the JSON results
    Column("lang", String, nullable=False),
    Column("live", Boolean, nullable=False),
    Column("observed_at", String(32), nullable=True),
    Column("rules", Integer, nullable=False),
    Column("systems", Integer, nullable=False),
    Column("findings", Integer, nullable=False),
    *_score_columns(),
    Column("inputs", JSON, nullable=False),  # [{path, kind, sha256}]
    # the Form 08 register entry (auditor.model.results.*Register) as JSON; NULL before 0002
    Column("register", JSON(none_as_null=True), nullable=True),
    Index(None, "organisation", "as_of"),
    Index(None, "as_of"),
)

run_agencies = Table(
    "auditor_run_agencies",
    metadata,
    Column(
        "run_id", Integer, ForeignKey(runs.c.id, ondelete="CASCADE"), primary_key=True
    ),
    Column("agency_id", String, primary_key=True),
    Column("position", Integer, nullable=False),  # order in the run
    Column("name", String, nullable=False),
    Column("systems", JSON, nullable=False),  # the agency's system ids
    *_score_columns(),
    # the Form 08 register entry (auditor.model.results.*Register) as JSON; NULL before 0002
    Column("register", JSON(none_as_null=True), nullable=True),
)

run_systems = Table(
    "auditor_run_systems",
    metadata,
    Column(
        "run_id", Integer, ForeignKey(runs.c.id, ondelete="CASCADE"), primary_key=True
    ),
    Column("system_id", String, primary_key=True),
    Column("position", Integer, nullable=False),  # order in the run
    Column("agency_id", String, nullable=False),
    Column("name", String, nullable=False),
    Column("lifecycle", String, nullable=False),
    Column("system_type", String, nullable=False),
    Column("declared", Integer, nullable=True),
    Column("approved", Integer, nullable=True),
    Column("effective", Integer, nullable=False),
    Column("computed", JSON, nullable=False),  # regime -> minimum level
    Column("criteria", JSON, nullable=False),  # regime -> ids of the criteria that fired
    Column("governing_regime", String, nullable=False),
    *_score_columns(),
    # the Form 08 register entry (auditor.model.results.*Register) as JSON; NULL before 0002
    Column("register", JSON(none_as_null=True), nullable=True),
    # regime -> upper bound, and regime -> [{id, level, component, unknown}]; NULL before 0003
    Column("upper", JSON(none_as_null=True), nullable=True),
    Column("undecided", JSON(none_as_null=True), nullable=True),
    Index(None, "system_id"),
)

findings = Table(
    "auditor_findings",
    metadata,
    Column("id", BIG_ID, primary_key=True, autoincrement=True),  # insertion order
    Column("run_id", Integer, nullable=False),
    Column("finding_id", String, nullable=False),
    Column("rule_id", String, nullable=False),
    Column("owner", String, nullable=False),  # the system, agency or organisation id
    Column("owner_kind", String(16), nullable=False),  # system | agency | organisation
    Column("system_id", String, nullable=True),
    Column("agency_id", String, nullable=True),
    Column("subject", String, nullable=True),
    Column("status", String(16), nullable=False),
    Column("measured_status", String(16), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("rule_group", String, nullable=False),
    Column("obligation", String(16), nullable=False),
    Column("gate", Boolean, nullable=False),
    Column("message_vi", String, nullable=False),
    Column("message_en", String, nullable=False),
    # reason, approver, decision, expires, expired; SQL NULL (not JSON null) without one
    Column("waiver", JSON(none_as_null=True), nullable=True),
    ForeignKeyConstraint(["run_id"], [runs.c.id], ondelete="CASCADE"),
    # (run_id, rule_id) also serves every lookup by run_id alone (its leading column), so
    # there is no separate run_id index to maintain on a million-row insert.
    Index(None, "run_id", "rule_id"),
    Index(None, "system_id", "run_id"),
)
