"""Level bounds kept with each run's systems: how high undeclared facts could take the level.

Classification facts an inventory does not declare are unknown, not "no": each regime's level
is the one the declared facts prove (the existing `computed` column) up to `upper`, with the
criteria above it and the facts each waits for (`undecided`). Runs recorded before this
revision have neither (NULL): history reads them as "not recorded", never as proven.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

_COLUMNS = ("upper", "undecided")


def upgrade() -> None:
    for column in _COLUMNS:
        op.add_column(
            "auditor_run_systems", sa.Column(column, sa.JSON(none_as_null=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("auditor_run_systems") as batch:  # SQLite: no in-place drop
        for column in _COLUMNS:
            batch.drop_column(column)
