"""Temporary assistance through one-off batches (issue 16 item 1): tranches, batches, their lines and
one claim per (case, tranche) — the primary key makes a second payment impossible, a trigger makes a
paid claim final. Temporary cases approved before this and never claimed on a roster become one
tranche of their amount, payable on their approval day (the roster no longer carries them).

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    op.create_table("temporary_tranches",
                    sa.Column("case_id", sa.String(length=40), nullable=False),
                    sa.Column("tranche", sa.Integer(), nullable=False),
                    sa.Column("jurisdiction", sa.Text(), nullable=False),
                    sa.Column("public_name", sa.Text(), nullable=False),
                    sa.Column("payment_account", sa.Text(), nullable=False),
                    sa.Column("amount_fen", sa.BigInteger(), nullable=False),
                    sa.Column("payable_on", sa.Date(), nullable=False),
                    sa.Column("tranches", sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint("case_id", "tranche"),
                    sa.CheckConstraint("amount_fen > 0", name="tranche_pays_something"))
    op.create_table("one_off_batches",
                    sa.Column("batch_id", sa.String(length=80), primary_key=True),
                    sa.Column("scope", sa.Text(), nullable=False),
                    sa.Column("issued_on", sa.Date(), nullable=False),
                    sa.Column("status", sa.Text(), nullable=False),
                    sa.Column("lines", sa.Integer(), nullable=False),
                    sa.Column("total_fen", sa.BigInteger(), nullable=False),
                    sa.Column("checksum", sa.String(length=64), nullable=False),
                    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
                    sa.CheckConstraint("status IN ('issued', 'confirmed')", name="batch_status"))
    op.create_table("one_off_batch_lines",
                    sa.Column("batch_id", sa.String(length=80), nullable=False),
                    sa.Column("case_id", sa.String(length=40), nullable=False),
                    sa.Column("tranche", sa.Integer(), nullable=False),
                    sa.Column("jurisdiction", sa.Text(), nullable=False),
                    sa.Column("amount_fen", sa.BigInteger(), nullable=False),
                    sa.Column("name", sa.Text(), nullable=False),
                    sa.Column("account", sa.Text(), nullable=False),
                    sa.Column("carried", sa.Boolean(), nullable=False),
                    sa.PrimaryKeyConstraint("batch_id", "case_id", "tranche"))
    op.create_table("tranche_claims",
                    sa.Column("case_id", sa.String(length=40), nullable=False),
                    sa.Column("tranche", sa.Integer(), nullable=False),
                    sa.Column("amount_fen", sa.BigInteger(), nullable=False),
                    sa.Column("batch_id", sa.String(length=80), nullable=False, index=True),
                    sa.Column("status", sa.Text(), nullable=False),
                    sa.Column("failure_reason", sa.Text()),
                    sa.PrimaryKeyConstraint("case_id", "tranche"),
                    sa.CheckConstraint("status IN ('submitted', 'paid', 'failed')", name="tranche_claim_status"))
    op.execute("""
        CREATE FUNCTION paid_tranches_are_final() RETURNS trigger AS $$
        BEGIN
          IF OLD.status = 'paid' THEN
            RAISE EXCEPTION 'tranche claim %/% is paid and final', OLD.case_id, OLD.tranche;
          END IF;
          RETURN COALESCE(NEW, OLD);
        END $$ LANGUAGE plpgsql""")
    op.execute("CREATE TRIGGER paid_tranches_are_final BEFORE UPDATE OR DELETE ON tranche_claims "
               "FOR EACH ROW EXECUTE FUNCTION paid_tranches_are_final()")
    op.execute("""
        INSERT INTO temporary_tranches (case_id, tranche, jurisdiction, public_name, payment_account, amount_fen,
                                        payable_on, tranches)
        SELECT r.case_id, 1, r.jurisdiction, r.public_name, r.payment_account, r.amount_fen, r.approved_on, 1
          FROM recipients r
         WHERE r.category = 'temporary' AND r.amount_fen > 0
           AND NOT EXISTS (SELECT 1 FROM payment_claims c WHERE c.case_id = r.case_id AND c.category = 'temporary')""")


def downgrade() -> None:
    from alembic import op

    op.execute("DROP TRIGGER paid_tranches_are_final ON tranche_claims")
    op.execute("DROP FUNCTION paid_tranches_are_final()")
    for table in ("tranche_claims", "one_off_batch_lines", "one_off_batches", "temporary_tranches"):
        op.drop_table(table)
