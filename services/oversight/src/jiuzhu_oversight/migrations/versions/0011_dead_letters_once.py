"""Oversight: a dead letter counts once per (consumer, original sequence) — dead letters carry no
Nats-Msg-Id any more (a predictable one could be claimed beforehand to suppress an alert).

Revision ID: 0011
Revises: 0010
"""
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM dead_letters a USING dead_letters b "
               "WHERE a.consumer = b.consumer AND a.original_seq = b.original_seq AND a.id > b.id")
    op.create_unique_constraint("dead_letters_once_per_consumer", "dead_letters", ["consumer", "original_seq"])


def downgrade() -> None:
    op.drop_constraint("dead_letters_once_per_consumer", "dead_letters")
