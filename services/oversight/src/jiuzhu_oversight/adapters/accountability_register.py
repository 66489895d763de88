"""The accountability register (追责): each record as JSON, with the columns it is looked up by."""

from __future__ import annotations

from pydantic import TypeAdapter
from sqlalchemy import Column, Date, DateTime, String, Table, Text, func, insert, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_oversight.adapters.tables import metadata
from jiuzhu_oversight.domain.accountability import Accountability

accountability = Table(
    "accountability", metadata,
    Column("record_no", String(40), primary_key=True),
    Column("state", JSONB, nullable=False),
    Column("jurisdiction", Text, nullable=False, index=True),
    Column("person_id", Text, nullable=False, index=True),
    Column("basis", Text, nullable=False),
    Column("basis_ref", Text, nullable=False, index=True),
    Column("recorded_on", Date, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

STATE = TypeAdapter(Accountability)


def _row(a: Accountability) -> dict:
    return {"state": STATE.dump_python(a, mode="json"), "jurisdiction": a.jurisdiction, "person_id": a.person.id,
            "basis": a.basis.value, "basis_ref": a.basis_ref, "recorded_on": a.recorded_on}


async def add(session: AsyncSession, a: Accountability) -> None:
    await session.execute(insert(accountability).values(record_no=a.record_no, **_row(a)))


async def get(session: AsyncSession, number: str, *, for_update: bool = False) -> Accountability | None:
    query = select(accountability.c.state).where(accountability.c.record_no == number)
    state = (await session.execute(query.with_for_update() if for_update else query)).scalar()
    return STATE.validate_python(state) if state is not None else None


async def save(session: AsyncSession, a: Accountability) -> None:
    await session.execute(update(accountability).where(accountability.c.record_no == a.record_no)
                          .values(**_row(a), updated_at=func.now()))


async def listing(session: AsyncSession, *, jurisdiction: str | None, person: str | None,
                  basis_refs: list[str] | None = None, limit: int = 500) -> list[Accountability]:
    query = select(accountability.c.state).order_by(accountability.c.recorded_on.desc(),
                                                    accountability.c.record_no.desc())
    if jurisdiction is not None:
        query = query.where(accountability.c.jurisdiction == jurisdiction)
    if person is not None:
        query = query.where(accountability.c.person_id == person)
    if basis_refs is not None:
        query = query.where(accountability.c.basis_ref.in_(basis_refs))
    return [STATE.validate_python(s) for s in (await session.execute(query.limit(limit))).scalars()]
