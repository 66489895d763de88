"""Runtime tables, version 4: the holiday files published on the bus; the calendar is rebuilt from them.

Revision ID: 0006
Revises: 0005
"""
from jiuzhu_runtime.migrate import create_holiday_calendars_table

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    create_holiday_calendars_table(op)


def downgrade() -> None:
    from alembic import op

    op.drop_table("holiday_calendars")
