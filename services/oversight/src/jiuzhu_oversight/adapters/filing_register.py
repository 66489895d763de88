"""Filed cases (备案), the population of each month's spot checks: their SQL."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_oversight.adapters.tables import filings, register
from jiuzhu_oversight.domain.sampling import Filing


_RECORD = pg_insert(filings).values({filings.c[n]: bindparam(n, type_=filings.c[n].type)
                                     for n in ("case_id", "jurisdiction", "month", "record")}).on_conflict_do_nothing()


async def record(session: AsyncSession, *, case_id: str, jurisdiction: str, month: str, record: dict) -> None:
    await session.execute(_RECORD, {"case_id": case_id, "jurisdiction": jurisdiction, "month": month,
                                    "record": record})


async def of_month(session: AsyncSession, jurisdiction: str, month: str) -> list[Filing]:
    """The month's filings with the flags that force a case into the sample, in case order. A close
    relative registered after the filing flags the case in the register (close_relative_flagged); a
    report of missed coverage marks it there too."""
    rows = (await session.execute(
        select(filings.c.case_id, filings.c.record, register.c.reported, register.c.close_relative)
        .select_from(filings.outerjoin(register, register.c.case_id == filings.c.case_id))
        .where(filings.c.jurisdiction == jurisdiction, filings.c.month == month))).all()
    return sorted((Filing(r.case_id, bool(r.record["close_relative"] or r.close_relative), r.record["objections"],
                          bool(r.reported)) for r in rows), key=lambda f: f.case_id)
