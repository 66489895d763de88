"""Recipients, rosters, roster lines, payment claims.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

from jiuzhu_disbursement.adapters.tables import metadata

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Creates the tables as adapters/tables.py defines them today. Before the first production
# deployment this must be frozen into explicit op.create_table calls; later changes get revisions.
TABLES = ("recipients", "rosters", "roster_lines", "payment_claims")


def upgrade() -> None:
    bind = op.get_bind()
    for name in TABLES:
        metadata.tables[name].create(bind)
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
    for name in reversed(TABLES):
        op.drop_table(name)
