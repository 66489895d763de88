"""The re-reviews' proposals awaiting the authority (定期核查, issue 15).

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "re_review_outcomes",
        sa.Column("case_id", sa.String(40), primary_key=True),
        sa.Column("round", sa.Integer, primary_key=True),
        sa.Column("status", sa.Text, nullable=False, index=True),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("completed_on", sa.Date, nullable=False),
        sa.Column("proposal", JSONB, nullable=False),
        sa.Column("resolved_on", sa.Date),
        sa.Column("resolved_by", JSONB),
        sa.Column("resolution", JSONB),
    )


def downgrade() -> None:
    op.drop_table("re_review_outcomes")
