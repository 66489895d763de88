"""The long-term list's amounts over time (issue 15): a change effective in the month it was
decided (or earlier) is shown at once; one for a later month waits here until that month."""

from __future__ import annotations

from sqlalchemy import text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_publicity.adapters.tables import listings, pending_listing_amounts


async def show(s: AsyncSession, case_id: str, amount_fen: int, household_size: int) -> None:
    await s.execute(update(listings).where(listings.c.case_id == case_id)
                    .values(amount_fen=amount_fen, household_size=household_size))


async def wait_for(s: AsyncSession, case_id: str, month: str, amount_fen: int, household_size: int) -> None:
    """A later decision for the same month replaces an earlier one (stream order)."""
    values = {"amount_fen": amount_fen, "household_size": household_size}
    await s.execute(pg_insert(pending_listing_amounts).values(case_id=case_id, from_month=month, **values)
                    .on_conflict_do_update(index_elements=["case_id", "from_month"], set_=values))


# The latest waiting amount of each case whose month has come is shown; every waiting row up to
# that month is then done with. Cheap when nothing is due (the index on from_month).
SHOW_DUE = """
WITH due AS (DELETE FROM pending_listing_amounts WHERE from_month <= :month
             RETURNING case_id, from_month, amount_fen, household_size),
     latest AS (SELECT DISTINCT ON (case_id) case_id, amount_fen, household_size FROM due
                ORDER BY case_id, from_month DESC)
UPDATE listings l SET amount_fen = latest.amount_fen, household_size = latest.household_size
  FROM latest WHERE l.case_id = latest.case_id
"""


async def show_due(s: AsyncSession, month: str) -> int:
    return (await s.execute(text(SHOW_DUE), {"month": month})).rowcount
