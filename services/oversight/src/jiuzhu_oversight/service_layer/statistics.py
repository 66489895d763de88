"""Monthly statistics for the city bureau (plan 四(一)6; the columns: domain/statistics.py)."""

from __future__ import annotations

from jiuzhu_contracts.base import Category

from jiuzhu_oversight.adapters import caseload_register, statistics_queries
from jiuzhu_oversight.domain.caseload import add_caseload
from jiuzhu_oversight.domain.statistics import add_active, add_counts, add_working_days, empty_rows
from jiuzhu_oversight.service_layer.context import Oversight


async def monthly(ctx: Oversight, month: str) -> list[dict]:
    rows = empty_rows(month, [(j.code, j.name) for j in ctx.config.jurisdictions], [c.value for c in Category])
    async with ctx.unit_of_work() as uow:
        counts = await statistics_queries.event_counts(uow.session, month, ctx.config.district.timezone)
        decided = await statistics_queries.decided_in(uow.session, month)
        active = await statistics_queries.active_in(uow.session, month)
        caseload = await caseload_register.counts(uow.session, month, ctx.config.district.timezone)
    add_counts(rows, counts)
    add_working_days(rows, decided, ctx.calendar.between)
    add_active(rows, active)
    add_caseload(rows, caseload)
    return list(rows.values())
