"""The petition register (信访件登记): each petition's state as JSON, with the columns the
worklists and the supervision tick look by."""

from __future__ import annotations

import datetime as dt

from pydantic import TypeAdapter
from sqlalchemy import Column, Date, DateTime, String, Table, Text, func, insert, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_oversight.adapters.tables import metadata
from jiuzhu_oversight.domain.petitions import Petition, Status

petitions = Table(
    "petitions", metadata,
    Column("petition_no", String(40), primary_key=True),
    Column("state", JSONB, nullable=False),
    Column("status", Text, nullable=False, index=True),
    Column("jurisdiction", Text, index=True),
    Column("due_on", Date),
    Column("escalated_on", Date),
    Column("received_on", Date, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

STATE = TypeAdapter(Petition)


def _row(p: Petition) -> dict:
    return {"state": STATE.dump_python(p, mode="json"), "status": p.status.value, "jurisdiction": p.jurisdiction,
            "due_on": p.due_on, "escalated_on": p.escalated_on, "received_on": p.received_on}


async def add(session: AsyncSession, p: Petition) -> None:
    await session.execute(insert(petitions).values(petition_no=p.petition_no, **_row(p)))


async def get(session: AsyncSession, number: str, *, for_update: bool = False) -> Petition | None:
    query = select(petitions.c.state).where(petitions.c.petition_no == number)
    state = (await session.execute(query.with_for_update() if for_update else query)).scalar()
    return STATE.validate_python(state) if state is not None else None


async def save(session: AsyncSession, p: Petition) -> None:
    await session.execute(update(petitions).where(petitions.c.petition_no == p.petition_no)
                          .values(**_row(p), updated_at=func.now()))


async def overdue(session: AsyncSession, today: dt.date) -> list[Petition]:
    """Transferred, unanswered, past due and not escalated yet — locked (a second tick skips them)."""
    rows = await session.execute(
        select(petitions.c.state).where(petitions.c.status == Status.TRANSFERRED.value,
                                        petitions.c.escalated_on.is_(None), petitions.c.due_on < today)
        .order_by(petitions.c.due_on).with_for_update(skip_locked=True))
    return [STATE.validate_python(s) for s in rows.scalars()]


async def listing(session: AsyncSession, *, jurisdiction: str | None, status: Status | None,
                  limit: int) -> list[Petition]:
    query = select(petitions.c.state).order_by(petitions.c.received_on.desc(), petitions.c.petition_no.desc())
    if jurisdiction is not None:
        query = query.where(petitions.c.jurisdiction == jurisdiction)
    if status is not None:
        query = query.where(petitions.c.status == status.value)
    return [STATE.validate_python(s) for s in (await session.execute(query.limit(limit))).scalars()]
