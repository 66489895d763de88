"""Every service keeps the same working-day calendar: the holiday files it was configured with
(``JZ_HOLIDAY_FILE``, the district configuration's ``holiday_files``), then every
``holiday_calendar_published`` of its district, which it stores (``holiday_calendars``) so that a
restart rebuilds the same calendar. Oversight publishes the files (``POST /calendar/holidays``).

A jurisdiction's services do not consume the district's own subjects, so every service runs one more
durable consumer, ``<instance>-calendar``, filtered on this one event type (its NATS permissions
allow exactly that: ``jiuzhu_devstack.nats_auth``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from jiuzhu_contracts import Envelope
from jiuzhu_contracts.holiday_calendar import HolidayFile
from jiuzhu_runtime.db import holiday_calendars
from jiuzhu_kernel.working_days import WorkingDayCalendar

EVENT_TYPE = "holiday_calendar_published"


def subject(district: str, prefix: str) -> str:
    return f"{prefix}.evt.{district}.{district}.{EVENT_TYPE}"


async def record(session, env: Envelope) -> None:
    file: HolidayFile = env.payload.calendar
    await session.execute(pg_insert(holiday_calendars).values(
        event_id=env.event_id, key=file.key, calendar=file.model_dump(mode="json", by_alias=True),
        published_at=env.occurred_at).on_conflict_do_nothing())


async def load_published(sessions, calendar: WorkingDayCalendar) -> int:
    """Load the files published so far into ``calendar``; returns how many."""
    async with sessions() as session:
        rows = (await session.execute(select(holiday_calendars.c.calendar, holiday_calendars.c.published_at)
                                      .order_by(holiday_calendars.c.published_at, holiday_calendars.c.event_id))).all()
    for r in rows:
        calendar.load(HolidayFile.model_validate(r.calendar), r.published_at)
    return len(rows)


def handlers(calendar: WorkingDayCalendar) -> dict:
    async def apply(env: Envelope, uow) -> None:
        await record(uow.session, env)
        # In memory at once: a rolled-back batch is applied again on redelivery, with the same file.
        calendar.load(env.payload.calendar, env.occurred_at)

    return {EVENT_TYPE: apply}
