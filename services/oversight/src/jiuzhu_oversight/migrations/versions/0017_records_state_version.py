"""Petitions, inspections and accountability records in the case store's shape: each state carries
its version (the rows already stored are version 1, the shape they were written in).

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

TABLES = ("petitions", "inspections", "accountability")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("state_version", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "state_version")
