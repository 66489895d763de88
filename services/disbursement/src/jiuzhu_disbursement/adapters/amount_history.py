"""The amounts a recipient is paid from an effective month on (``support_changed``), kept beside
the register; ``recipients.amount_fen`` stays the amount it was approved or imported with.
Implements domain/amounts.py's ``amount_in`` in SQL for rosters and the fund plan."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_disbursement.adapters.tables import recipient_amounts

# Joined to ``recipients r`` in a statement that binds ``:month``: each case's amount in force that
# month, if any change is. One pass over the changes (hashed), not a lookup per recipient.
AMOUNT_JOIN = ("LEFT JOIN (SELECT DISTINCT ON (case_id) case_id, amount_fen FROM recipient_amounts"
               " WHERE from_month <= CAST(:month AS varchar) ORDER BY case_id, from_month DESC) amt"
               " ON amt.case_id = r.case_id")
AMOUNT_IN_MONTH = "coalesce(amt.amount_fen, r.amount_fen)"


async def change_from(s: AsyncSession, case_id: str, month: str, amount_fen: int, event_id: str,
                      cause: str | None = None) -> None:
    """A later decision for the same effective month replaces the earlier one (stream order)."""
    await s.execute(pg_insert(recipient_amounts).values(case_id=case_id, from_month=month, amount_fen=amount_fen,
                                                        event_id=event_id, cause=cause)
                    .on_conflict_do_update(index_elements=["case_id", "from_month"],
                                           set_={"amount_fen": amount_fen, "event_id": event_id, "cause": cause}))


async def changes_of(s: AsyncSession, case_ids: list[str]) -> dict[str, dict[str, int]]:
    """Each case's changes: effective month → amount from then on (domain/amounts.py ``amount_in``)."""
    t = recipient_amounts.c
    rows = await s.execute(select(t.case_id, t.from_month, t.amount_fen).where(t.case_id.in_(case_ids))
                           .order_by(t.case_id, t.from_month))
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        out.setdefault(r.case_id, {})[r.from_month] = r.amount_fen
    return out
