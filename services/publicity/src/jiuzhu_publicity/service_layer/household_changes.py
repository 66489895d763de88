"""The long-term list (长期公示, D21 art. 24: name, household size and amount only) follows a
supported household's own changes (issue 15 item 6):

* ``household_changed`` — its size, the name shown, and its committee when it moved within the
  jurisdiction;
* ``household_transfer_accepted`` — on the receiving jurisdiction's publicity (the event is on
  its subject): listed under its new committee from the acceptance. The sending jurisdiction
  delists it on its ``support_ended`` (cause ``moved_out``), as for any end.
"""

from __future__ import annotations

from sqlalchemy import update

from jiuzhu_runtime.consumer import NotYet

from jiuzhu_publicity.adapters.repository import PublicityRepository
from jiuzhu_publicity.adapters.tables import listings
from jiuzhu_publicity.service_layer.handlers import Publicity


def event_handlers(ctx: Publicity) -> dict:
    async def changed(env, uow):
        p = env.payload
        values = {"household_size": p.household_size, "public_name": p.public_name}
        if p.committee:
            values["committee"] = p.committee
        result = await uow.session.execute(update(listings).where(listings.c.case_id == env.case_id).values(**values))
        if result.rowcount == 0:
            raise NotYet(f"household_changed for {env.case_id} before it is listed")

    async def moved_in(env, uow):
        p = env.payload
        await PublicityRepository(uow.session).list_household(
            case_id=env.case_id, committee=p.committee, public_name=p.public_name, household_size=p.household_size,
            category=p.category.value, amount_fen=p.amount_fen, since=p.accepted_on)

    return {"household_changed": changed, "household_transfer_accepted": moved_in}
