"""Oversight: dead letters with what they claimed to be, and security alerts.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = (("original_seq", sa.BigInteger), ("signer", sa.Text), ("event_id", sa.Text), ("event_type", sa.Text),
           ("case_id", sa.Text))


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("dead_letters", sa.Column(name, kind))
    op.add_column("dead_letters", sa.Column("security", sa.Boolean, nullable=False, server_default="false"))
    op.create_index("ix_dead_letters_case_id", "dead_letters", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_dead_letters_case_id", "dead_letters")
    for name in ("security", *(n for n, _ in COLUMNS)):
        op.drop_column("dead_letters", name)
