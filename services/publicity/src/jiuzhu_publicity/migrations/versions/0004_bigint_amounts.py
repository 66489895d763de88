"""Amounts in fen are BIGINT, as in every other service: an INTEGER column refused an amount over
2,147,483,647 fen (21,474,836.47 元), so the review_signed event carrying it was dead-lettered and
the case stuck before publicity.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    for table in ("notices", "listings"):
        op.alter_column(table, "amount_fen", type_=sa.BigInteger(), existing_type=sa.Integer(),
                        existing_nullable=False)


def downgrade() -> None:
    from alembic import op

    for table in ("notices", "listings"):
        op.alter_column(table, "amount_fen", type_=sa.Integer(), existing_type=sa.BigInteger(),
                        existing_nullable=False)
