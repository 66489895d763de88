"""The working-day calendar at run time: the bureau publishes a holiday file; oversight, which holds
every open clock with its period, recomputes the deadlines it moves (each a ``deadline_recomputed``
on the case's timeline) and every service applies the file to its own calendar (calendar_sync)."""

from __future__ import annotations

import datetime as dt

from jiuzhu_contracts import Envelope
from jiuzhu_contracts.base import Due
from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events import DeadlineRecomputed, HolidayCalendarPublished
from jiuzhu_contracts.holiday_calendar import HolidayFile
from jiuzhu_kernel import holiday_files
from jiuzhu_runtime import calendar_sync
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.unit_of_work import UnitOfWork
from jiuzhu_kernel.working_days import WorkingDayCalendar

from jiuzhu_oversight.adapters import clock_register
from jiuzhu_oversight.domain.clocks import recomputed
from jiuzhu_oversight.service_layer.context import Oversight

SWEEP_BATCH = 500


async def publish(ctx: Oversight, file: HolidayFile, actor: Actor) -> dict:
    """Check the file, publish it, and move every open deadline it changes — one transaction."""
    found = holiday_files.problems(file, district=ctx.district)
    if found:
        raise DomainRefusal("节假日文件不符合要求 / the holiday file breaks a rule", rule=found[0]["rule"],
                            status=422, field=found[0]["field"], details={"errors": found})
    env = ctx.wrap(HolidayCalendarPublished(calendar=file, sha256=holiday_files.sha256(file)), actor=actor)
    ahead = ctx.calendar.with_file(file, env.occurred_at)
    async with ctx.unit_of_work() as uow:
        await calendar_sync.record(uow.session, env)
        await uow.emit(env)
        moved = await recompute(ctx, uow, ahead, cause=env)
    ctx.calendar.load(file, env.occurred_at)  # at once here; every other service when the event arrives
    return {"event_id": env.event_id, "key": file.key, "sha256": env.payload.sha256, "recomputed": moved}


async def recompute(ctx: Oversight, uow: UnitOfWork, calendar: WorkingDayCalendar, *, cause: Envelope | None = None,
                    provisional_only: bool = False, skip_locked: bool = False) -> list[dict]:
    """Compute each open clock's deadline again on ``calendar``; move those that change. A clock
    already breached keeps its date (the breach is on the audit chain); one whose period is not
    known (opened before clocks kept it, by an ineligible review) is left as it is."""
    cases = await clock_register.recomputable(uow.session, provisional_only=provisional_only, limit=SWEEP_BATCH,
                                              skip_locked=skip_locked)
    store = clock_register.store(uow.session)
    moved = []
    for case in cases:
        changed = case
        for c in case.clocks:
            if not c.recomputable or (provisional_only and not c.provisional):
                continue
            if provisional_only and not calendar.knows(c.due_on):
                continue  # its year is still unknown: the result would be provisional again
            new = recomputed(calendar, c.starts_after, c.working_days, c.due_on, c.provisional)
            if new is None:
                continue
            changed = changed.moved(c.opened_by_event, new.due_on, new.provisional)
            due = Due(clock=c.clock, due_on=new.due_on, working_days=c.working_days, starts_after=c.starts_after,
                      rule=c.rule or c.clock, provisional=new.provisional)
            await uow.emit(ctx.wrap(DeadlineRecomputed(
                clock=c.clock, started_by_event=c.opened_by_event, previous_due_on=c.due_on,
                previous_provisional=c.provisional, due=due, calendar_event=cause.event_id if cause else None),
                jurisdiction=case.jurisdiction, case_id=case.case_id, caused_by=cause))
            moved.append({"case_id": case.case_id, "clock": c.clock, "previous_due_on": c.due_on,
                          "due_on": new.due_on, "provisional": new.provisional})
        if changed != case:
            await store.save(changed)
    return moved


async def sweep_provisional(ctx: Oversight, now: dt.datetime) -> int:
    """Every tick, before breaches: a clock opened provisional after the file arrived (its event was
    computed by a service that had not applied the file yet) follows the calendar as well."""
    async with ctx.unit_of_work() as uow:
        return len(await recompute(ctx, uow, ctx.calendar, provisional_only=True, skip_locked=True))
