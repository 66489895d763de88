"""Recipients, rosters, roster lines, payment claims.

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
    op.create_table('payment_claims',
    sa.Column('case_id', sa.String(length=40), nullable=False),
    sa.Column('category', sa.Text(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('roster_id', sa.String(length=80), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('failure_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('submitted', 'paid', 'failed')", name='claim_status'),
    sa.PrimaryKeyConstraint('case_id', 'category', 'month')
    )
    op.create_index(op.f('ix_payment_claims_roster_id'), 'payment_claims', ['roster_id'], unique=False)
    op.create_table('recipients',
    sa.Column('case_id', sa.String(length=40), nullable=False),
    sa.Column('jurisdiction', sa.Text(), nullable=False),
    sa.Column('category', sa.Text(), nullable=False),
    sa.Column('public_name', sa.Text(), nullable=False),
    sa.Column('household_size', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('from_month', sa.String(length=7), nullable=False),
    sa.Column('until_month', sa.String(length=7), nullable=True),
    sa.Column('payment_account', sa.Text(), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('case_id')
    )
    op.create_index(op.f('ix_recipients_jurisdiction'), 'recipients', ['jurisdiction'], unique=False)
    op.create_table('roster_lines',
    sa.Column('roster_id', sa.String(length=80), nullable=False),
    sa.Column('jurisdiction', sa.Text(), nullable=False),
    sa.Column('case_id', sa.String(length=40), nullable=False),
    sa.Column('category', sa.Text(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('account', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('roster_id', 'case_id', 'category', 'month')
    )
    op.create_table('rosters',
    sa.Column('roster_id', sa.String(length=80), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.Column('totals', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('difference', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('compiled_on', sa.Date(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('roster_id')
    )
    # A paid claim can never become anything else.
    op.execute("""
        CREATE FUNCTION paid_claims_are_final() RETURNS trigger AS $$
        BEGIN
          IF OLD.status = 'paid' THEN
            RAISE EXCEPTION 'payment claim %/%/% is paid and final', OLD.case_id, OLD.category, OLD.month;
          END IF;
          RETURN COALESCE(NEW, OLD);
        END $$ LANGUAGE plpgsql""")
    op.execute("CREATE TRIGGER paid_claims_are_final BEFORE UPDATE OR DELETE ON payment_claims "
               "FOR EACH ROW EXECUTE FUNCTION paid_claims_are_final()")



def downgrade() -> None:
    op.execute("DROP TRIGGER paid_claims_are_final ON payment_claims")
    op.execute("DROP FUNCTION paid_claims_are_final()")
    op.drop_table("payment_claims")
    op.drop_table("roster_lines")
    op.drop_table("rosters")
    op.drop_table("recipients")
