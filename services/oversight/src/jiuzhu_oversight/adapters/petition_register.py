"""The petition register (信访件登记): each petition a record of the case store (its state as JSON,
versioned), with the columns the worklists and the supervision tick look by."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Date, Text
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.case_store import CaseKind, CaseStore, case_table

from jiuzhu_oversight.adapters.tables import metadata
from jiuzhu_oversight.domain.petitions import Petition, Status

petitions = case_table(
    "petitions", metadata,
    Column("status", Text, nullable=False, index=True),
    Column("jurisdiction", Text, index=True),
    Column("due_on", Date),
    Column("escalated_on", Date),
    Column("received_on", Date, nullable=False),
    key="petition_no",
)


def _columns(p: Petition) -> dict:
    return {"status": p.status.value, "jurisdiction": p.jurisdiction, "due_on": p.due_on,
            "escalated_on": p.escalated_on, "received_on": p.received_on}


# The 404 reads "no petition XF-… here（没有该信访件）": the store words it, the bureau reads Chinese.
PETITIONS = CaseKind(petitions, Petition, key="petition_no", noun="petition", held="here", noun_zh="信访件",
                     columns=_columns)


def store(session: AsyncSession) -> CaseStore[Petition]:
    return CaseStore(PETITIONS, session)


async def get(session: AsyncSession, number: str) -> Petition | None:
    """Read only (a view, an accountability record's basis)."""
    return await store(session).get(number, lock=False)


async def one(session: AsyncSession, number: str) -> Petition:
    """Read only, unlocked; the kind's 404 when there is none."""
    return await store(session).get_or_refuse(number, lock=False)


async def overdue(session: AsyncSession, today: dt.date) -> list[Petition]:
    """Transferred, unanswered, past due and not escalated yet — locked (a second tick skips them)."""
    t = petitions.c
    return await store(session).where(t.status == Status.TRANSFERRED.value, t.escalated_on.is_(None),
                                      t.due_on < today, order_by=(t.due_on,), lock=True)


async def listing(session: AsyncSession, *, jurisdiction: str | None, status: Status | None,
                  limit: int) -> list[Petition]:
    t = petitions.c
    criteria = [c for c in (t.jurisdiction == jurisdiction if jurisdiction is not None else None,
                            t.status == status.value if status is not None else None) if c is not None]
    return await store(session).where(*criteria, order_by=(t.received_on.desc(), t.petition_no.desc()),
                                      limit=limit)
