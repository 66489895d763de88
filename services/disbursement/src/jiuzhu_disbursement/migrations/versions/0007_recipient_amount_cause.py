"""The fund plan (issue 16 item 4): each change of amount keeps its cause, so the projection knows
which households decision already raised for a coming standard (not raised twice).

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    op.add_column("recipient_amounts", sa.Column("cause", sa.Text(), nullable=True))


def downgrade() -> None:
    from alembic import op

    op.drop_column("recipient_amounts", "cause")
