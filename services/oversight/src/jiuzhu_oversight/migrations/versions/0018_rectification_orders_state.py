"""Rectification orders in the case store's shape: each order's state as JSON (version 1), built
from the columns it was kept in; the columns the escalation tick, the listing and accountability
look by stay, derived from it; the others (kind, findings, due, answer) live in the state only.

Revision ID: 0018
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

MOVED = ("kind", "findings", "due", "answer")


def upgrade() -> None:
    op.add_column("rectifications", sa.Column("state", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column("rectifications", sa.Column("state_version", sa.Integer, nullable=False, server_default="1"))
    op.add_column("rectifications", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                                              server_default=sa.func.now()))
    # Dates as JSON become ISO strings, the form the state is dumped in.
    op.execute("UPDATE rectifications SET state = jsonb_build_object("
               "'order_no', order_no, 'jurisdiction', jurisdiction, 'concerning_case', concerning_case, "
               "'kind', kind, 'findings', findings, 'due', due, 'ordered_on', ordered_on, "
               "'answered_on', answered_on, 'answer', answer, 'escalated_on', escalated_on)")
    op.alter_column("rectifications", "state", nullable=False)
    for column in MOVED:
        op.drop_column("rectifications", column)


def downgrade() -> None:
    op.add_column("rectifications", sa.Column("kind", sa.Text(), nullable=True))
    op.add_column("rectifications", sa.Column("findings", sa.Text(), nullable=True))
    op.add_column("rectifications", sa.Column("due", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column("rectifications", sa.Column("answer", sa.Text(), nullable=True))
    op.execute("UPDATE rectifications SET kind = state->>'kind', findings = state->>'findings', "
               "due = state->'due', answer = state->>'answer'")
    for column in ("kind", "findings", "due"):
        op.alter_column("rectifications", column, nullable=False)
    op.drop_column("rectifications", "updated_at")
    op.drop_column("rectifications", "state_version")
    op.drop_column("rectifications", "state")
