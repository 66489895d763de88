"""The window's case of a household imported from the old system (issue 15, ``recipient_migrated``;
domain/imported_household.py) or moved here from another jurisdiction (``household_transfer_accepted``;
domain/household_changes.py), and a supported household's changes of members or address
(``household_changed``). Their later changes and their end follow them like any approved case
(service_layer/following.py)."""

from __future__ import annotations

from jiuzhu_contracts import Envelope
from jiuzhu_runtime.unit_of_work import UnitOfWork

from jiuzhu_intake.adapters import applications
from jiuzhu_intake.adapters.repository import IntakeRepository, add_timeline
from jiuzhu_intake.domain.case_stage import STAGES
from jiuzhu_intake.domain.household_changes import Household, HouseholdMember, MovedFrom, MovedIn
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
    add_timeline(
        uow, event_id=env.event_id, case_id=env.case_id, event_type=env.event_type, label=STAGES[env.event_type][1],
        occurred_at=env.occurred_at, actor_name=env.actor.name)


async def _on_timeline(env: Envelope, uow: UnitOfWork) -> None:
    add_timeline(
        uow, event_id=env.event_id, case_id=env.case_id, event_type=env.event_type, label=STAGES[env.event_type][1],
        occurred_at=env.occurred_at, actor_name=env.actor.name)


async def household_transfer_accepted(ctx: Intake, env: Envelope, uow: UnitOfWork) -> None:
    """A household of another jurisdiction taken on here (issue 15 item 6): its case here, approved."""
    p = env.payload
    if not env.case_id:
        return
    await ctx.store(uow).add(IntakeCase.moved_in(MovedIn(  # once: a redelivery is the same case
        case_id=env.case_id, category=p.category, area=p.area, committee=p.committee, address=p.address,
        public_name=p.public_name, accepted_on=p.accepted_on, member_ids=tuple(p.member_id_numbers),
        moved_from=MovedFrom(p.from_jurisdiction, p.from_case_id, p.transfer_id))))
    await _on_timeline(env, uow)


async def household_as_accepted(repo: IntakeRepository, case: IntakeCase) -> Household:
    """The household as the window first knew it: the application, the imported row, or the move."""
    if case.household is not None:
        return case.household
    application = await applications.get(repo.session, case.application_id)
    if application is not None:
        content = application.content
        return Household(content.address or case.receipt.address, tuple(
            HouseholdMember(m.id_number, m.name, m.relation) for m in content.members))
    if case.imported_from is not None:
        return Household(case.receipt.address, tuple(HouseholdMember(m.id_number, m.name, m.relation)
                                                      for m in case.imported_from.members))
    return Household(case.receipt.address, tuple(HouseholdMember(n) for n in case.member_ids))


async def household_changed(ctx: Intake, env: Envelope, uow: UnitOfWork) -> None:
    """Members added or removed, a new address (and committee): the case shows the household now;
    its members are the ones the duplicate check looks at."""
    p = env.payload
    if not env.case_id:
        return
    async with ctx.case(env.case_id, uow=uow, caused_by=env) as case:  # NotYet until the case is here
        before = await household_as_accepted(IntakeRepository(uow.session), case.state)
        case.state = case.state.household_changed(
            before, added=tuple(HouseholdMember(a.member.id_number, a.member.name, a.member.relation)
                                for a in p.members_added),
            removed=tuple(r.id_number for r in p.members_removed), address=p.address, committee=p.committee)
    await _on_timeline(env, uow)


def event_handlers(ctx: Intake) -> dict:
    def bound(handler):
        async def handle(env, uow):
            await handler(ctx, env, uow)
        return handle

    return {"recipient_migrated": bound(recipient_migrated),
            "household_transfer_accepted": bound(household_transfer_accepted),
            "household_changed": bound(household_changed)}
