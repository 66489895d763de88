"""Clocks closed by any one of their events.

``clocks.closes_when``: ``all`` or ``any`` of ``closed_by``. A decision clock is closed by an
approval *or* a refusal; it used to wait for both, so every decided case was breached. Open
decision clocks that already saw an outcome are closed here, on the day the case was decided.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("clocks", sa.Column("closes_when", sa.Text(), server_default="all", nullable=False))
    op.execute("UPDATE clocks SET closes_when = 'any' WHERE clock = 'decision'")
    op.execute("UPDATE clocks SET state = 'met', met_on = coalesce("
               "(SELECT decided_on FROM register WHERE register.case_id = clocks.case_id), current_date) "
               "WHERE clock = 'decision' AND state = 'open' AND seen && closed_by")


def downgrade() -> None:
    op.drop_column("clocks", "closes_when")
