"""Publicity's data access inside the caller's unit of work."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_publicity.adapters.tables import case_limits, listings, notices, objections


class PublicityRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def rounds(self, case_id: str) -> int:
        return (await self.session.execute(select(func.count()).select_from(notices)
                                           .where(notices.c.case_id == case_id))).scalar_one()

    async def add_notice(self, **values) -> None:
        await self.session.execute(insert(notices).values(**values))

    async def notice(self, notice_no: str, *, for_update: bool = False):
        query = select(notices).where(notices.c.notice_no == notice_no)
        return (await self.session.execute(query.with_for_update() if for_update else query)).first()

    async def open_notice_of(self, case_id: str):
        return (await self.session.execute(select(notices).where(notices.c.case_id == case_id,
                                                                 notices.c.status == "open").with_for_update())).first()

    async def ended_notices(self, today: dt.date, limit: int = 200):
        """Open notices whose window has passed, locked so that two tickers never close one twice."""
        return (await self.session.execute(
            select(notices).where(notices.c.status == "open", notices.c.closes_on < today)
            .order_by(notices.c.closes_on).limit(limit).with_for_update(skip_locked=True))).all()

    async def close_notice(self, notice_no: str, status: str, outcome: str | None) -> None:
        await self.session.execute(update(notices).where(notices.c.notice_no == notice_no)
                                   .values(status=status, outcome=outcome))

    async def board(self, committee: str, today: dt.date):
        return (await self.session.execute(
            select(notices).where(notices.c.committee == committee, notices.c.status == "open",
                                  notices.c.opens_on <= today).order_by(notices.c.opens_on, notices.c.notice_no))).all()

    async def open_notices(self):
        return (await self.session.execute(select(notices).where(notices.c.status == "open")
                                           .order_by(notices.c.closes_on))).all()

    async def add_objection(self, **values) -> None:
        await self.session.execute(insert(objections).values(**values))

    async def objections_of(self, notice_no: str):
        return (await self.session.execute(select(objections).where(objections.c.notice_no == notice_no)
                                           .order_by(objections.c.created_at))).all()

    async def all_objections(self, limit: int):
        return (await self.session.execute(select(objections).order_by(objections.c.created_at.desc())
                                           .limit(limit))).all()

    async def binding_due(self, case_id: str) -> dict | None:
        return (await self.session.execute(select(case_limits.c.binding_due)
                                           .where(case_limits.c.case_id == case_id))).scalar()

    async def set_binding_due(self, case_id: str, due: dict) -> None:
        await self.session.execute(pg_insert(case_limits).values(case_id=case_id, binding_due=due)
                                   .on_conflict_do_nothing())

    async def list_household(self, **values) -> None:
        await self.session.execute(pg_insert(listings).values(**values).on_conflict_do_update(
            index_elements=[listings.c.case_id], set_={k: v for k, v in values.items() if k != "case_id"}
            | {"active": True}))

    async def delist(self, case_id: str) -> None:
        await self.session.execute(update(listings).where(listings.c.case_id == case_id).values(active=False))

    async def listing(self, case_id: str):
        return (await self.session.execute(select(listings).where(listings.c.case_id == case_id))).first()

    async def long_term_list(self):
        return (await self.session.execute(select(listings).where(listings.c.active.is_(True))
                                           .order_by(listings.c.committee, listings.c.since, listings.c.case_id))).all()
