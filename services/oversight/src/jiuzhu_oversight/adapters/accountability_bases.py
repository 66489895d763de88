"""What an accountability record may rest on, looked up where oversight keeps it: a breached clock
(by the event that opened it, as ``deadline_breached`` names it), a completed spot check, a
rectification order. Inspection findings and petitions are read through their own registers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_oversight.adapters import clock_register, spot_check_register
from jiuzhu_oversight.adapters.rectification_register import rectifications


@dataclass(frozen=True)
class BreachedClock:
    case_id: str
    jurisdiction: str
    clock: str
    due_on: dt.date
    breached_on: dt.date | None
    responsible: tuple[str, ...]


async def breached_clock(session: AsyncSession, opened_by_event: str) -> BreachedClock | None:
    found = await clock_register.opened_by(session, opened_by_event)
    if found is None:
        return None
    case, c = found
    return BreachedClock(case.case_id, case.jurisdiction, c.clock, c.due_on, c.breached_on, c.responsible)


async def spot_check(session: AsyncSession, case_id: str):
    return await spot_check_register.check(session, case_id)


async def rectification(session: AsyncSession, order_no: str):
    return (await session.execute(select(rectifications.c.jurisdiction, rectifications.c.concerning_case)
                                  .where(rectifications.c.order_no == order_no))).first()
