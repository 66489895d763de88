"""Re-reviews of supported households (定期核查, issue 15).

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "re_reviews",
        sa.Column("case_id", sa.String(40), primary_key=True),
        sa.Column("state", JSONB, nullable=False),
        sa.Column("state_version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("status", sa.Text, nullable=False, index=True),
        sa.Column("due_on", sa.Date, index=True),
        sa.Column("committee", sa.Text, nullable=False),
        sa.Column("check_request_id", sa.Text, unique=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("re_reviews")
