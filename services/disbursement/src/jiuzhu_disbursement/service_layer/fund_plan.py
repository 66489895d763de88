"""资金需求计划 that projects (plan 四(一)3; issue 16 item 4): per jurisdiction, category and month,
what is in force, the expected new approvals and exits, temporary assistance and the next standard
raise. The method: domain/fund_plan.py."""

from __future__ import annotations

from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_disbursement.adapters import fund_plan_queries as queries
from jiuzhu_disbursement.domain.fund_plan import (
    METHOD,
    MONTHLY,
    STANDARD_OF,
    TEMPORARY,
    InForce,
    Trend,
    add_months,
    area_of,
    months_between,
    project,
    standard_in_force,
    trend_window,
)
from jiuzhu_disbursement.domain.roster import months
from jiuzhu_disbursement.service_layer.handlers import Disbursement

FROM_NOW_RULE = "资金需求计划自本月起预测 / a fund plan projects from the current month on"


async def projection(ctx: Disbursement, start: str | None, count: int | None, jurisdiction: str | None) -> dict:
    plan = ctx.config.fund_plan
    today = ctx.clock.today()
    current = today.strftime("%Y-%m")
    start = start or add_months(current, 1)
    count = count or plan.months
    if start < current:
        raise DomainRefusal(f"start {start} is before the current month {current}", rule=FROM_NOW_RULE,
                            status=422, field="start")
    first, last = trend_window(current, plan.trend_months)
    kinds = {j.code: j.kind for j in ctx.config.jurisdictions}
    codes = [jurisdiction] if jurisdiction else list(kinds)
    rows, totals = [], []
    async with ctx.unit_of_work() as uow:
        trends = await queries.trend(uow.session, first, last, plan.trend_months, jurisdiction)
        for month in months(start, count):
            forces = await queries.in_force(uow.session, month, current, today.replace(day=1), jurisdiction)
            total = {"month": month, "projected_amount_fen": 0, "in_force_amount_fen": 0,
                     "expected_new_amount_fen": 0, "expected_exit_amount_fen": 0, "temporary_amount_fen": 0,
                     "standard_raise_fen": 0}
            for code in codes:
                area = area_of(kinds[code])
                for category in (*MONTHLY, TEMPORARY):
                    standard = STANDARD_OF[category]
                    now = standard_in_force(ctx.config.standards, standard, area, code, current)
                    then = standard_in_force(ctx.config.standards, standard, area, code, month)
                    row = project(category, months_between(current, month), forces.get((code, category), InForce()),
                                  trends.get((code, category), Trend(plan.trend_months)), now, then)
                    rows.append({"month": month, "jurisdiction": code, "category": category, "standard_fen": then}
                                | row)
                    for key in total:
                        if key != "month":
                            total[key] += row[key]
            totals.append(total)
    return {"current_month": current, "trend_window": {"first": first, "last": last, "months": plan.trend_months},
            "jurisdiction": jurisdiction, "method": METHOD.format(k=plan.trend_months), "rows": rows,
            "totals": totals}
