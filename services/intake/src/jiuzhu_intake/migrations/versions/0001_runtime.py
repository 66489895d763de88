"""Runtime tables: transactional outbox and processed events.

Revision ID: 0001
"""
from jiuzhu_runtime.migrate import create_runtime_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    create_runtime_tables(op)


def downgrade() -> None:
    from alembic import op

    op.drop_table("processed_events")
    op.drop_table("outbox")
