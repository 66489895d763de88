"""The inspection (督查) and accountability (追责) registers (plan 六(二)).

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inspections",
        sa.Column("inspection_no", sa.String(40), primary_key=True),
        sa.Column("state", JSONB, nullable=False),
        sa.Column("jurisdictions", ARRAY(sa.Text), nullable=False),
        sa.Column("started_on", sa.Date, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "accountability",
        sa.Column("record_no", sa.String(40), primary_key=True),
        sa.Column("state", JSONB, nullable=False),
        sa.Column("jurisdiction", sa.Text, nullable=False, index=True),
        sa.Column("person_id", sa.Text, nullable=False, index=True),
        sa.Column("basis", sa.Text, nullable=False),
        sa.Column("basis_ref", sa.Text, nullable=False, index=True),
        sa.Column("recorded_on", sa.Date, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("accountability")
    op.drop_table("inspections")
