"""Oversight's records of the standing caseload (issue 15): the register row of an imported
household, the filings of decisions on supported households, and the written notices' clocks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_contracts.base import Due

from jiuzhu_oversight.adapters import clock_register
from jiuzhu_oversight.adapters.tables import register, support_filings, support_notices
from jiuzhu_oversight.domain.caseload import COUNTED_EVENTS, CaseloadCount
from jiuzhu_oversight.domain.clocks import ClockSpec
from jiuzhu_oversight.domain.register import Stage


async def register_migrated(s: AsyncSession, **values) -> None:
    """Supported from the start: the register's "approved", with no procedure behind it here."""
    await s.execute(pg_insert(register).values(stage=Stage.APPROVED.value, **values).on_conflict_do_nothing())


async def link_moved(s: AsyncSession, from_case_id: str, to_case_id: str, **values) -> None:
    """A household moved to another jurisdiction (issue 15 item 6): its new case there enters the
    register as supported, from its first month paid there, and each case names the other."""
    to_link = {"jurisdiction": values["jurisdiction"], "case_id": to_case_id,
               "transfer_id": values["moved_from"]["transfer_id"]}
    await s.execute(pg_insert(register).values(stage=Stage.APPROVED.value, case_id=to_case_id, **values)
                    .on_conflict_do_nothing())
    await s.execute(update(register).where(register.c.case_id == from_case_id).values(moved_to=to_link))


async def set_committee(s: AsyncSession, case_id: str, committee: str) -> None:
    await s.execute(update(register).where(register.c.case_id == case_id).values(committee=committee))


async def registered(s: AsyncSession, case_id: str) -> bool:
    return (await s.execute(select(register.c.case_id).where(register.c.case_id == case_id))).first() is not None


async def set_amount(s: AsyncSession, case_id: str, amount_fen: int) -> None:
    await s.execute(update(register).where(register.c.case_id == case_id).values(amount_fen=amount_fen))


async def file(s: AsyncSession, **values) -> None:
    await s.execute(pg_insert(support_filings).values(**values).on_conflict_do_nothing())


async def filings(s: AsyncSession, month: str, jurisdiction: str | None, limit: int):
    query = (select(support_filings).where(support_filings.c.month == month)
             .order_by(support_filings.c.jurisdiction, support_filings.c.case_id, support_filings.c.event_id)
             .limit(limit))
    if jurisdiction:
        query = query.where(support_filings.c.jurisdiction == jurisdiction)
    return (await s.execute(query)).all()


async def open_notice_clock(s: AsyncSession, *, notice_no: str, case_id: str, jurisdiction: str, spec: ClockSpec,
                            due: Due, opened_by_event: str, responsible: tuple[str, ...]) -> None:
    """Opens the notice's clock — already met if its delivery was seen first — unless the notice
    has one: the end of a gradual exit comes by itself under the notice that announced it."""
    notice = (await s.execute(select(support_notices).where(support_notices.c.notice_no == notice_no)
                              .with_for_update())).first()
    if notice is not None and notice.clock_event is not None:
        return
    delivered_on = notice.delivered_on if notice else None
    await clock_register.change(s, case_id, jurisdiction, lambda clocks: clocks.opened(
        spec, due, opened_by_event, responsible, met_on=delivered_on), create=True)
    await s.execute(pg_insert(support_notices).values(notice_no=notice_no, case_id=case_id,
                                                      clock_event=opened_by_event)
                    .on_conflict_do_update(index_elements=["notice_no"],
                                           set_={"case_id": case_id, "clock_event": opened_by_event}))


async def deliver(s: AsyncSession, *, notice_no: str, case_id: str | None, delivered_on: dt.date,
                  received_by: str, seen: str) -> None:
    """Meets the notice's clock (late or not: a breach already raised stays raised)."""
    row = (await s.execute(pg_insert(support_notices).values(
        notice_no=notice_no, case_id=case_id, delivered_on=delivered_on, received_by=received_by)
        .on_conflict_do_update(index_elements=["notice_no"],
                               set_={"delivered_on": delivered_on, "received_by": received_by})
        .returning(support_notices.c.case_id, support_notices.c.clock_event))).first()
    if row and row.clock_event is not None:
        await clock_register.change(s, row.case_id, "", lambda clocks: clocks.met(row.clock_event, seen, delivered_on),
                                    create=False)


async def counts(s: AsyncSession, month: str, tz: str) -> list[CaseloadCount]:
    """The month's caseload events (by their business time in the district's time zone), per
    jurisdiction, category, type and cause — from the audit chain, as every other column."""
    rows = await s.execute(text(
        "SELECT jurisdiction, category, event_type, body->'payload'->>'cause' AS cause, count(*) AS n FROM audit_log "
        "WHERE to_char(occurred_at AT TIME ZONE :tz, :fmt) = :month AND category IS NOT NULL "
        "AND event_type = ANY(:types) GROUP BY jurisdiction, category, event_type, cause"),
        {"tz": tz, "month": month, "types": list(COUNTED_EVENTS), "fmt": "YYYY" if len(month) == 4 else "YYYY-MM"})
    return [CaseloadCount(r.jurisdiction, r.category, r.event_type, r.cause, r.n) for r in rows]
