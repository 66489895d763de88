"""No 0-fen line reaches finance (issue 16 item 3; D21 art. 8): a roster line and a payment claim
pay something. NOT VALID: lines already compiled (a low-income household's 0-fen lines of the past)
stay as they were — rosters are never rewritten — and every new line is checked.

Revision ID: 0120
Revises: 0006
"""

revision = "0120"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    op.execute("ALTER TABLE roster_lines ADD CONSTRAINT roster_line_pays CHECK (amount_fen > 0) NOT VALID")
    op.execute("ALTER TABLE payment_claims ADD CONSTRAINT claim_pays CHECK (amount_fen > 0) NOT VALID")


def downgrade() -> None:
    from alembic import op

    op.execute("ALTER TABLE payment_claims DROP CONSTRAINT claim_pays")
    op.execute("ALTER TABLE roster_lines DROP CONSTRAINT roster_line_pays")
