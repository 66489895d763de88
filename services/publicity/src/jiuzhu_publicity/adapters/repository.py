"""Publicity's data access inside the caller's unit of work."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_contracts.base import Category, Due

from jiuzhu_publicity.adapters.tables import case_limits, listings, notices, objections
from jiuzhu_publicity.domain.notice import Notice, NoticeStatus, Objection, WindowOutcome


def _notice(row) -> Notice:
    return Notice(notice_no=row.notice_no, case_id=row.case_id, round=row.round, committee=row.committee,
                  public_name=row.public_name, household_size=row.household_size, category=Category(row.category),
                  amount_fen=row.amount_fen, opens_on=row.opens_on, closes=Due.model_validate(row.closes),
                  status=NoticeStatus(row.status), outcome=WindowOutcome(row.outcome) if row.outcome else None)


class PublicityRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    # --- notices (one aggregate per round of a case) -------------------------------------------
    async def rounds(self, case_id: str) -> int:
        return (await self.session.execute(select(func.count()).select_from(notices)
                                           .where(notices.c.case_id == case_id))).scalar_one()

    async def add_notice(self, notice: Notice) -> None:
        await self.session.execute(insert(notices).values(
            notice_no=notice.notice_no, case_id=notice.case_id, round=notice.round, committee=notice.committee,
            public_name=notice.public_name, household_size=notice.household_size, category=notice.category.value,
            amount_fen=notice.amount_fen, opens_on=notice.opens_on, closes=notice.closes.model_dump(mode="json"),
            closes_on=notice.closes_on, status=notice.status.value,
            outcome=notice.outcome.value if notice.outcome else None))

    async def save_notice(self, notice: Notice) -> None:
        """A notice's state changes (the rest of it is what was posted, never edited)."""
        await self.session.execute(update(notices).where(notices.c.notice_no == notice.notice_no).values(
            status=notice.status.value, outcome=notice.outcome.value if notice.outcome else None))

    async def notice(self, notice_no: str, *, for_update: bool = False) -> Notice | None:
        query = select(notices).where(notices.c.notice_no == notice_no)
        row = (await self.session.execute(query.with_for_update() if for_update else query)).first()
        return _notice(row) if row else None

    async def open_notice_of(self, case_id: str) -> Notice | None:
        row = (await self.session.execute(select(notices).where(
            notices.c.case_id == case_id, notices.c.status == NoticeStatus.OPEN.value).with_for_update())).first()
        return _notice(row) if row else None

    async def ended_notices(self, today: dt.date, limit: int = 200) -> list[Notice]:
        """Open notices whose window has passed, locked so that two tickers never close one twice."""
        rows = (await self.session.execute(
            select(notices).where(notices.c.status == NoticeStatus.OPEN.value, notices.c.closes_on < today)
            .order_by(notices.c.closes_on).limit(limit).with_for_update(skip_locked=True))).all()
        return [_notice(r) for r in rows]

    async def board(self, committee: str, today: dt.date) -> list[Notice]:
        rows = (await self.session.execute(
            select(notices).where(notices.c.committee == committee, notices.c.status == NoticeStatus.OPEN.value,
                                  notices.c.opens_on <= today).order_by(notices.c.opens_on, notices.c.notice_no))).all()
        return [_notice(r) for r in rows]

    async def open_notices(self) -> list[Notice]:
        rows = (await self.session.execute(select(notices).where(notices.c.status == NoticeStatus.OPEN.value)
                                           .order_by(notices.c.closes_on))).all()
        return [_notice(r) for r in rows]

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
