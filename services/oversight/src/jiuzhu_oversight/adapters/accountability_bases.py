"""What an accountability record may rest on, looked up where oversight keeps it: a breached clock
(by the event that opened it, as ``deadline_breached`` names it), a completed spot check, a
rectification order. Inspection findings and petitions are read through their own registers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_oversight.adapters import spot_check_register
from jiuzhu_oversight.adapters.rectification_register import rectifications
from jiuzhu_oversight.adapters.tables import clocks


async def breached_clock(session: AsyncSession, opened_by_event: str):
    return (await session.execute(select(clocks.c.case_id, clocks.c.jurisdiction, clocks.c.clock, clocks.c.due_on,
                                         clocks.c.breached_on, clocks.c.responsible)
                                  .where(clocks.c.opened_by_event == opened_by_event))).first()


async def spot_check(session: AsyncSession, case_id: str):
    return await spot_check_register.check(session, case_id)


async def rectification(session: AsyncSession, order_no: str):
    return (await session.execute(select(rectifications.c.jurisdiction, rectifications.c.concerning_case)
                                  .where(rectifications.c.order_no == order_no))).first()
