"""Investigations in the case store's shape: the state carries its version, and the running
deadline (next_clock, next_due), which version 1 kept in the row's columns only, moves into the
state; the columns stay, derived from it, for the work list.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("investigations", sa.Column("state_version", sa.Integer, nullable=False, server_default="1"))
    # Version 2 of the state: version 1 plus the deadline the case runs against, from its columns.
    op.execute("UPDATE investigations SET state = state || jsonb_build_object("
               "'next_clock', next_clock, 'next_due', next_due), state_version = 2 WHERE state_version = 1")


def downgrade() -> None:
    op.execute("UPDATE investigations SET state = state - 'next_clock' - 'next_due'")
    op.drop_column("investigations", "state_version")
