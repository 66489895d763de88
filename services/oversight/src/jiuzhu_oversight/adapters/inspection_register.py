"""The inspection register (督查): each inspection a record of the case store (its findings inside
its state, as JSON, versioned), with the columns the listings look by."""

from __future__ import annotations

from sqlalchemy import Column, Date, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.case_store import CaseKind, CaseStore, case_table

from jiuzhu_oversight.adapters.tables import metadata
from jiuzhu_oversight.domain.inspections import Inspection

inspections = case_table(
    "inspections", metadata,
    Column("jurisdictions", ARRAY(Text), nullable=False),
    Column("started_on", Date, nullable=False),
    key="inspection_no",
)

INSPECTIONS = CaseKind(inspections, Inspection, key="inspection_no", noun="inspection", held="here", noun_zh="督查记录",
                       columns=lambda i: {"jurisdictions": list(i.jurisdictions), "started_on": i.started_on})


def store(session: AsyncSession) -> CaseStore[Inspection]:
    return CaseStore(INSPECTIONS, session)


async def get(session: AsyncSession, number: str) -> Inspection | None:
    """Read only (a view, an accountability record's basis)."""
    return await store(session).get(number, lock=False)


async def one(session: AsyncSession, number: str) -> Inspection:
    """Read only, unlocked; the kind's 404 when there is none."""
    return await store(session).get_or_refuse(number, lock=False)


async def listing(session: AsyncSession, *, jurisdiction: str | None, limit: int) -> list[Inspection]:
    t = inspections.c
    criteria = [t.jurisdictions.any(jurisdiction)] if jurisdiction is not None else []
    return await store(session).where(*criteria, order_by=(t.started_on.desc(), t.inspection_no.desc()),
                                      limit=limit)
