"""A roster's header and a one-off batch's header in the case store's shape: each as a versioned
JSON state (domain/roster_header.py, domain/one_off_batch.py) built from the columns it was kept
in; the columns they are found by stay, derived from the state (rosters: scope, month, version,
status; batches: scope, issued_on, status); the others go into it. Their lines stay rows of their
own.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

ROSTER_MOVED = ("lines", "totals", "checksum", "difference", "compiled_on", "submitted_on")
BATCH_MOVED = ("lines", "total_fen", "checksum")


def _in_the_store_shape(table: str) -> None:
    op.add_column(table, sa.Column("state", JSONB))
    op.add_column(table, sa.Column("state_version", sa.Integer, nullable=False, server_default="1"))
    op.add_column(table, sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                                   server_default=sa.text("now()")))


def upgrade() -> None:
    _in_the_store_shape("rosters")
    op.execute("UPDATE rosters SET state = jsonb_build_object("
               "'roster_id', roster_id, 'scope', scope, 'month', month, 'version', version, 'lines', lines, "
               "'totals', totals, 'checksum', checksum, 'compiled_on', compiled_on, 'difference', difference, "
               "'status', status, 'submitted_on', submitted_on)")
    op.alter_column("rosters", "state", nullable=False)
    for column in ROSTER_MOVED:
        op.drop_column("rosters", column)

    _in_the_store_shape("one_off_batches")
    op.execute("UPDATE one_off_batches SET state = jsonb_build_object("
               "'batch_id', batch_id, 'scope', scope, 'issued_on', issued_on, 'lines', lines, "
               "'total_fen', total_fen, 'checksum', checksum, 'status', status)")
    op.alter_column("one_off_batches", "state", nullable=False)
    for column in BATCH_MOVED:
        op.drop_column("one_off_batches", column)


def downgrade() -> None:
    op.add_column("rosters", sa.Column("lines", sa.Integer))
    op.add_column("rosters", sa.Column("totals", JSONB))
    op.add_column("rosters", sa.Column("checksum", sa.String(64)))
    op.add_column("rosters", sa.Column("difference", JSONB))
    op.add_column("rosters", sa.Column("compiled_on", sa.Date))
    op.add_column("rosters", sa.Column("submitted_on", sa.Date))
    op.execute("UPDATE rosters SET lines = (state->>'lines')::int, totals = state->'totals', "
               "checksum = state->>'checksum', difference = NULLIF(state->'difference', 'null'::jsonb), "
               "compiled_on = (state->>'compiled_on')::date, submitted_on = (state->>'submitted_on')::date")
    for column in ("lines", "totals", "checksum", "compiled_on"):
        op.alter_column("rosters", column, nullable=False)
    op.add_column("one_off_batches", sa.Column("lines", sa.Integer))
    op.add_column("one_off_batches", sa.Column("total_fen", sa.BigInteger))
    op.add_column("one_off_batches", sa.Column("checksum", sa.String(64)))
    op.execute("UPDATE one_off_batches SET lines = (state->>'lines')::int, total_fen = (state->>'total_fen')::bigint, "
               "checksum = state->>'checksum'")
    for column in BATCH_MOVED:
        op.alter_column("one_off_batches", column, nullable=False)
    for table in ("rosters", "one_off_batches"):
        op.drop_column(table, "updated_at")
        op.drop_column(table, "state_version")
        op.drop_column(table, "state")
