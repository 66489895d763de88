"""The window's applications in the case store's shape: each application
(domain/application_record.py) as a versioned JSON state built from the columns it was kept in; the
columns the awaiting-correction list queries (status, notice_issued_on, created_at) stay, derived
from the state; the others go into it.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

MOVED = ("content", "submissions", "notice_no", "notice_items", "notice_content", "case_id")


def upgrade() -> None:
    op.add_column("applications", sa.Column("state", JSONB))
    op.add_column("applications", sa.Column("state_version", sa.Integer, nullable=False, server_default="1"))
    op.execute("UPDATE applications SET state = jsonb_build_object("
               "'application_id', application_id, 'content', content, 'status', status, "
               "'submissions', submissions, 'notice_no', notice_no, 'notice_items', notice_items, "
               "'notice_content', notice_content, 'notice_issued_on', notice_issued_on, 'case_id', case_id)")
    op.alter_column("applications", "state", nullable=False)
    for column in MOVED:
        op.drop_column("applications", column)


def downgrade() -> None:
    op.add_column("applications", sa.Column("content", JSONB))
    op.add_column("applications", sa.Column("submissions", sa.Integer, nullable=False, server_default="1"))
    op.add_column("applications", sa.Column("notice_no", sa.Text))
    op.add_column("applications", sa.Column("notice_items", JSONB))
    op.add_column("applications", sa.Column("notice_content", JSONB))
    op.add_column("applications", sa.Column("case_id", sa.Text))
    op.execute("UPDATE applications SET content = state->'content', submissions = (state->>'submissions')::int, "
               "notice_no = state->>'notice_no', notice_items = NULLIF(state->'notice_items', 'null'::jsonb), "
               "notice_content = NULLIF(state->'notice_content', 'null'::jsonb), case_id = state->>'case_id'")
    op.alter_column("applications", "content", nullable=False)
    op.drop_column("applications", "state_version")
    op.drop_column("applications", "state")
