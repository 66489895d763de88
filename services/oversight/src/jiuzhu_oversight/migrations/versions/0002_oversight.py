"""Oversight tables.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('cases', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('jurisdictions', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('id_hash', 'cases')
    )
    op.create_table('audit_log',
    sa.Column('seq', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=26), nullable=False),
    sa.Column('case_id', sa.String(length=40), nullable=True),
    sa.Column('jurisdiction', sa.Text(), nullable=False),
    sa.Column('category', sa.Text(), nullable=True),
    sa.Column('event_type', sa.Text(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('body', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('event_id')
    )
    op.create_index(op.f('ix_audit_log_case_id'), 'audit_log', ['case_id'], unique=False)
    op.create_table('beneficiaries',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.String(length=40), nullable=False),
    sa.Column('jurisdiction', sa.Text(), nullable=False),
    sa.Column('open', sa.Boolean(), server_default='true', nullable=False),
    sa.PrimaryKeyConstraint('id_hash', 'case_id')
    )
    op.create_table('clocks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.String(length=40), nullable=False),
    sa.Column('jurisdiction', sa.Text(), nullable=False),
    sa.Column('clock', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('provisional', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('opened_by_event', sa.String(length=26), nullable=False),
    sa.Column('closed_by', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('seen', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('state', sa.Text(), server_default='open', nullable=False),
    sa.Column('met_on', sa.Date(), nullable=True),
    sa.Column('breached_on', sa.Date(), nullable=True),
    sa.Column('responsible', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('opened_by_event')
    )
    op.create_index(op.f('ix_clocks_case_id'), 'clocks', ['case_id'], unique=False)
    op.create_index(op.f('ix_clocks_due_on'), 'clocks', ['due_on'], unique=False)
    op.create_table('dead_letters',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('dlq_seq', sa.BigInteger(), nullable=False),
    sa.Column('consumer', sa.Text(), nullable=False),
    sa.Column('original_subject', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dlq_seq')
    )
    op.create_table('filings',
    sa.Column('case_id', sa.String(length=40), nullable=False),
    sa.Column('jurisdiction', sa.Text(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('record', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.PrimaryKeyConstraint('case_id')
    )
    op.create_index(op.f('ix_filings_month'), 'filings', ['month'], unique=False)
    op.create_table('rectifications',
    sa.Column('order_no', sa.String(length=60), nullable=False),
    sa.Column('jurisdiction', sa.Text(), nullable=False),
    sa.Column('concerning_case', sa.String(length=40), nullable=True),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('due', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('ordered_on', sa.Date(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('escalated_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('order_no')
    )
    op.create_table('register',
    sa.Column('case_id', sa.String(length=40), nullable=False),
    sa.Column('jurisdiction', sa.Text(), nullable=False),
    sa.Column('category', sa.Text(), nullable=False),
    sa.Column('stage', sa.Text(), nullable=False),
    sa.Column('applicant_name', sa.Text(), nullable=False),
    sa.Column('committee', sa.Text(), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=True),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('close_relative', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('objections', sa.Integer(), server_default='0', nullable=False),
    sa.Column('reported', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('first_month_paid', sa.Text(), nullable=True),
    sa.Column('ended', sa.Boolean(), server_default='false', nullable=False),
    sa.PrimaryKeyConstraint('case_id')
    )
    op.create_index(op.f('ix_register_jurisdiction'), 'register', ['jurisdiction'], unique=False)
    op.create_table('samples',
    sa.Column('jurisdiction', sa.Text(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('seed', sa.Text(), nullable=False),
    sa.Column('filings', sa.Integer(), nullable=False),
    sa.Column('population', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('drawn', sa.Integer(), nullable=False),
    sa.Column('drawn_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('jurisdiction', 'month')
    )
    op.create_table('spot_checks',
    sa.Column('case_id', sa.String(length=40), nullable=False),
    sa.Column('jurisdiction', sa.Text(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('because', sa.Text(), nullable=False),
    sa.Column('findings', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('document_no', sa.Text(), nullable=True),
    sa.Column('inspector', sa.Text(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('case_id')
    )


def downgrade() -> None:
    op.drop_table("dead_letters")
    op.drop_table("alerts")
    op.drop_table("beneficiaries")
    op.drop_table("rectifications")
    op.drop_table("spot_checks")
    op.drop_table("samples")
    op.drop_table("filings")
    op.drop_table("clocks")
    op.drop_table("audit_log")
    op.drop_table("register")
