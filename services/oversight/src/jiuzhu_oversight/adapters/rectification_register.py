"""Rectification orders (plan 六(二)) and their answers: their SQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_contracts.base import Due

from jiuzhu_oversight.adapters.tables import rectifications


async def add(session: AsyncSession, *, order_no: str, jurisdiction: str, concerning_case: str | None, kind: str,
              findings: str, due: Due, ordered_on: dt.date) -> None:
    await session.execute(insert(rectifications).values(
        order_no=order_no, jurisdiction=jurisdiction, concerning_case=concerning_case, kind=kind, findings=findings,
        due=due.model_dump(mode="json"), due_on=due.due_on, ordered_on=ordered_on))


async def order(session: AsyncSession, order_no: str, *, for_update: bool = False):
    query = select(rectifications).where(rectifications.c.order_no == order_no)
    return (await session.execute(query.with_for_update() if for_update else query)).first()


async def answer(session: AsyncSession, order_no: str, answer: str, on: dt.date) -> None:
    await session.execute(update(rectifications).where(rectifications.c.order_no == order_no)
                          .values(answered_on=on, answer=answer))


async def overdue_unanswered(session: AsyncSession, today: dt.date) -> list:
    """Orders past their due date, unanswered and not escalated yet, locked (others skip them)."""
    return (await session.execute(
        select(rectifications).where(rectifications.c.answered_on.is_(None), rectifications.c.escalated_on.is_(None),
                                     rectifications.c.due_on < today)
        .with_for_update(skip_locked=True))).all()


async def mark_escalated(session: AsyncSession, order_no: str, on: dt.date) -> None:
    await session.execute(update(rectifications).where(rectifications.c.order_no == order_no)
                          .values(escalated_on=on))


async def listing(session: AsyncSession, jurisdiction: str | None) -> list[dict]:
    """Every order (newest first), or one jurisdiction's."""
    query = select(rectifications).order_by(rectifications.c.ordered_on.desc(), rectifications.c.order_no)
    if jurisdiction is not None:
        query = query.where(rectifications.c.jurisdiction == jurisdiction)
    return [dict(r._mapping) for r in (await session.execute(query)).all()]
