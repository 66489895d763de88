"""The standing caseload (issue 15): the register marks an imported household; each decision on
a supported household is filed; the written notices of those decisions.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("register", sa.Column("migrated", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.create_table("support_filings",
                    sa.Column("event_id", sa.String(length=26), nullable=False),
                    sa.Column("case_id", sa.String(length=40), nullable=False),
                    sa.Column("jurisdiction", sa.Text(), nullable=False),
                    sa.Column("month", sa.String(length=7), nullable=False),
                    sa.Column("kind", sa.Text(), nullable=False),
                    sa.Column("record", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
                    sa.PrimaryKeyConstraint("event_id"))
    op.create_index(op.f("ix_support_filings_case_id"), "support_filings", ["case_id"])
    op.create_index(op.f("ix_support_filings_month"), "support_filings", ["month"])
    op.create_table("support_notices",
                    sa.Column("notice_no", sa.Text(), nullable=False),
                    sa.Column("case_id", sa.String(length=40), nullable=True),
                    sa.Column("clock_id", sa.Integer(), nullable=True),
                    sa.Column("delivered_on", sa.Date(), nullable=True),
                    sa.Column("received_by", sa.Text(), nullable=True),
                    sa.PrimaryKeyConstraint("notice_no"))


def downgrade() -> None:
    op.drop_table("support_notices")
    op.drop_table("support_filings")
    op.drop_column("register", "migrated")
