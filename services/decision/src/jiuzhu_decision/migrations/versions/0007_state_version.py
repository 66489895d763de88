"""Decision cases in the runtime's case store: each row says which version of the aggregate's
shape it holds (1: every row written so far), so that a later shape brings it up by its upcasters.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("decision_cases", sa.Column("state_version", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    op.drop_column("decision_cases", "state_version")
