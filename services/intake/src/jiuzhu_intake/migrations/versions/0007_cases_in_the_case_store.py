"""The window's cases in the case store's shape: the case (domain/intake_case.py) as a versioned
JSON state built from the columns it was kept in; the columns the duplicate check, the
close-relative register and the case list query (category, committee, member_ids, stage,
accepted_on) stay, derived from the state; the others go into it.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

MOVED = ("application_id", "area", "applicant_name", "dues", "close_relative_staff_ids", "receipt")


def upgrade() -> None:
    op.add_column("cases", sa.Column("state", JSONB))
    op.add_column("cases", sa.Column("state_version", sa.Integer, nullable=False, server_default="1"))
    op.execute("UPDATE cases SET state = jsonb_build_object("
               "'case_id', case_id, 'application_id', application_id, 'category', category, 'area', area, "
               "'committee', committee, 'applicant_name', applicant_name, 'member_ids', to_jsonb(member_ids), "
               "'accepted_on', accepted_on, 'receipt', receipt, 'stage', stage, 'dues', dues, "
               "'close_relative_staff_ids', to_jsonb(close_relative_staff_ids))")
    op.alter_column("cases", "state", nullable=False)
    for column in MOVED:
        op.drop_column("cases", column)


def downgrade() -> None:
    op.add_column("cases", sa.Column("application_id", sa.String(40)))
    op.add_column("cases", sa.Column("area", sa.Text))
    op.add_column("cases", sa.Column("applicant_name", sa.Text))
    op.add_column("cases", sa.Column("dues", JSONB, nullable=False, server_default="{}"))
    op.add_column("cases", sa.Column("close_relative_staff_ids", ARRAY(sa.Text), nullable=False,
                                     server_default="{}"))
    op.add_column("cases", sa.Column("receipt", JSONB))
    op.execute("UPDATE cases SET application_id = state->>'application_id', area = state->>'area', "
               "applicant_name = state->>'applicant_name', dues = state->'dues', receipt = state->'receipt', "
               "close_relative_staff_ids = ARRAY(SELECT jsonb_array_elements_text("
               "state->'close_relative_staff_ids'))")
    for column in ("application_id", "area", "applicant_name", "receipt"):
        op.alter_column("cases", column, nullable=False)
    op.drop_column("cases", "state_version")
    op.drop_column("cases", "state")
