"""What the monthly and yearly statistics (domain/statistics.py) read: the month's events from the audit chain,
the cases decided in it, and the households active in it."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_contracts.base import Category

from jiuzhu_oversight.adapters.tables import register
from jiuzhu_oversight.domain.register import Stage
from jiuzhu_oversight.domain.statistics import Active, DecidedCase, EventCount, PeriodCount, is_year, last_month


def period_format(period: str) -> str:
    """``to_char``'s format that writes a date as the period is written: a year or a month."""
    return "YYYY" if is_year(period) else "YYYY-MM"


async def event_counts(session: AsyncSession, month: str, tz: str) -> list[EventCount]:
    """Events of the month (by their business time in the district's time zone) per jurisdiction,
    category and type, and per clock for breaches: how many, and of how many cases."""
    rows = await session.execute(text(
        "SELECT jurisdiction, category, event_type, count(*) AS n, count(DISTINCT case_id) AS d, "
        "CASE WHEN event_type = 'deadline_breached' THEN body->'payload'->>'clock' END AS clock FROM audit_log "
        "WHERE to_char(occurred_at AT TIME ZONE :tz, :fmt) = :month AND category IS NOT NULL "
        "GROUP BY jurisdiction, category, event_type, clock"), {"tz": tz, "month": month, "fmt": period_format(month)})
    return [EventCount(r.jurisdiction, r.category, r.event_type, r.n, r.d, r.clock) for r in rows]


async def decided_in(session: AsyncSession, month: str) -> list[DecidedCase]:
    rows = (await session.execute(
        select(register.c.jurisdiction, register.c.category, register.c.accepted_on, register.c.visited_on,
               register.c.reviewed_on, register.c.decided_on)
        .where(func.to_char(register.c.decided_on, period_format(month)) == month))).all()
    return [DecidedCase(*r) for r in rows]


# A household's size as last reported on the bus: every event of a case that carries it (application,
# review, approval, import, change, re-review, household change) has it at ``payload.household_size``.
HOUSEHOLD_SIZE = ("(SELECT (a.body->'payload'->>'household_size')::int FROM audit_log a WHERE a.case_id = r.case_id "
                  "AND a.body->'payload' ? 'household_size' ORDER BY a.seq DESC LIMIT 1)")


async def active_in(session: AsyncSession, month: str) -> list[Active]:
    """Households approved, not ended, paid from this period's last month or before, with their
    persons (temporary assistance is paid once: it has no active households; a low-income household
    is counted though it is not paid, D21 art. 8)."""
    rows = await session.execute(text(
        f"SELECT r.jurisdiction, r.category, count(*) AS n, coalesce(sum(r.amount_fen), 0) AS amount, "
        f"coalesce(sum({HOUSEHOLD_SIZE}), 0) AS persons FROM register r "
        "WHERE r.stage = :approved AND NOT r.ended AND r.category <> :temporary AND r.first_month_paid <= :last "
        "GROUP BY r.jurisdiction, r.category"),
        {"approved": Stage.APPROVED.value, "temporary": Category.TEMPORARY.value, "last": last_month(month)})
    return [Active(r.jurisdiction, r.category, r.n, int(r.amount), int(r.persons)) for r in rows]


async def period_counts(session: AsyncSession, period: str, tz: str) -> list[PeriodCount]:
    """The persons of the households approved in the period, the spot checks of its filings and
    those that found a fault, and the clocks met in time in it (domain/statistics.PERIOD_COLUMNS)."""
    params = {"tz": tz, "p": period, "fmt": period_format(period), "n": len(period)}
    rows = await session.execute(text(
        "SELECT jurisdiction, category, 'approved_persons' AS col, "
        "sum((body->'payload'->>'household_size')::int) AS v FROM audit_log "
        "WHERE event_type = 'case_approved' AND to_char(occurred_at AT TIME ZONE :tz, :fmt) = :p "
        "GROUP BY jurisdiction, category "
        "UNION ALL SELECT s.jurisdiction, r.category, 'spot_checks', count(*) FROM spot_checks s "
        "JOIN register r ON r.case_id = s.case_id WHERE left(s.month, :n) = :p GROUP BY s.jurisdiction, r.category "
        "UNION ALL SELECT s.jurisdiction, r.category, 'spot_check_faults', count(*) FROM spot_checks s "
        "JOIN register r ON r.case_id = s.case_id WHERE left(s.month, :n) = :p AND EXISTS "
        "(SELECT 1 FROM jsonb_each(NULLIF(s.state->'findings', 'null'::jsonb)) f WHERE f.value = 'false'::jsonb) "
        "GROUP BY s.jurisdiction, r.category "
        "UNION ALL SELECT k.jurisdiction, r.category, 'clocks_met', count(*) FROM case_clocks k "
        "CROSS JOIN LATERAL jsonb_array_elements(k.state->'clocks') c JOIN register r ON r.case_id = k.case_id "
        "WHERE c->>'state' = 'met' AND c->>'breached_on' IS NULL "
        "AND to_char((c->>'met_on')::date, :fmt) = :p GROUP BY k.jurisdiction, r.category"), params)
    return [PeriodCount(r.jurisdiction, r.category, r.col, int(r.v or 0)) for r in rows]
