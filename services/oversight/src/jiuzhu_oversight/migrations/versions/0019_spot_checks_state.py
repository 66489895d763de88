"""Spot checks in the case store's shape: each check's state as JSON (version 1), built from the
columns it was kept in; the columns it is looked up by (jurisdiction, month, completed_on) stay,
derived from it; the others (because, findings, feedback, document_no, inspector) live in the state
only. The statistics count a check's faults from its state.

Revision ID: 0019
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

MOVED = ("because", "findings", "feedback", "document_no", "inspector")


def upgrade() -> None:
    op.add_column("spot_checks", sa.Column("state", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column("spot_checks", sa.Column("state_version", sa.Integer, nullable=False, server_default="1"))
    op.add_column("spot_checks", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                                           server_default=sa.func.now()))
    op.execute("UPDATE spot_checks SET state = jsonb_build_object("
               "'case_id', case_id, 'jurisdiction', jurisdiction, 'month', month, 'because', because, "
               "'findings', findings, 'feedback', feedback, 'document_no', document_no, 'inspector', inspector, "
               "'completed_on', completed_on)")
    op.alter_column("spot_checks", "state", nullable=False)
    for column in MOVED:
        op.drop_column("spot_checks", column)


def downgrade() -> None:
    op.add_column("spot_checks", sa.Column("because", sa.Text(), nullable=True))
    op.add_column("spot_checks", sa.Column("findings", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column("spot_checks", sa.Column("feedback", sa.Text(), nullable=True))
    op.add_column("spot_checks", sa.Column("document_no", sa.Text(), nullable=True))
    op.add_column("spot_checks", sa.Column("inspector", sa.Text(), nullable=True))
    op.execute("UPDATE spot_checks SET because = state->>'because', findings = NULLIF(state->'findings', 'null'), "
               "feedback = state->>'feedback', document_no = state->>'document_no', inspector = state->>'inspector'")
    op.alter_column("spot_checks", "because", nullable=False)
    op.drop_column("spot_checks", "updated_at")
    op.drop_column("spot_checks", "state_version")
    op.drop_column("spot_checks", "state")
