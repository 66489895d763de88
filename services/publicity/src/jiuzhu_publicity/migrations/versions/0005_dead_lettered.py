"""Runtime tables, version 3: what this service's consumers dead-lettered, shown by the stage.

Revision ID: 0005
Revises: 0004
"""
from jiuzhu_runtime.migrate import create_dead_lettered_table

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    create_dead_lettered_table(op)


def downgrade() -> None:
    from alembic import op

    op.drop_table("dead_lettered")
