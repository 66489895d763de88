"""The standing caseload (issue 15): amounts decided for a later month, waiting for it.

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

    op.create_table("pending_listing_amounts",
                    sa.Column("case_id", sa.String(length=40), nullable=False),
                    sa.Column("from_month", sa.String(length=7), nullable=False),
                    sa.Column("amount_fen", sa.BigInteger(), nullable=False),
                    sa.Column("household_size", sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint("case_id", "from_month"))
    op.create_index(op.f("ix_pending_listing_amounts_from_month"), "pending_listing_amounts", ["from_month"])


def downgrade() -> None:
    from alembic import op

    op.drop_table("pending_listing_amounts")
