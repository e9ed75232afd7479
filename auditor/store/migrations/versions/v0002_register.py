"""Register entries (Decree 331 Form 08) kept with each run's systems, agencies and organisation.

The annual report prints each system's Form 08 row (proposed level, dossier and approval
decision, security regulation, plan deployment, inspections) and the bodies' staff figures
as the last audit of the period saw them. Runs recorded before this revision have none
(NULL): the report says so for those systems instead of guessing.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

_TABLES = ("auditor_runs", "auditor_run_agencies", "auditor_run_systems")


def upgrade() -> None:
    for table in _TABLES:
        op.add_column(table, sa.Column("register", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:  # SQLite cannot drop a column in place
            batch.drop_column("register")
