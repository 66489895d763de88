"""What district staff read: the register, a case's timeline, the deadlines per jurisdiction, the
spot checks, the orders, the alerts and the dead letters. Each a unit of work that changes nothing."""

from __future__ import annotations

from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_oversight.adapters import (
    audit_log,
    beneficiary_index,
    case_register,
    clock_register,
    dead_letter_register,
    rectification_register,
    spot_check_register,
)
from jiuzhu_oversight.service_layer.context import Oversight


async def cases(ctx: Oversight, *, jurisdiction: str | None, stage: str | None, limit: int) -> list[dict]:
    async with ctx.unit_of_work() as uow:
        return await case_register.listing(uow.session, jurisdiction=jurisdiction, stage=stage, limit=limit)


async def case(ctx: Oversight, case_id: str) -> dict:
    """The case's register row with its timeline and clocks."""
    async with ctx.unit_of_work() as uow:
        row = await case_register.one(uow.session, case_id)
        if row is None:
            raise DomainRefusal(f"no case {case_id} in the district register", rule="exists", status=404)
        timeline = await audit_log.case_timeline(uow.session, case_id)
        clocks = await clock_register.of_case(uow.session, case_id)
    return {**row, "timeline": timeline, "clocks": clocks}


async def deadlines(ctx: Oversight, within_working_days: int) -> dict[str, dict[str, list]]:
    """Per jurisdiction, the open clocks already overdue and those due within the working days."""
    today = ctx.clock.today()
    horizon = ctx.calendar.add(today, within_working_days).due_on
    async with ctx.unit_of_work() as uow:
        found = await clock_register.open_due_by(uow.session, horizon)
    out: dict[str, dict[str, list]] = {j.code: {"overdue": [], "due_soon": []} for j in ctx.config.jurisdictions}
    for case, r in found:
        # provisional: counted on a year the calendar does not know; no breach is raised against it.
        item = {"case_id": case.case_id, "clock": r.clock, "due_on": r.due_on, "provisional": r.provisional,
                "responsible": list(r.responsible), "breach_raised_on": r.breached_on}
        out.setdefault(case.jurisdiction, {"overdue": [], "due_soon": []})[
            "overdue" if r.due_on < today else "due_soon"].append(item)
    return out


async def spot_checks(ctx: Oversight, month: str) -> list[dict]:
    async with ctx.unit_of_work() as uow:
        return await spot_check_register.of_month(uow.session, month)


async def completed_spot_check(ctx: Oversight, case_id: str):
    async with ctx.unit_of_work() as uow:
        row = await spot_check_register.check(uow.session, case_id)
    if row is None or row.completed_on is None:
        raise DomainRefusal(f"no completed spot check of {case_id}", rule="exists", status=404)
    return row


async def rectifications(ctx: Oversight, jurisdiction: str | None) -> list[dict]:
    async with ctx.unit_of_work() as uow:
        return await rectification_register.listing(uow.session, jurisdiction)


async def rectification(ctx: Oversight, order_no: str):
    async with ctx.unit_of_work() as uow:
        row = await rectification_register.order(uow.session, order_no)
    if row is None:
        raise DomainRefusal(f"没有编号为 {order_no} 的整改通知书", rule="exists", status=404)
    return row


async def alerts(ctx: Oversight) -> list[dict]:
    async with ctx.unit_of_work() as uow:
        return await beneficiary_index.all_alerts(uow.session)


async def trail(ctx: Oversight, case_id: str) -> list[dict]:
    async with ctx.unit_of_work() as uow:
        return await audit_log.case_trail(uow.session, case_id)


async def dead_letters(ctx: Oversight, limit: int) -> list[dict]:
    async with ctx.unit_of_work() as uow:
        return await dead_letter_register.latest(uow.session, limit)


async def security_alerts(ctx: Oversight, limit: int) -> list[dict]:
    async with ctx.unit_of_work() as uow:
        return await dead_letter_register.security_alerts(uow.session, limit)


async def stranded_cases(ctx: Oversight, limit: int) -> list[dict]:
    async with ctx.unit_of_work() as uow:
        return await dead_letter_register.stranded_cases(uow.session, limit)
