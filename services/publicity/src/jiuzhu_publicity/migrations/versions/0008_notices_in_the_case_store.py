"""The notices in the case store's shape: each notice (domain/notice.py) as a versioned JSON state
built from the columns it was kept in; the columns the board, the ticker and a case's rounds query
(case_id, committee, status, opens_on, closes_on) stay, derived from the state; the others go into it.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

MOVED = ("round", "public_name", "household_size", "category", "amount_fen", "closes", "outcome")


def upgrade() -> None:
    op.add_column("notices", sa.Column("state", JSONB))
    op.add_column("notices", sa.Column("state_version", sa.Integer, nullable=False, server_default="1"))
    op.add_column("notices", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                                       server_default=sa.text("now()")))
    op.execute("UPDATE notices SET state = jsonb_build_object("
               "'notice_no', notice_no, 'case_id', case_id, 'round', round, 'committee', committee, "
               "'public_name', public_name, 'household_size', household_size, 'category', category, "
               "'amount_fen', amount_fen, 'opens_on', opens_on, 'closes', closes, 'status', status, "
               "'outcome', outcome)")
    op.alter_column("notices", "state", nullable=False)
    for column in MOVED:
        op.drop_column("notices", column)


def downgrade() -> None:
    op.add_column("notices", sa.Column("round", sa.Integer))
    op.add_column("notices", sa.Column("public_name", sa.Text))
    op.add_column("notices", sa.Column("household_size", sa.Integer))
    op.add_column("notices", sa.Column("category", sa.Text))
    op.add_column("notices", sa.Column("amount_fen", sa.BigInteger))
    op.add_column("notices", sa.Column("closes", JSONB))
    op.add_column("notices", sa.Column("outcome", sa.Text))
    op.execute("UPDATE notices SET round = (state->>'round')::int, public_name = state->>'public_name', "
               "household_size = (state->>'household_size')::int, category = state->>'category', "
               "amount_fen = (state->>'amount_fen')::bigint, closes = state->'closes', outcome = state->>'outcome'")
    for column in MOVED[:-1]:
        op.alter_column("notices", column, nullable=False)
    op.drop_column("notices", "updated_at")
    op.drop_column("notices", "state_version")
    op.drop_column("notices", "state")
