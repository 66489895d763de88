"""The clocks in the case store's shape: one row per case (``case_clocks``) holding all its clocks
as JSON (``CaseClocks``, version 1), built from the per-clock rows of ``clocks`` in the order they
were opened, with the columns the ticks and listings look by (the earliest due date a breach may be
raised against, the earliest open due date, whether a new calendar may move one, each clock's
opening event). A written notice names its clock by the event that opened it (``clock_event``)
instead of the old row's id. Downgrade gives the per-clock rows back.

Revision ID: 0020
Revises: 0019
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# A clock open, not breached, its period known: a new calendar may move it.
RECOMPUTABLE = "state = 'open' AND breached_on IS NULL AND starts_after IS NOT NULL AND working_days IS NOT NULL"

UP = f"""
INSERT INTO case_clocks (case_id, state, state_version, jurisdiction, breach_due, open_due, provisional,
                         recomputable, opened_by)
SELECT case_id,
       jsonb_build_object('case_id', case_id, 'jurisdiction', (array_agg(jurisdiction ORDER BY id))[1],
                          'clocks', jsonb_agg(jsonb_build_object(
           'clock', clock, 'opened_by_event', opened_by_event, 'due_on', due_on, 'closed_by', to_jsonb(closed_by),
           'responsible', to_jsonb(responsible), 'closes_when', closes_when, 'provisional', provisional,
           'starts_after', starts_after, 'working_days', working_days, 'rule', rule, 'seen', to_jsonb(seen),
           'state', state, 'met_on', met_on, 'breached_on', breached_on) ORDER BY id)),
       1,
       (array_agg(jurisdiction ORDER BY id))[1],
       min(due_on) FILTER (WHERE state = 'open' AND breached_on IS NULL AND NOT provisional),
       min(due_on) FILTER (WHERE state = 'open'),
       coalesce(bool_or({RECOMPUTABLE} AND provisional), false),
       coalesce(bool_or({RECOMPUTABLE}), false),
       array_agg(opened_by_event ORDER BY id)
FROM clocks GROUP BY case_id
"""

DOWN = """
INSERT INTO clocks (case_id, jurisdiction, clock, due_on, provisional, starts_after, working_days, rule,
                    opened_by_event, closed_by, closes_when, seen, state, met_on, breached_on, responsible)
SELECT k.case_id, k.jurisdiction, c->>'clock', (c->>'due_on')::date, (c->>'provisional')::boolean,
       (c->>'starts_after')::date, (c->>'working_days')::int, c->>'rule', c->>'opened_by_event',
       ARRAY(SELECT jsonb_array_elements_text(c->'closed_by')), c->>'closes_when',
       ARRAY(SELECT jsonb_array_elements_text(c->'seen')), c->>'state', (c->>'met_on')::date,
       (c->>'breached_on')::date, ARRAY(SELECT jsonb_array_elements_text(c->'responsible'))
FROM case_clocks k CROSS JOIN LATERAL jsonb_array_elements(k.state->'clocks') WITH ORDINALITY AS x(c, n)
ORDER BY k.case_id, x.n
"""


def upgrade() -> None:
    op.create_table("case_clocks",
                    sa.Column("case_id", sa.String(length=40), nullable=False),
                    sa.Column("state", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
                    sa.Column("state_version", sa.Integer(), server_default="1", nullable=False),
                    sa.Column("jurisdiction", sa.Text(), nullable=False),
                    sa.Column("breach_due", sa.Date(), nullable=True),
                    sa.Column("open_due", sa.Date(), nullable=True),
                    sa.Column("provisional", sa.Boolean(), server_default="false", nullable=False),
                    sa.Column("recomputable", sa.Boolean(), server_default="false", nullable=False),
                    sa.Column("opened_by", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
                    sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                              nullable=False),
                    sa.PrimaryKeyConstraint("case_id"))
    op.create_index("ix_case_clocks_breach_due", "case_clocks", ["breach_due"])
    op.create_index("ix_case_clocks_open_due", "case_clocks", ["open_due"])
    op.create_index("case_clocks_opened_by", "case_clocks", ["opened_by"], postgresql_using="gin")
    op.create_index("case_clocks_provisional", "case_clocks", ["case_id"], postgresql_where=sa.text("provisional"))
    op.execute(UP)
    op.add_column("support_notices", sa.Column("clock_event", sa.String(length=26), nullable=True))
    op.execute("UPDATE support_notices n SET clock_event = c.opened_by_event FROM clocks c WHERE c.id = n.clock_id")
    op.drop_column("support_notices", "clock_id")
    op.drop_table("clocks")


def downgrade() -> None:
    op.create_table("clocks",
                    sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column("case_id", sa.String(length=40), nullable=False),
                    sa.Column("jurisdiction", sa.Text(), nullable=False),
                    sa.Column("clock", sa.Text(), nullable=False),
                    sa.Column("due_on", sa.Date(), nullable=False),
                    sa.Column("provisional", sa.Boolean(), server_default="false", nullable=False),
                    sa.Column("opened_by_event", sa.String(length=26), nullable=False),
                    sa.Column("closed_by", postgresql.ARRAY(sa.Text()), nullable=False),
                    sa.Column("seen", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
                    sa.Column("state", sa.Text(), server_default="open", nullable=False),
                    sa.Column("met_on", sa.Date(), nullable=True),
                    sa.Column("breached_on", sa.Date(), nullable=True),
                    sa.Column("responsible", postgresql.ARRAY(sa.Text()), nullable=False),
                    sa.Column("closes_when", sa.Text(), server_default="all", nullable=False),
                    sa.Column("starts_after", sa.Date(), nullable=True),
                    sa.Column("working_days", sa.Integer(), nullable=True),
                    sa.Column("rule", sa.Text(), nullable=True),
                    sa.PrimaryKeyConstraint("id"),
                    sa.UniqueConstraint("opened_by_event"))
    op.create_index("ix_clocks_case_id", "clocks", ["case_id"])
    op.create_index("ix_clocks_due_on", "clocks", ["due_on"])
    op.execute(DOWN)
    op.add_column("support_notices", sa.Column("clock_id", sa.Integer(), nullable=True))
    op.execute("UPDATE support_notices n SET clock_id = c.id FROM clocks c WHERE c.opened_by_event = n.clock_event")
    op.drop_column("support_notices", "clock_event")
    op.drop_table("case_clocks")
