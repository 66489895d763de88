"""The re-reviews' proposals awaiting the authority (定期核查, D21 art. 31–32): one row per household
and round, from re_review_completed until the authority continues support, changes or ends it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Date, Integer, String, Table, Text, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_decision.adapters.tables import metadata

re_review_outcomes = Table(
    "re_review_outcomes", metadata,
    Column("case_id", String(40), primary_key=True),
    Column("round", Integer, primary_key=True),
    Column("status", Text, nullable=False, index=True),  # pending | continued | acted
    Column("outcome", Text, nullable=False),  # continue | change | stop (the proposal)
    Column("completed_on", Date, nullable=False),
    Column("proposal", JSONB, nullable=False),  # the re_review_completed payload
    Column("resolved_on", Date),
    Column("resolved_by", JSONB),  # {id, name, role} or the event that acted on it
    Column("resolution", JSONB),  # reasons, or the event type and its notice
)

t = re_review_outcomes.c


async def record(session: AsyncSession, case_id: str, round_: int, outcome: str, completed_on: dt.date,
                 proposal: dict) -> None:
    """Once per round (a redelivered completion records nothing twice)."""
    await session.execute(pg_insert(re_review_outcomes).values(
        case_id=case_id, round=round_, status="pending", outcome=outcome, completed_on=completed_on,
        proposal=proposal).on_conflict_do_nothing())


async def pending_of(session: AsyncSession, case_id: str, *, lock: bool = False):
    query = select(re_review_outcomes).where(t.case_id == case_id, t.status == "pending").order_by(t.round.desc())
    return (await session.execute(query.with_for_update() if lock else query)).first()


async def resolve(session: AsyncSession, case_id: str, round_: int, status: str, on: dt.date, by: dict,
                  resolution: dict) -> None:
    await session.execute(update(re_review_outcomes).where(t.case_id == case_id, t.round == round_)
                          .values(status=status, resolved_on=on, resolved_by=by, resolution=resolution))


async def listing(session: AsyncSession, *, case_id: str | None = None, status: str | None = None,
                  limit: int = 1000) -> list[dict]:
    query = select(re_review_outcomes).order_by(t.completed_on, t.case_id, t.round).limit(limit)
    if case_id:
        query = query.where(t.case_id == case_id)
    if status:
        query = query.where(t.status == status)
    return [dict(r._mapping) for r in (await session.execute(query)).all()]
