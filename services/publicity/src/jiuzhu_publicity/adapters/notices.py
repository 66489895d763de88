"""How publicity stores its notices (the runtime's case store, keyed by the notice's number), and
the queries over the columns derived from them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.case_store import CaseKind, CaseStore

from jiuzhu_publicity.adapters.tables import notices
from jiuzhu_publicity.domain.notice import Notice, NoticeStatus


def derived_columns(notice: Notice) -> dict[str, Any]:
    return {"case_id": notice.case_id, "committee": notice.committee, "status": notice.status.value,
            "opens_on": notice.opens_on, "closes_on": notice.closes_on}


# Version 1: the shape migration 0008 built from the columns a notice was kept in before.
NOTICES = CaseKind(notices, Notice, columns=derived_columns, key="notice_no", noun="notice", noun_zh="公示",
                   held="on this jurisdiction's boards")


async def rounds(session: AsyncSession, case_id: str) -> int:
    """How many notices the case has had (its next one is round ``rounds + 1``). Through the store:
    inside a consumer's batch it sees the notices as this batch changed them."""
    return len(await CaseStore(NOTICES, session).where(notices.c.case_id == case_id))


async def open_notice_no(session: AsyncSession, case_id: str) -> str | None:
    """The number of the case's notice on the board now, if it has one (through the store, as above)."""
    found = await CaseStore(NOTICES, session).where(notices.c.case_id == case_id,
                                                    notices.c.status == NoticeStatus.OPEN.value)
    return found[0].notice_no if found else None


async def ended(session: AsyncSession, today: dt.date, limit: int = 200) -> list[Notice]:
    """Open notices whose window has passed, locked (skipping those another ticker holds) so that
    two tickers never close one twice."""
    return await CaseStore(NOTICES, session).where(
        notices.c.status == NoticeStatus.OPEN.value, notices.c.closes_on < today,
        order_by=(notices.c.closes_on,), limit=limit, lock=True)


async def board(session: AsyncSession, committee: str, today: dt.date) -> list[Notice]:
    """A committee's board: its open notices posted by ``today``."""
    return await CaseStore(NOTICES, session).where(
        notices.c.committee == committee, notices.c.status == NoticeStatus.OPEN.value, notices.c.opens_on <= today,
        order_by=(notices.c.opens_on, notices.c.notice_no))


async def open_notices(session: AsyncSession) -> list[Notice]:
    return await CaseStore(NOTICES, session).where(notices.c.status == NoticeStatus.OPEN.value,
                                                   order_by=(notices.c.closes_on,))
