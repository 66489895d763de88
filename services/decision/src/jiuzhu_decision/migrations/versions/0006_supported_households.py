"""Supported households (the standing caseload, issue 15).

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "supported_households",
        sa.Column("case_id", sa.String(40), primary_key=True),
        sa.Column("state", JSONB, nullable=False),
        sa.Column("state_version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("status", sa.Text, nullable=False, index=True),
        sa.Column("category", sa.Text, nullable=False, index=True),
        sa.Column("committee", sa.Text, nullable=False),
        sa.Column("approved_on", sa.Date, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("supported_households")
