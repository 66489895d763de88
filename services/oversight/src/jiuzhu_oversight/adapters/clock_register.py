"""The clocks of every case (domain/clocks.py ``CaseClocks``): one case's clocks a record of the
case store, keyed by the case, its state as JSON (versioned). The ticks and listings that look
across cases go by columns derived from the state — the earliest due date a breach may be raised
against, the earliest open due date, whether a new calendar may move one — so an event writes one
row; the statistics and accountability read the per-clock facts from the state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Boolean, Column, Date, Index, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.case_store import CaseKind, CaseStore, case_table
from jiuzhu_runtime.unit_of_work import UOW

from jiuzhu_oversight.adapters.tables import metadata
from jiuzhu_oversight.domain.clocks import CaseClocks, Clock

case_clocks = case_table(
    "case_clocks", metadata,
    Column("jurisdiction", Text, nullable=False),
    Column("breach_due", Date, index=True),  # CaseClocks.breach_due: the breach tick
    Column("open_due", Date, index=True),  # CaseClocks.open_due: the deadlines listing
    Column("provisional", Boolean, nullable=False, server_default="false"),  # the tick's calendar sweep
    Column("recomputable", Boolean, nullable=False, server_default="false"),  # a published calendar
    Column("opened_by", ARRAY(Text), nullable=False, server_default="{}"),  # each clock's opening event
)
Index("case_clocks_opened_by", case_clocks.c.opened_by, postgresql_using="gin")
Index("case_clocks_provisional", case_clocks.c.case_id, postgresql_where=case_clocks.c.provisional)


def _columns(c: CaseClocks) -> dict:
    return {"jurisdiction": c.jurisdiction, "breach_due": c.breach_due, "open_due": c.open_due,
            "provisional": c.provisional_open, "recomputable": c.recomputable,
            "opened_by": [k.opened_by_event for k in c.clocks]}


CLOCKS = CaseKind(case_clocks, CaseClocks, columns=_columns, noun="clocks of case", noun_zh="办理时限")


def store(session: AsyncSession) -> CaseStore[CaseClocks]:
    return CaseStore(CLOCKS, session)


async def change(session: AsyncSession, case_id: str, jurisdiction: str,
                 change: Callable[[CaseClocks], CaseClocks], *, create: bool) -> None:
    """The case's clocks loaded with a row lock, changed (a domain method), saved if they changed —
    or, when the case has none yet and ``create``, the change made to no clocks added as its record.
    For a case of a consumer's batch, the batch's clocks are locked and loaded together (in case
    order) the first time, and a change is written at the flush with the batch's others: one read
    and one write per batch; otherwise one row read and at most one written."""
    s = store(session)
    uow = session.info.get(UOW)
    in_batch = uow is not None and case_id in uow.batch_keys
    if in_batch:
        await s.lock_batch(uow.batch_keys)
    # a case of the batch with no clocks when the batch's were locked: only a new record can be made
    absent = in_batch and create and case_id not in uow.loaded.get(case_clocks, {})
    loaded = None if absent else await s.get(case_id)
    if loaded is None:
        if not create or await s.add(change(CaseClocks(case_id=case_id, jurisdiction=jurisdiction))):
            return
        loaded = await s.get(case_id)  # added meanwhile by another transaction (now committed): change it
    changed = change(loaded)
    if changed != loaded:
        if in_batch:
            s.save_later(changed)
        else:
            await s.save(changed)


async def overdue_unraised(session: AsyncSession, today: dt.date, limit: int = 500) -> list[CaseClocks]:
    """The cases with an open clock past its due date and no breach raised yet, locked (others skip
    them). A provisional due date is never breached (domain/clocks.py ``breached``)."""
    t = case_clocks.c
    return await store(session).where(t.breach_due < today, order_by=(t.breach_due, t.case_id), limit=limit,
                                      lock=True)


async def open_due_by(session: AsyncSession, horizon: dt.date) -> list[tuple[CaseClocks, Clock]]:
    """Every open clock due by ``horizon``, earliest first, with its case."""
    cases = await store(session).where(case_clocks.c.open_due <= horizon)
    found = [(case, c) for case in cases for c in case.clocks if c.open and c.due_on <= horizon]
    return sorted(found, key=lambda pair: pair[1].due_on)


async def of_case(session: AsyncSession, case_id: str) -> list[dict]:
    """The case's clocks in the order they opened, as the API has always listed them."""
    case = await store(session).get(case_id, lock=False)
    if case is None:
        return []
    return [{"case_id": case.case_id, "jurisdiction": case.jurisdiction, **c} for c in CLOCKS.dump(case)["clocks"]]


async def recomputable(session: AsyncSession, *, provisional_only: bool, limit: int,
                       skip_locked: bool) -> list[CaseClocks]:
    """The cases with an open, unbreached clock whose period is known, locked: those a new calendar
    may move (``provisional_only``: whose date is provisional, at most ``limit`` of them)."""
    t = case_clocks.c
    if provisional_only:
        return await store(session).where(t.provisional, order_by=(t.case_id,), limit=limit, lock=True,
                                          skip_locked=skip_locked)
    return await store(session).where(t.recomputable, order_by=(t.case_id,), lock=True, skip_locked=skip_locked)


async def opened_by(session: AsyncSession, opened_by_event: str) -> tuple[CaseClocks, Clock] | None:
    """The clock the event opened, with its case (``deadline_breached`` names it so)."""
    found = await store(session).where(case_clocks.c.opened_by.contains([opened_by_event]))
    for case in found:
        if (clock := case.clock(opened_by_event)) is not None:
            return case, clock
    return None

