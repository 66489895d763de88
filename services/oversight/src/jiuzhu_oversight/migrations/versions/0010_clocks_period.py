"""Oversight: each clock keeps its period (start, working days, rule), so a deadline can be computed
again when the calendar changes (a holiday file arrives). Clocks already open take theirs from the
event that opened them, on the audit chain; a decision clock opened by an ineligible review has no
Due on its event and stays as it is (not recomputed).

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BACKFILL = """
UPDATE clocks c SET starts_after = (x.due->>'starts_after')::date, working_days = (x.due->>'working_days')::int,
                    rule = x.due->>'rule'
FROM audit_log a,
     LATERAL (SELECT a.body->'payload'->(CASE a.event_type
                 WHEN 'application_accepted' THEN 'investigation_due'
                 WHEN 'home_visit_recorded' THEN 'review_due'
                 WHEN 'reinvestigation_opened' THEN 'due'
                 WHEN 'publicity_closed' THEN 'decision_due'
                 WHEN 'case_refused' THEN 'refusal_notice_due' END) AS due) x
WHERE a.event_id = c.opened_by_event AND jsonb_typeof(x.due) = 'object'
"""


def upgrade() -> None:
    op.add_column("clocks", sa.Column("starts_after", sa.Date))
    op.add_column("clocks", sa.Column("working_days", sa.Integer))
    op.add_column("clocks", sa.Column("rule", sa.Text))
    op.execute(BACKFILL)


def downgrade() -> None:
    for name in ("rule", "working_days", "starts_after"):
        op.drop_column("clocks", name)
