"""Decision cases (one aggregate per case).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision_cases",
        sa.Column("case_id", sa.String(40), primary_key=True),
        sa.Column("state", JSONB, nullable=False),
        sa.Column("status", sa.Text, nullable=False, index=True),
        sa.Column("decision_due", sa.Date, index=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("decision_cases")
