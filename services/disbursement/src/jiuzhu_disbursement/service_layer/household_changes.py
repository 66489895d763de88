"""The register follows a supported household's own changes (issue 15 item 6):

* ``household_changed`` — a new payment account is paid from the next roster compiled (a roster is
  compiled from the register; a failed payment carried forward goes to the new account too); the
  household's size follows its members;
* ``household_transfer_accepted`` — the household's new case in the receiving jurisdiction joins
  the register from its first month paid there, as an approval does. The sending jurisdiction's
  ``support_ended`` (cause ``moved_out``, the month before) closes the old case: the two never
  overlap, so no month is paid twice and none is missed.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from jiuzhu_runtime.consumer import NotYet

from jiuzhu_disbursement.adapters.tables import recipients
from jiuzhu_disbursement.service_layer.handlers import Disbursement


def event_handlers(ctx: Disbursement) -> dict:
    async def changed(env, uow):
        p = env.payload
        values = {"household_size": p.household_size, "public_name": p.public_name}
        if p.payment_account:
            values["payment_account"] = p.payment_account
        result = await uow.session.execute(update(recipients).where(recipients.c.case_id == env.case_id)
                                           .values(**values))
        if result.rowcount == 0:
            raise NotYet(f"household_changed for {env.case_id} before it is on the register")

    async def moved_in(env, uow):
        p = env.payload
        await uow.session.execute(pg_insert(recipients).values(
            case_id=env.case_id, jurisdiction=env.jurisdiction, category=p.category.value, public_name=p.public_name,
            household_size=p.household_size, amount_fen=p.amount_fen, from_month=p.first_month_paid,
            payment_account=p.payment_account, approved_on=p.accepted_on).on_conflict_do_nothing())

    return {"household_changed": changed, "household_transfer_accepted": moved_in}
