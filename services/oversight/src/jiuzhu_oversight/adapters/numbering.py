"""Document numbers that two transactions at once never share (rectification orders, spot-check
feedback): a counter row per series and year, incremented by one statement. The row lock held
until commit serialises the callers; ``count(*) + 1`` gave both the same number."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_oversight.adapters.tables import counters


async def next_number(session: AsyncSession, series: str, year: int) -> int:
    result = await session.execute(
        pg_insert(counters).values(name=f"{series}-{year}", value=1)
        .on_conflict_do_update(index_elements=[counters.c.name], set_={"value": counters.c.value + 1})
        .returning(counters.c.value))
    return result.scalar_one()
