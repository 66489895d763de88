"""Race-free document numbers; the share stored with each spot-check sample.

* ``counters``: one row per series and year (``rectification-2022``, ``spot-check-2022``), seeded
  from the numbers already issued so that no number is given twice.
* ``samples.share``: the exact share a sample was drawn with; null for samples drawn before.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("counters",
                    sa.Column("name", sa.Text(), nullable=False),
                    sa.Column("value", sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint("name"))
    op.execute("INSERT INTO counters (name, value) "
               "SELECT 'rectification-' || split_part(order_no, '-', 3), max(split_part(order_no, '-', 4)::bigint) "
               "FROM rectifications WHERE order_no ~ '^ZG-[0-9]+-[0-9]{4}-[0-9]+$' GROUP BY 1")
    op.execute("INSERT INTO counters (name, value) "
               "SELECT 'spot-check-' || split_part(document_no, '-', 3), max(split_part(document_no, '-', 4)::bigint) "
               "FROM spot_checks WHERE document_no ~ '^CC-[0-9]+-[0-9]{4}-[0-9]+$' GROUP BY 1")
    op.add_column("samples", sa.Column("share", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("samples", "share")
    op.drop_table("counters")
