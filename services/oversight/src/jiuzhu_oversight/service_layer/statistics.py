"""Monthly and yearly statistics for the city bureau (plan 四(一)6) and for each jurisdiction, its
own figures only (四(二)3–4: 数据统计报送). The columns: domain/statistics.py."""

from __future__ import annotations

from jiuzhu_contracts.base import Category

from jiuzhu_oversight.adapters import caseload_register, statistics_queries
from jiuzhu_oversight.domain.caseload import add_caseload
from jiuzhu_oversight.domain.statistics import (
    add_active,
    add_counts,
    add_period_counts,
    add_working_days,
    empty_rows,
)
from jiuzhu_oversight.service_layer.context import Oversight


async def for_period(ctx: Oversight, period: str, jurisdiction: str | None = None) -> list[dict]:
    """A month (YYYY-MM) or a year (YYYY), for the district or one of its jurisdictions."""
    rows = empty_rows(period, [(j.code, j.name) for j in ctx.config.jurisdictions
                               if jurisdiction is None or j.code == jurisdiction], [c.value for c in Category])
    tz = ctx.config.district.timezone
    async with ctx.unit_of_work() as uow:
        counts = await statistics_queries.event_counts(uow.session, period, tz)
        decided = await statistics_queries.decided_in(uow.session, period)
        active = await statistics_queries.active_in(uow.session, period)
        caseload = await caseload_register.counts(uow.session, period, tz)
        more = await statistics_queries.period_counts(uow.session, period, tz)
    add_counts(rows, counts)
    add_working_days(rows, decided, ctx.calendar.between)
    add_active(rows, active)
    add_caseload(rows, caseload)
    add_period_counts(rows, more)
    return list(rows.values())


async def monthly(ctx: Oversight, month: str, jurisdiction: str | None = None) -> list[dict]:
    return await for_period(ctx, month, jurisdiction)
