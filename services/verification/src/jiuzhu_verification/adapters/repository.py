"""Loads and saves investigations inside the caller's unit of work."""

from __future__ import annotations

import datetime as dt

from pydantic import TypeAdapter
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_verification.adapters.tables import investigations
from jiuzhu_verification.domain.investigation import Investigation

STATE = TypeAdapter(Investigation)
OPEN = ("investigating", "reinvestigating")


class InvestigationRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, inv: Investigation, next_clock: str, next_due: dt.date) -> bool:
        result = await self.session.execute(pg_insert(investigations).values(
            case_id=inv.case_id, state=STATE.dump_python(inv, mode="json"), status=inv.status,
            next_clock=next_clock, next_due=next_due).on_conflict_do_nothing().returning(investigations.c.case_id))
        return result.first() is not None

    async def get(self, case_id: str) -> Investigation | None:
        row = (await self.session.execute(select(investigations.c.state)
                                          .where(investigations.c.case_id == case_id).with_for_update())).first()
        return STATE.validate_python(row.state) if row else None

    async def case_for_request(self, request_id: str) -> str | None:
        return (await self.session.execute(select(investigations.c.case_id)
                                           .where(investigations.c.check_request_id == request_id))).scalar()

    async def save(self, inv: Investigation, *, next_clock: str | None = None, next_due: dt.date | None = None,
                   clear_due: bool = False) -> None:
        values = {"state": STATE.dump_python(inv, mode="json"), "status": inv.status,
                  "check_request_id": inv.check_request_id, "updated_at": func.now()}
        if next_clock:
            values |= {"next_clock": next_clock, "next_due": next_due}
        if clear_due:
            values |= {"next_clock": None, "next_due": None}
        await self.session.execute(update(investigations).where(investigations.c.case_id == inv.case_id)
                                   .values(**values))

    async def work_list(self, limit: int):
        return (await self.session.execute(
            select(investigations.c.case_id, investigations.c.status, investigations.c.next_clock,
                   investigations.c.next_due, investigations.c.state)
            .where(investigations.c.status.in_(OPEN))
            .order_by(investigations.c.next_due.asc().nulls_last(), investigations.c.case_id).limit(limit))).all()
