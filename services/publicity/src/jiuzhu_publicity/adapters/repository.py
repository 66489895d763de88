"""Publicity's data access inside the caller's unit of work: objections, binding limits, the
long-term list (the notices are in the case store: adapters/notices.py)."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_contracts.base import Due

from jiuzhu_publicity.adapters.tables import case_limits, listings, objections
from jiuzhu_publicity.domain.notice import Objection


class PublicityRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    # --- objections ----------------------------------------------------------------------------
    async def add_objection(self, objection: Objection) -> None:
        await self.session.execute(insert(objections).values(**asdict(objection)))

    async def objections_of(self, notice_no: str):
        return (await self.session.execute(select(objections).where(objections.c.notice_no == notice_no)
                                           .order_by(objections.c.created_at))).all()

    async def all_objections(self, limit: int):
        return (await self.session.execute(select(objections).order_by(objections.c.created_at.desc())
                                           .limit(limit))).all()

    # --- per case: the limit an objection set; the long-term list --------------------------------
    async def binding_due(self, case_id: str) -> Due | None:
        raw = (await self.session.execute(select(case_limits.c.binding_due)
                                          .where(case_limits.c.case_id == case_id))).scalar()
        return Due.model_validate(raw) if raw else None

    async def set_binding_due(self, case_id: str, due: Due) -> None:
        await self.session.execute(pg_insert(case_limits).values(case_id=case_id, binding_due=due.model_dump(mode="json"))
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
