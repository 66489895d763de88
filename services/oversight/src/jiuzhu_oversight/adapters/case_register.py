"""The district's case register (one row per case of every jurisdiction): its SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import case, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_oversight.adapters.tables import register
from jiuzhu_oversight.domain.register import BEFORE_DECISION, CLOSED_STAGES, FOLLOWS_A_CLOSED_CASE, STAGE, Stage


async def accept(session: AsyncSession, *, case_id: str, jurisdiction: str, category: str, applicant_name: str,
                 committee: str, accepted_on: dt.date, close_relative: bool) -> None:
    await session.execute(pg_insert(register).values(
        case_id=case_id, jurisdiction=jurisdiction, category=category, stage=Stage.INVESTIGATING.value,
        applicant_name=applicant_name, committee=committee, accepted_on=accepted_on, close_relative=close_relative)
        .on_conflict_do_nothing())


def _stage_after(event_type: str):
    """``domain.register.stage_after`` as an SQL expression over the row's stage (no read first)."""
    new = STAGE[event_type].value
    if event_type in FOLLOWS_A_CLOSED_CASE:
        return new
    if STAGE[event_type] in BEFORE_DECISION:
        return case((register.c.stage.in_(sorted(s.value for s in CLOSED_STAGES | {Stage.APPROVED})),
                     register.c.stage), else_=new)
    return case((register.c.stage.in_(sorted(s.value for s in CLOSED_STAGES)), register.c.stage), else_=new)


async def _change(session: AsyncSession, case_id: str, values: dict[str, Any]) -> str | None:
    row = (await session.execute(update(register).where(register.c.case_id == case_id).values(**values)
                                 .returning(register.c.category))).first()
    return None if row is None else row.category


async def move(session: AsyncSession, case_id: str, event_type: str, **values: Any) -> str | None:
    """The case's stage after ``event_type`` (if it moves one), with ``values`` (dates, amounts);
    the case's category, or None when the case is not in the register (not accepted yet)."""
    if event_type in STAGE:
        values["stage"] = _stage_after(event_type)
    return await _change(session, case_id, values)


async def count_objection(session: AsyncSession, case_id: str) -> str | None:
    return await _change(session, case_id, {"objections": register.c.objections + 1})


async def flag_close_relative(session: AsyncSession, case_id: str) -> str | None:
    return await _change(session, case_id, {"close_relative": True})


async def mark_reported(session: AsyncSession, case_id: str) -> None:
    await session.execute(update(register).where(register.c.case_id == case_id).values(reported=True))


async def category_of(session: AsyncSession, case_id: str) -> str | None:
    return (await session.execute(select(register.c.category).where(register.c.case_id == case_id))).scalar()


async def decided(session: AsyncSession, case_id: str) -> bool:
    """Whether the case was decided (an assist-first one before its means check and publicity)."""
    return (await session.execute(select(register.c.decided_on).where(register.c.case_id == case_id))).scalar() \
        is not None


async def listing(session: AsyncSession, *, jurisdiction: str | None, stage: str | None, limit: int) -> list[dict]:
    query = select(register).order_by(register.c.accepted_on.desc(), register.c.case_id).limit(limit)
    if jurisdiction:
        query = query.where(register.c.jurisdiction == jurisdiction)
    if stage:
        query = query.where(register.c.stage == stage)
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def one(session: AsyncSession, case_id: str) -> dict | None:
    row = (await session.execute(select(register).where(register.c.case_id == case_id))).first()
    return None if row is None else dict(row._mapping)
