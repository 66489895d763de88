"""The accountability register (追责): each record a record of the case store (its state as JSON,
versioned), with the columns it is looked up by."""

from __future__ import annotations

from sqlalchemy import Column, Date, Text
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.case_store import CaseKind, CaseStore, case_table

from jiuzhu_oversight.adapters.tables import metadata
from jiuzhu_oversight.domain.accountability import Accountability

accountability = case_table(
    "accountability", metadata,
    Column("jurisdiction", Text, nullable=False, index=True),
    Column("person_id", Text, nullable=False, index=True),
    Column("basis", Text, nullable=False),
    Column("basis_ref", Text, nullable=False, index=True),
    Column("recorded_on", Date, nullable=False),
    key="record_no",
)


def _columns(a: Accountability) -> dict:
    return {"jurisdiction": a.jurisdiction, "person_id": a.person.id, "basis": a.basis.value,
            "basis_ref": a.basis_ref, "recorded_on": a.recorded_on}


ACCOUNTABILITY = CaseKind(accountability, Accountability, key="record_no", noun="accountability record",
                          held="here", noun_zh="追责记录", columns=_columns)


def store(session: AsyncSession) -> CaseStore[Accountability]:
    return CaseStore(ACCOUNTABILITY, session)


async def one(session: AsyncSession, number: str) -> Accountability:
    """Read only, unlocked; the kind's 404 when there is none."""
    return await store(session).get_or_refuse(number, lock=False)


async def listing(session: AsyncSession, *, jurisdiction: str | None, person: str | None,
                  basis_refs: list[str] | None = None, limit: int = 500) -> list[Accountability]:
    t = accountability.c
    criteria = []
    if jurisdiction is not None:
        criteria.append(t.jurisdiction == jurisdiction)
    if person is not None:
        criteria.append(t.person_id == person)
    if basis_refs is not None:
        criteria.append(t.basis_ref.in_(basis_refs))
    return await store(session).where(*criteria, order_by=(t.recorded_on.desc(), t.record_no.desc()), limit=limit)
