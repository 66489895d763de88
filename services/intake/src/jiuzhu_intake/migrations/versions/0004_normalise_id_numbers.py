"""Resident ID numbers typed in full width (a Chinese IME: ６５０２０５…) before IDs were normalised
are rewritten in ASCII, so the one-open-case rule and the close-relative register match them. A
full-width registration whose ASCII twin is already registered for the same staff member is dropped.
Data only; the schema does not change.

Revision ID: 0004
Revises: 0003
"""

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

WIDE, ASCII = "０１２３４５６７８９Ｘｘx", "0123456789XXX"


def _normal(column: str) -> str:
    return f"btrim(translate({column}, '{WIDE}', '{ASCII}'))"


def upgrade() -> None:
    from alembic import op

    odd = f"~ '[{WIDE}[:space:]]'"
    op.execute(f"UPDATE cases SET member_ids = ARRAY(SELECT {_normal('m')} FROM unnest(member_ids) AS m) "
               f"WHERE array_to_string(member_ids, '') {odd}")
    op.execute(f"DELETE FROM close_relatives a USING close_relatives b WHERE a.relative_id_number {odd} "
               f"AND a.staff_id = b.staff_id AND a.id <> b.id "
               f"AND {_normal('a.relative_id_number')} = b.relative_id_number")
    op.execute(f"UPDATE close_relatives SET relative_id_number = {_normal('relative_id_number')} "
               f"WHERE relative_id_number {odd}")


def downgrade() -> None:
    pass  # the full-width spellings are not worth restoring
