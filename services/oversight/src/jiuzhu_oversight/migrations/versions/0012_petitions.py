"""The petition register (信访件, plan 六(三)).

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "petitions",
        sa.Column("petition_no", sa.String(40), primary_key=True),
        sa.Column("state", JSONB, nullable=False),
        sa.Column("status", sa.Text, nullable=False, index=True),
        sa.Column("jurisdiction", sa.Text, index=True),
        sa.Column("due_on", sa.Date),
        sa.Column("escalated_on", sa.Date),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("petitions")
