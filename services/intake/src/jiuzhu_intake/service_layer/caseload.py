"""The window's case of a household imported from the old system (issue 15, ``recipient_migrated``;
domain/imported_household.py). Its later changes and its end follow it like any approved case
(service_layer/following.py)."""

from __future__ import annotations

from jiuzhu_contracts import Envelope
from jiuzhu_runtime.unit_of_work import UnitOfWork

from jiuzhu_intake.adapters.repository import IntakeRepository
from jiuzhu_intake.domain.case_stage import STAGES
from jiuzhu_intake.domain.imported_household import Imported, ImportedFrom, ImportedMember
from jiuzhu_intake.domain.intake_case import IntakeCase
from jiuzhu_intake.service_layer.handlers import Intake


def imported(env: Envelope) -> Imported:
    p = env.payload
    return Imported(case_id=env.case_id, category=p.category, area=p.area, committee=p.committee, address=p.address,
                    approved_on=p.approved_on, source=ImportedFrom(
                        file_name=p.source.file_name, file_sha256=p.source.file_sha256, row=p.source.row,
                        members=tuple(ImportedMember(m.name, m.relation, m.id_number) for m in p.members)))


async def recipient_migrated(ctx: Intake, env: Envelope, uow: UnitOfWork) -> None:
    if not env.case_id:
        return
    await ctx.store(uow).add(IntakeCase.imported(imported(env)))  # once: importing again is the same case
    await IntakeRepository(uow.session).add_timeline(
        event_id=env.event_id, case_id=env.case_id, event_type=env.event_type, label=STAGES[env.event_type][1],
        occurred_at=env.occurred_at, actor_name=env.actor.name)


def event_handlers(ctx: Intake) -> dict:
    async def migrated(env, uow):
        await recipient_migrated(ctx, env, uow)

    return {"recipient_migrated": migrated}
