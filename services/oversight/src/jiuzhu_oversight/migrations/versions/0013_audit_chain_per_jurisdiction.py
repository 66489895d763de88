"""Oversight partitioned by jurisdiction (issue 14): an audit chain per jurisdiction (and one for the
district's own events), each with its own append lock and its own checkpoints.

The entries written before (one chain, every jurisdiction interleaved) are kept exactly as they are
and become the beginning of the district's chain (the district code is in every entry's envelope):
nothing is rehashed, so every checkpoint already on the stream still describes them.
``audit_checkpoints`` only decides when the next checkpoint is due (verification reads them from the
stream); a checkpoint of an empty chain recorded before any entry existed has no district to name
and keeps a NULL chain, which no chain's next checkpoint looks at.

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("chain", sa.Text(), nullable=True))
    op.execute("UPDATE audit_log SET chain = body->>'district'")
    op.alter_column("audit_log", "chain", nullable=False)
    op.create_index("audit_log_chain_seq", "audit_log", ["chain", "seq"])
    op.add_column("audit_checkpoints", sa.Column("chain", sa.Text(), nullable=True))
    op.execute("UPDATE audit_checkpoints SET chain = (SELECT body->>'district' FROM audit_log ORDER BY seq LIMIT 1)")
    op.create_index("audit_checkpoints_chain", "audit_checkpoints", ["chain", "last_seq"])


def downgrade() -> None:
    op.drop_index("audit_checkpoints_chain", "audit_checkpoints")
    op.drop_column("audit_checkpoints", "chain")
    op.drop_index("audit_log_chain_seq", "audit_log")
    op.drop_column("audit_log", "chain")
