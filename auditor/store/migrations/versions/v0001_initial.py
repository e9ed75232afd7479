"""The first schema: runs, their agencies and systems, and every finding.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _score_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("score_earned", sa.Integer, nullable=False),
        sa.Column("score_possible", sa.Integer, nullable=False),
        sa.Column("score_without_waivers", sa.Float, nullable=True),
        sa.Column("score_without_waivers_earned", sa.Integer, nullable=False),
        sa.Column("score_without_waivers_possible", sa.Integer, nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.Column("by_severity", sa.JSON, nullable=False),
        sa.Column("expired_waivers", sa.Integer, nullable=False),
        sa.Column("gate_blocked", sa.Boolean, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "auditor_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("inventory", sa.String, nullable=False),
        sa.Column("organisation", sa.String, nullable=False),
        sa.Column("organisation_name", sa.String, nullable=False),
        sa.Column("tool_version", sa.String, nullable=False),
        sa.Column("schema_version", sa.String, nullable=False),
        sa.Column("lang", sa.String, nullable=False),
        sa.Column("live", sa.Boolean, nullable=False),
        sa.Column("observed_at", sa.String(32), nullable=True),
        sa.Column("rules", sa.Integer, nullable=False),
        sa.Column("systems", sa.Integer, nullable=False),
        sa.Column("findings", sa.Integer, nullable=False),
        *_score_columns(),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_auditor_runs"),
    )
    op.create_index("ix_auditor_runs_organisation_as_of", "auditor_runs", ["organisation", "as_of"])
    op.create_index("ix_auditor_runs_as_of", "auditor_runs", ["as_of"])

    op.create_table(
        "auditor_run_agencies",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("agency_id", sa.String, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("systems", sa.JSON, nullable=False),
        *_score_columns(),
        sa.PrimaryKeyConstraint("run_id", "agency_id", name="pk_auditor_run_agencies"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["auditor_runs.id"], ondelete="CASCADE",
            name="fk_auditor_run_agencies_run_id",
        ),
    )

    op.create_table(
        "auditor_run_systems",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("system_id", sa.String, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("agency_id", sa.String, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("lifecycle", sa.String, nullable=False),
        sa.Column("system_type", sa.String, nullable=False),
        sa.Column("declared", sa.Integer, nullable=True),
        sa.Column("approved", sa.Integer, nullable=True),
        sa.Column("effective", sa.Integer, nullable=False),
        sa.Column("computed", sa.JSON, nullable=False),
        sa.Column("criteria", sa.JSON, nullable=False),
        sa.Column("governing_regime", sa.String, nullable=False),
        *_score_columns(),
        sa.PrimaryKeyConstraint("run_id", "system_id", name="pk_auditor_run_systems"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["auditor_runs.id"], ondelete="CASCADE",
            name="fk_auditor_run_systems_run_id",
        ),
    )
    op.create_index("ix_auditor_run_systems_system_id", "auditor_run_systems", ["system_id"])

    op.create_table(
        "auditor_findings",
        sa.Column("id", _BIG_ID, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("finding_id", sa.String, nullable=False),
        sa.Column("rule_id", sa.String, nullable=False),
        sa.Column("owner", sa.String, nullable=False),
        sa.Column("owner_kind", sa.String(16), nullable=False),
        sa.Column("system_id", sa.String, nullable=True),
        sa.Column("agency_id", sa.String, nullable=True),
        sa.Column("subject", sa.String, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("measured_status", sa.String(16), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("rule_group", sa.String, nullable=False),
        sa.Column("obligation", sa.String(16), nullable=False),
        sa.Column("gate", sa.Boolean, nullable=False),
        sa.Column("message_vi", sa.String, nullable=False),
        sa.Column("message_en", sa.String, nullable=False),
        sa.Column("waiver", sa.JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_auditor_findings"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["auditor_runs.id"], ondelete="CASCADE",
            name="fk_auditor_findings_run_id",
        ),
    )
    op.create_index(
        "ix_auditor_findings_run_id_rule_id", "auditor_findings", ["run_id", "rule_id"]
    )
    op.create_index(
        "ix_auditor_findings_system_id_run_id", "auditor_findings", ["system_id", "run_id"]
    )


def downgrade() -> None:
    op.drop_table("auditor_findings")
    op.drop_table("auditor_run_systems")
    op.drop_table("auditor_run_agencies")
    op.drop_table("auditor_runs")
