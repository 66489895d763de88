"""The standing caseload (issue 15): a recipient's amount from an effective month on.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    op.create_table("recipient_amounts",
                    sa.Column("case_id", sa.String(length=40), nullable=False),
                    sa.Column("from_month", sa.String(length=7), nullable=False),
                    sa.Column("amount_fen", sa.BigInteger(), nullable=False),
                    sa.Column("event_id", sa.String(length=26), nullable=False),
                    sa.PrimaryKeyConstraint("case_id", "from_month"))


def downgrade() -> None:
    from alembic import op

    op.drop_table("recipient_amounts")
