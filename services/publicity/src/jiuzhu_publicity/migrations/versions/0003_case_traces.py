"""Runtime tables, version 2: each case's trace context, so one trace covers the whole case.

Revision ID: 0003
Revises: 0002
"""
from jiuzhu_runtime.migrate import create_case_traces_table

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    create_case_traces_table(op)


def downgrade() -> None:
    from alembic import op

    op.drop_table("case_traces")
