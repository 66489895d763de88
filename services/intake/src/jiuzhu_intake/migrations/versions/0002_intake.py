"""Intake tables: applications, case projection, timeline, counters, close-relative register.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    now = sa.func.now()
    op.create_table(
        "applications",
        sa.Column("application_id", sa.String(40), primary_key=True),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("content", JSONB, nullable=False),
        sa.Column("submissions", sa.Integer, nullable=False, server_default="1"),
        sa.Column("notice_no", sa.Text),
        sa.Column("notice_items", JSONB),
        sa.Column("notice_content", JSONB),
        sa.Column("notice_issued_on", sa.Date),
        sa.Column("case_id", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=now),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=now),
    )
    op.create_table(
        "cases",
        sa.Column("case_id", sa.String(40), primary_key=True),
        sa.Column("application_id", sa.String(40), nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("area", sa.Text, nullable=False),
        sa.Column("committee", sa.Text, nullable=False),
        sa.Column("applicant_name", sa.Text, nullable=False),
        sa.Column("member_ids", ARRAY(sa.Text), nullable=False),
        sa.Column("stage", sa.Text, nullable=False),
        sa.Column("accepted_on", sa.Date, nullable=False),
        sa.Column("dues", JSONB, nullable=False, server_default="{}"),
        sa.Column("close_relative_staff_ids", ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("receipt", JSONB, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=now),
    )
    op.create_index("cases_member_ids", "cases", ["member_ids"], postgresql_using="gin")
    op.create_table(
        "case_timeline",
        sa.Column("event_id", sa.String(26), primary_key=True),
        sa.Column("case_id", sa.String(40), nullable=False, index=True),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_name", sa.Text, nullable=False),
    )
    op.create_table(
        "counters",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "close_relatives",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("staff_id", sa.Text, nullable=False),
        sa.Column("staff_name", sa.Text, nullable=False),
        sa.Column("relative_name", sa.Text, nullable=False),
        sa.Column("relative_id_number", sa.String(18), nullable=False, index=True),
        sa.Column("relation", sa.Text, nullable=False),
        sa.Column("registered_by", sa.Text, nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False, server_default=now),
        sa.UniqueConstraint("staff_id", "relative_id_number"),
    )


def downgrade() -> None:
    for table in ("close_relatives", "counters", "case_timeline", "cases", "applications"):
        op.drop_table(table)
