"""Rectification orders (plan 六(二)) and their answers: each order a record of the case store (its
state as JSON, versioned), with the columns the tick, the listing and accountability look by."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Date, String, Text
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.case_store import CaseKind, CaseStore, case_table

from jiuzhu_oversight.adapters.tables import metadata
from jiuzhu_oversight.domain.rectification import RectificationOrder

# The case store's table; its key has been 60 characters wide since 0002.
rectifications = case_table(
    "rectifications", metadata,
    Column("jurisdiction", Text, nullable=False),
    Column("concerning_case", String(40)),
    Column("due_on", Date, nullable=False),
    Column("ordered_on", Date, nullable=False),
    Column("answered_on", Date),
    Column("escalated_on", Date),
    key="order_no", key_length=60,
)


def _columns(o: RectificationOrder) -> dict:
    return {"jurisdiction": o.jurisdiction, "concerning_case": o.concerning_case, "due_on": o.due_on,
            "ordered_on": o.ordered_on, "answered_on": o.answered_on, "escalated_on": o.escalated_on}


RECTIFICATIONS = CaseKind(rectifications, RectificationOrder, key="order_no", noun="rectification order", noun_zh="整改通知",
                          columns=_columns)


def store(session: AsyncSession) -> CaseStore[RectificationOrder]:
    return CaseStore(RECTIFICATIONS, session)


async def order(session: AsyncSession, order_no: str) -> RectificationOrder | None:
    """Read only (the written order)."""
    return await store(session).get(order_no, lock=False)


async def overdue_unanswered(session: AsyncSession, today: dt.date) -> list[RectificationOrder]:
    """Orders past their due date, unanswered and not escalated yet, locked (others skip them)."""
    t = rectifications.c
    return await store(session).where(t.answered_on.is_(None), t.escalated_on.is_(None), t.due_on < today,
                                      lock=True)


async def listing(session: AsyncSession, jurisdiction: str | None) -> list[dict]:
    """Every order (newest first), or one jurisdiction's, as the API has always listed them."""
    t = rectifications.c
    criteria = [t.jurisdiction == jurisdiction] if jurisdiction is not None else []
    orders = await store(session).where(*criteria, order_by=(t.ordered_on.desc(), t.order_no))
    return [{**RECTIFICATIONS.dump(o), "due_on": o.due_on} for o in orders]
