"""The clocks of every case (domain/clocks.py): their SQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_contracts.base import Due

from jiuzhu_oversight.adapters.tables import clocks
from jiuzhu_oversight.domain.clocks import ClockSpec, ClockState

OPEN = ClockState.OPEN.value


async def cancel_open(session: AsyncSession, case_id: str, on: dt.date) -> None:
    await session.execute(update(clocks).where(clocks.c.case_id == case_id, clocks.c.state == OPEN)
                          .values(state=ClockState.CANCELLED.value, met_on=on))


async def open_of_case(session: AsyncSession, case_id: str) -> list:
    """The case's open clocks, locked until the event's transaction ends."""
    return (await session.execute(select(clocks).where(clocks.c.case_id == case_id, clocks.c.state == OPEN)
                                  .with_for_update())).all()


async def record_seen(session: AsyncSession, clock_id: int, seen: list[str], state: ClockState,
                      on: dt.date) -> None:
    await session.execute(update(clocks).where(clocks.c.id == clock_id).values(
        seen=seen, state=state.value, met_on=on if state is ClockState.MET else None))


async def open_clock(session: AsyncSession, *, case_id: str, jurisdiction: str, spec: ClockSpec, due: Due,
                     opened_by_event: str, responsible: tuple[str, ...]) -> None:
    """Once per opening event (a redelivered event opens nothing twice)."""
    await session.execute(pg_insert(clocks).values(
        case_id=case_id, jurisdiction=jurisdiction, clock=spec.name, due_on=due.due_on,
        provisional=due.provisional, starts_after=due.starts_after, working_days=due.working_days, rule=due.rule,
        opened_by_event=opened_by_event, closed_by=sorted(spec.closed_by), closes_when=spec.closes_when.value,
        responsible=list(responsible)).on_conflict_do_nothing())


async def overdue_unraised(session: AsyncSession, today: dt.date, limit: int = 500) -> list:
    """Open clocks past their due date with no breach raised yet, locked (others skip them). A
    provisional due date is never breached (domain/clocks.py ``breached``)."""
    return (await session.execute(
        select(clocks).where(clocks.c.state == OPEN, clocks.c.breached_on.is_(None), clocks.c.due_on < today,
                             clocks.c.provisional.is_(False))
        .order_by(clocks.c.due_on).limit(limit).with_for_update(skip_locked=True))).all()


async def mark_breached(session: AsyncSession, clock_id: int, on: dt.date) -> None:
    await session.execute(update(clocks).where(clocks.c.id == clock_id).values(breached_on=on))


async def open_due_by(session: AsyncSession, horizon: dt.date) -> list:
    return (await session.execute(select(clocks).where(clocks.c.state == OPEN, clocks.c.due_on <= horizon)
                                  .order_by(clocks.c.due_on))).all()


async def of_case(session: AsyncSession, case_id: str) -> list[dict]:
    rows = (await session.execute(select(clocks).where(clocks.c.case_id == case_id).order_by(clocks.c.id))).all()
    return [dict(c._mapping) for c in rows]


async def recomputable(session: AsyncSession, *, provisional_only: bool, limit: int, skip_locked: bool) -> list:
    """Open, unbreached clocks whose period is known, locked: those a new calendar may move."""
    query = select(clocks).where(clocks.c.state == OPEN, clocks.c.breached_on.is_(None),
                                 clocks.c.starts_after.is_not(None), clocks.c.working_days.is_not(None))
    if provisional_only:
        query = query.where(clocks.c.provisional.is_(True)).limit(limit)
    return (await session.execute(query.order_by(clocks.c.id).with_for_update(skip_locked=skip_locked))).all()


async def move_due(session: AsyncSession, clock_id: int, due_on: dt.date, provisional: bool) -> None:
    await session.execute(update(clocks).where(clocks.c.id == clock_id).values(due_on=due_on, provisional=provisional))
