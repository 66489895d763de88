"""Oversight tables.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

from jiuzhu_oversight.adapters.tables import metadata

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Creates the tables as adapters/tables.py defines them today. Before the first production
# deployment this must be frozen into explicit op.create_table calls; later changes get revisions.
TABLES = ("register", "audit_log", "clocks", "filings", "samples", "spot_checks", "rectifications",
          "beneficiaries", "alerts", "dead_letters")


def upgrade() -> None:
    bind = op.get_bind()
    for name in TABLES:
        metadata.tables[name].create(bind)


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
