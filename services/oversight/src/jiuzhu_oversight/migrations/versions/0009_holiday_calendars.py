"""Runtime tables, version 4: the holiday files published on the bus; the calendar is rebuilt from them.

Revision ID: 0009
Revises: 0008
"""
from jiuzhu_runtime.migrate import create_holiday_calendars_table

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    create_holiday_calendars_table(op)


def downgrade() -> None:
    from alembic import op

    op.drop_table("holiday_calendars")
