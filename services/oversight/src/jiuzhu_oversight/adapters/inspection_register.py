"""The inspection register (督查): each inspection's state, its findings inside it, as JSON, with
the columns the listings look by."""

from __future__ import annotations

from pydantic import TypeAdapter
from sqlalchemy import Column, Date, DateTime, String, Table, Text, func, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_oversight.adapters.tables import metadata
from jiuzhu_oversight.domain.inspections import Inspection

inspections = Table(
    "inspections", metadata,
    Column("inspection_no", String(40), primary_key=True),
    Column("state", JSONB, nullable=False),
    Column("jurisdictions", ARRAY(Text), nullable=False),
    Column("started_on", Date, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

STATE = TypeAdapter(Inspection)


def _row(i: Inspection) -> dict:
    return {"state": STATE.dump_python(i, mode="json"), "jurisdictions": list(i.jurisdictions),
            "started_on": i.started_on}


async def add(session: AsyncSession, i: Inspection) -> None:
    await session.execute(insert(inspections).values(inspection_no=i.inspection_no, **_row(i)))


async def get(session: AsyncSession, number: str, *, for_update: bool = False) -> Inspection | None:
    query = select(inspections.c.state).where(inspections.c.inspection_no == number)
    state = (await session.execute(query.with_for_update() if for_update else query)).scalar()
    return STATE.validate_python(state) if state is not None else None


async def save(session: AsyncSession, i: Inspection) -> None:
    await session.execute(update(inspections).where(inspections.c.inspection_no == i.inspection_no)
                          .values(**_row(i), updated_at=func.now()))


async def listing(session: AsyncSession, *, jurisdiction: str | None, limit: int) -> list[Inspection]:
    query = select(inspections.c.state).order_by(inspections.c.started_on.desc(), inspections.c.inspection_no.desc())
    if jurisdiction is not None:
        query = query.where(inspections.c.jurisdictions.any(jurisdiction))
    return [STATE.validate_python(s) for s in (await session.execute(query.limit(limit))).scalars()]
