"""How disbursement stores a one-off batch's header (the runtime's case store, keyed by the batch's
id), and the queries over the columns derived from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.case_store import CaseKind, CaseStore

from jiuzhu_disbursement.adapters.one_off_tables import one_off_batches
from jiuzhu_disbursement.domain.one_off_batch import OneOffBatch


def derived_columns(batch: OneOffBatch) -> dict[str, Any]:
    return {"scope": batch.scope, "issued_on": batch.issued_on, "status": batch.status.value}


# Version 1: the shape migration 0009 built from the columns a batch was kept in before.
ONE_OFF_BATCHES = CaseKind(one_off_batches, OneOffBatch, columns=derived_columns, key="batch_id",
                           noun="one-off batch", noun_zh="一次性发放批次", held="here")


async def issued_on(session: AsyncSession, scope: str, day: dt.date) -> int:
    """How many batches the scope issued on ``day`` (the next one's number follows)."""
    return (await session.execute(select(func.count()).select_from(one_off_batches).where(
        one_off_batches.c.scope == scope, one_off_batches.c.issued_on == day))).scalar_one()


async def newest_first(session: AsyncSession, status: str | None, limit: int) -> list[OneOffBatch]:
    criteria = (one_off_batches.c.status == status,) if status else ()
    return await CaseStore(ONE_OFF_BATCHES, session).where(
        *criteria, order_by=(one_off_batches.c.issued_on.desc(), one_off_batches.c.batch_id.desc()), limit=limit)
