"""The re-reviews' proposals in the case store's shape: each (domain/re_review_outcome.py) as a
versioned JSON state built from the columns it was kept in, keyed by ``case_id/round``; the columns
the pending list and a household's proposals are found by (case_id, round, status, completed_on)
stay, derived from the state — one per household and round still; the others go into it.

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

T = "re_review_outcomes"
MOVED = ("outcome", "proposal", "resolved_on", "resolved_by", "resolution")


def upgrade() -> None:
    op.add_column(T, sa.Column("outcome_no", sa.String(60)))
    op.add_column(T, sa.Column("state", JSONB))
    op.add_column(T, sa.Column("state_version", sa.Integer, nullable=False, server_default="1"))
    op.add_column(T, sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                               server_default=sa.text("now()")))
    op.execute(f"UPDATE {T} SET outcome_no = case_id || '/' || round, state = jsonb_build_object("
               "'case_id', case_id, 'round', round, 'outcome', outcome, 'completed_on', completed_on, "
               "'proposal', proposal, 'status', status, 'resolved_on', resolved_on, 'resolved_by', resolved_by, "
               "'resolution', resolution)")
    op.alter_column(T, "outcome_no", nullable=False)
    op.alter_column(T, "state", nullable=False)
    op.drop_constraint(f"{T}_pkey", T, type_="primary")
    op.create_primary_key(f"{T}_pkey", T, ["outcome_no"])
    op.create_unique_constraint(f"{T}_case_id_round_key", T, ["case_id", "round"])
    for column in MOVED:
        op.drop_column(T, column)


def downgrade() -> None:
    op.add_column(T, sa.Column("outcome", sa.Text))
    op.add_column(T, sa.Column("proposal", JSONB))
    op.add_column(T, sa.Column("resolved_on", sa.Date))
    op.add_column(T, sa.Column("resolved_by", JSONB))
    op.add_column(T, sa.Column("resolution", JSONB))
    op.execute(f"UPDATE {T} SET outcome = state->>'outcome', proposal = state->'proposal', "
               "resolved_on = (state->>'resolved_on')::date, "
               "resolved_by = NULLIF(state->'resolved_by', 'null'::jsonb), "
               "resolution = NULLIF(state->'resolution', 'null'::jsonb)")
    op.alter_column(T, "outcome", nullable=False)
    op.alter_column(T, "proposal", nullable=False)
    op.drop_constraint(f"{T}_case_id_round_key", T, type_="unique")
    op.drop_constraint(f"{T}_pkey", T, type_="primary")
    op.create_primary_key(f"{T}_pkey", T, ["case_id", "round"])
    for column in ("outcome_no", "state", "state_version", "updated_at"):
        op.drop_column(T, column)
