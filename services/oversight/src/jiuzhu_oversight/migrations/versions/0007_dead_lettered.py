"""Runtime tables, version 3: what this service's consumers dead-lettered, shown by the stage.

Revision ID: 0007
Revises: 0006
"""
from jiuzhu_runtime.migrate import create_dead_lettered_table

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    create_dead_lettered_table(op)


def downgrade() -> None:
    from alembic import op

    op.drop_table("dead_lettered")
