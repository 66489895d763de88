"""A household moved between jurisdictions (issue 15 item 6): each of its two register rows names
the other case.

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("register", sa.Column("moved_from", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column("register", sa.Column("moved_to", postgresql.JSONB(astext_type=sa.Text()), nullable=True))


def downgrade() -> None:
    op.drop_column("register", "moved_to")
    op.drop_column("register", "moved_from")
