"""Active-discovery reports (主动发现报告, plan 四(三)2) in the case store's shape: the report as a
versioned JSON state (domain/discovery.py), with the columns the worklist orders and filters by.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "discovery_reports",
        sa.Column("case_id", sa.String(40), primary_key=True),
        sa.Column("state", JSONB, nullable=False),
        sa.Column("state_version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("committee", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("reported_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("discovery_reports_status_due", "discovery_reports", ["status", "due_on"])


def downgrade() -> None:
    op.drop_table("discovery_reports")
