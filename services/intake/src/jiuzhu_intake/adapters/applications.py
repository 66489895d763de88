"""How intake stores an application (the runtime's case store, keyed by the application's number),
and the awaiting-correction list over the columns derived from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.case_store import CaseKind, CaseStore

from jiuzhu_intake.adapters.tables import applications
from jiuzhu_intake.domain.application_record import Application


def derived_columns(application: Application) -> dict[str, Any]:
    return {"status": application.status.value, "notice_issued_on": application.notice_issued_on}


# Version 1: the shape migration 0009 built from the columns an application was kept in before.
APPLICATIONS = CaseKind(applications, Application, columns=derived_columns, key="application_id",
                        noun="application", noun_zh="申请", held="at this window")


async def get(session: AsyncSession, application_id: str) -> Application | None:
    """An application read, not locked (to show it, or the household a case was accepted with)."""
    return await CaseStore(APPLICATIONS, session).get(application_id, lock=False)


async def in_status(session: AsyncSession, status: str, limit: int,
                    offset: int) -> list[tuple[Application, dt.datetime]]:
    """Applications in ``status``, oldest notice first (then oldest application), each with when it
    last changed (its last submission or notice)."""
    t = applications.c
    rows = (await session.execute(
        select(t.state, t.state_version, t.updated_at).where(t.status == status)
        .order_by(t.notice_issued_on.asc().nulls_last(), t.created_at, t.application_id)
        .limit(limit).offset(offset))).all()
    return [(APPLICATIONS.load(r.state, r.state_version), r.updated_at) for r in rows]
