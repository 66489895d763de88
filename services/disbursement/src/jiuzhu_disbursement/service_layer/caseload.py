"""The standing caseload on the roster (issue 15; D21 art. 31–32, N22 §1.3): a household imported
from the old system is paid like one approved here from its first month; a change of amount
applies from its effective month (a roster for an earlier month keeps the old amount); a gradual
exit pays through its last month. ``support_ended`` stops payment after ``last_month_paid``
(service_layer/handlers.py). Rosters already compiled are never rewritten — a new compilation
makes a new version with its difference — and a month already claimed is never paid again
(``payment_claims``' primary key)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from jiuzhu_runtime.consumer import NotYet

from jiuzhu_disbursement.adapters import amount_history
from jiuzhu_disbursement.adapters.tables import recipients
from jiuzhu_disbursement.service_layer.handlers import Disbursement


async def _known(uow, env) -> None:
    known = await uow.session.execute(select(recipients.c.case_id).where(recipients.c.case_id == env.case_id))
    if known.first() is None:
        raise NotYet(f"{env.event_type} for {env.case_id} before the household is on the register")


def event_handlers(ctx: Disbursement) -> dict:
    async def migrated(env, uow):
        p = env.payload
        # Importing the same household again is the same row (decision's case ids are deterministic).
        await uow.session.execute(pg_insert(recipients).values(
            case_id=env.case_id, jurisdiction=env.jurisdiction, category=p.category.value, public_name=p.public_name,
            household_size=p.household_size, amount_fen=p.amount_fen, from_month=p.first_month_paid,
            payment_account=p.payment_account, approved_on=p.approved_on).on_conflict_do_nothing())

    async def changed(env, uow):
        await _known(uow, env)
        p = env.payload
        await amount_history.change_from(uow.session, env.case_id, p.effective_month, p.amount_fen, env.event_id,
                                         p.cause.value)
        await uow.session.execute(update(recipients).where(recipients.c.case_id == env.case_id)
                                  .values(household_size=p.household_size))

    async def gradual_exit(env, uow):
        await _known(uow, env)
        await uow.session.execute(update(recipients).where(recipients.c.case_id == env.case_id)
                                  .values(until_month=env.payload.last_month_paid))

    return {"recipient_migrated": migrated, "support_changed": changed, "gradual_exit_started": gradual_exit}
