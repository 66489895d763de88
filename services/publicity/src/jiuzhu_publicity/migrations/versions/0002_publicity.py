"""Notices, objections, binding limits, long-term listings.

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
    op.create_table('case_limits',
    sa.Column('case_id', sa.String(length=40), nullable=False),
    sa.Column('binding_due', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.PrimaryKeyConstraint('case_id')
    )
    op.create_table('listings',
    sa.Column('case_id', sa.String(length=40), nullable=False),
    sa.Column('committee', sa.Text(), nullable=False),
    sa.Column('public_name', sa.Text(), nullable=False),
    sa.Column('household_size', sa.Integer(), nullable=False),
    sa.Column('category', sa.Text(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default='true', nullable=False),
    sa.PrimaryKeyConstraint('case_id')
    )
    op.create_table('notices',
    sa.Column('notice_no', sa.String(length=60), nullable=False),
    sa.Column('case_id', sa.String(length=40), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('committee', sa.Text(), nullable=False),
    sa.Column('public_name', sa.Text(), nullable=False),
    sa.Column('household_size', sa.Integer(), nullable=False),
    sa.Column('category', sa.Text(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('notice_no')
    )
    op.create_index(op.f('ix_notices_case_id'), 'notices', ['case_id'], unique=False)
    op.create_index(op.f('ix_notices_closes_on'), 'notices', ['closes_on'], unique=False)
    op.create_index(op.f('ix_notices_committee'), 'notices', ['committee'], unique=False)
    op.create_table('objections',
    sa.Column('objection_id', sa.String(length=40), nullable=False),
    sa.Column('notice_no', sa.String(length=60), nullable=False),
    sa.Column('case_id', sa.String(length=40), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.Text(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('contact', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('objection_id')
    )
    op.create_index(op.f('ix_objections_notice_no'), 'objections', ['notice_no'], unique=False)


def downgrade() -> None:
    op.drop_table("listings")
    op.drop_table("case_limits")
    op.drop_table("objections")
    op.drop_table("notices")
