"""What the monthly statistics (domain/statistics.py) read: the month's events from the audit chain,
the cases decided in it, and the households active in it."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_contracts.base import Category

from jiuzhu_oversight.adapters.tables import register
from jiuzhu_oversight.domain.register import Stage
from jiuzhu_oversight.domain.statistics import Active, DecidedCase, EventCount


async def event_counts(session: AsyncSession, month: str, tz: str) -> list[EventCount]:
    """Events of the month (by their business time in the district's time zone) per jurisdiction,
    category and type, and per clock for breaches: how many, and of how many cases."""
    rows = await session.execute(text(
        "SELECT jurisdiction, category, event_type, count(*) AS n, count(DISTINCT case_id) AS d, "
        "CASE WHEN event_type = 'deadline_breached' THEN body->'payload'->>'clock' END AS clock FROM audit_log "
        "WHERE to_char(occurred_at AT TIME ZONE :tz, 'YYYY-MM') = :month AND category IS NOT NULL "
        "GROUP BY jurisdiction, category, event_type, clock"), {"tz": tz, "month": month})
    return [EventCount(r.jurisdiction, r.category, r.event_type, r.n, r.d, r.clock) for r in rows]


async def decided_in(session: AsyncSession, month: str) -> list[DecidedCase]:
    rows = (await session.execute(
        select(register.c.jurisdiction, register.c.category, register.c.accepted_on, register.c.visited_on,
               register.c.reviewed_on, register.c.decided_on)
        .where(func.to_char(register.c.decided_on, "YYYY-MM") == month))).all()
    return [DecidedCase(*r) for r in rows]


async def active_in(session: AsyncSession, month: str) -> list[Active]:
    """Households approved, not ended, paid from this month or before (temporary assistance is paid
    once: it has no active households)."""
    rows = (await session.execute(
        select(register.c.jurisdiction, register.c.category, func.count(), func.sum(register.c.amount_fen))
        .where(register.c.stage == Stage.APPROVED.value, register.c.ended.is_(False),
               register.c.category != Category.TEMPORARY.value, register.c.first_month_paid <= month)
        .group_by(register.c.jurisdiction, register.c.category))).all()
    return [Active(j, c, n, int(amount or 0)) for j, c, n, amount in rows]
