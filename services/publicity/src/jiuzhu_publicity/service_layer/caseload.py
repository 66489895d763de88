"""The standing caseload on the public long-term list and the door card (issue 15; D21 art. 24):
a household imported from the old system is listed like one approved here; a change of amount is
shown from its effective month; an end takes it off the list (``on_support_ended`` in
handlers.py). Only the public fields are ever kept here — never the members' ID numbers, the
account or the file the household was imported from."""

from __future__ import annotations

import datetime as dt

from jiuzhu_contracts import Envelope
from jiuzhu_runtime.consumer import NotYet
from jiuzhu_runtime.unit_of_work import UnitOfWork

from jiuzhu_publicity.adapters import listing_amounts
from jiuzhu_publicity.adapters.repository import PublicityRepository
from jiuzhu_publicity.service_layer.handlers import Publicity


def month_of(day: dt.date) -> str:
    return day.strftime("%Y-%m")


async def on_recipient_migrated(ctx: Publicity, env: Envelope, uow: UnitOfWork) -> None:
    p = env.payload
    await PublicityRepository(uow.session).list_household(
        case_id=env.case_id, committee=p.committee, public_name=p.public_name, household_size=p.household_size,
        category=p.category.value, amount_fen=p.amount_fen, since=p.approved_on)


async def on_support_changed(ctx: Publicity, env: Envelope, uow: UnitOfWork) -> None:
    """Dated by the decision, never by when it was processed: effective by the month it was
    decided in, it is shown now; for a later month (a January raise decided in December) it waits
    for the business clock to reach that month (``show_due_amounts``)."""
    p = env.payload
    if await PublicityRepository(uow.session).listing(env.case_id) is None:
        raise NotYet(f"support_changed for {env.case_id} before the household was listed")
    if p.effective_month <= month_of(p.decided_on):
        await listing_amounts.show(uow.session, env.case_id, p.amount_fen, p.household_size)
    else:
        await listing_amounts.wait_for(uow.session, env.case_id, p.effective_month, p.amount_fen, p.household_size)


async def show_due_amounts(ctx: Publicity, now: dt.datetime) -> int:
    """On every tick of the business clock: amounts whose month has come are shown."""
    async with ctx.unit_of_work() as uow:
        return await listing_amounts.show_due(uow.session, month_of(now.date()))


def event_handlers(ctx: Publicity) -> dict:
    def bind(fn):
        async def handler(env, uow):
            await fn(ctx, env, uow)
        return handler

    return {"recipient_migrated": bind(on_recipient_migrated), "support_changed": bind(on_support_changed)}
