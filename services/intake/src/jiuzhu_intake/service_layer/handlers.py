"""Command handlers: command → domain → one unit of work (state + events together)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from ulid import ULID

from jiuzhu_contracts import Envelope
from jiuzhu_contracts.base import Due
from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events.intake import (
    ApplicationAccepted,
    ApplicationSubmitted,
    ApplicationWithdrawn,
    CloseRelativeFlagged,
    CloseRelativeRegistered,
    CorrectionRequested,
    Member,
    MissingItem,
)
from jiuzhu_kernel.input_limits import birth_date_problem, refuse
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.stage_context import StageContext
from jiuzhu_runtime.unit_of_work import UnitOfWork
from jiuzhu_kernel.working_days import make_due
from jiuzhu_runtime.case_store import CaseStore

from jiuzhu_intake.adapters.applications import APPLICATIONS
from jiuzhu_intake.adapters.intake_cases import case_ids_with_member, open_case_for
from jiuzhu_intake.adapters.repository import IntakeRepository
from jiuzhu_intake.domain.application import ApplicationContent
from jiuzhu_intake.domain.application_record import Application
from jiuzhu_intake.domain.close_relatives import RegisteredRelative, flag_close_relatives
from jiuzhu_intake.domain.intake_case import IntakeCase, Receipt
from jiuzhu_intake.domain.form_rules import form_problems, limit_problems
from jiuzhu_intake.domain.temporary_application import temporary_problems
from jiuzhu_intake.domain.one_time_notice import Completeness, assess
from jiuzhu_intake.domain.window import check_window, refuse_duplicate
from jiuzhu_intake.service_layer.commands import (
    RegisterCloseRelative,
    ResubmitApplication,
    SubmitApplication,
    WithdrawApplication,
)

INVESTIGATION_RULE = "乌尔禾区工作方案 五(二): 自受理材料之日起{n}个工作日内完成调查核实"


@dataclass
class Intake(StageContext):
    """What the handlers need, built once in the composition root."""


@dataclass(frozen=True)
class Outcome:
    status: str  # accepted | correction_requested
    application_id: str
    case_id: str | None = None
    accepted_on: dt.date | None = None
    investigation_due: Due | None = None
    notice_no: str | None = None
    items: tuple[MissingItem, ...] = ()
    waived: tuple[str, ...] = ()
    close_relative: bool = False


def check_form(intake: Intake, content: ApplicationContent) -> None:
    problems = (form_problems(content, intake.config, intake.jurisdiction)
                + limit_problems(content, intake.config.limits, intake.clock.today())
                + temporary_problems(content, intake.config, intake.clock.today()))
    if problems:
        raise DomainRefusal("申请表有不符合要求的项目 / the application has invalid fields",
                            rule=problems[0]["rule"], status=422, field=problems[0]["field"],
                            details={"errors": problems})
    check_window(content, intake.jurisdiction, intake.config)


async def _emit(intake: Intake, uow: UnitOfWork, payload, *, case_id: str, actor: Actor,
                caused_by: Envelope | None = None) -> Envelope:
    env = intake.wrap(payload, case_id=case_id, actor=actor, caused_by=caused_by)
    await uow.emit(env)
    return env


async def submit_application(intake: Intake, cmd: SubmitApplication) -> Outcome:
    check_form(intake, cmd.content)
    async with intake.unit_of_work() as uow:
        return await submit_in(intake, uow, cmd)


async def submit_in(intake: Intake, uow: UnitOfWork, cmd: SubmitApplication) -> Outcome:
    """A form already checked (``check_form``) submitted inside the caller's unit of work: an
    application made on a household's behalf commits with the report it follows up."""
    application_id = f"APP-{ULID()}"
    repo = IntakeRepository(uow.session)
    await repo.lock_household(cmd.content.id_numbers)
    refuse_duplicate(await open_case_for(uow.session, cmd.content.id_numbers, cmd.content.category),
                     cmd.content.category)
    outcome, application = await _decide_completeness(
        intake, uow, repo, Application(application_id, cmd.content), cmd.actor,
        assess(cmd.content, intake.config.materials), first_notice=True)
    await CaseStore(APPLICATIONS, uow.session).add(application)  # as it stands after the check: one write
    return outcome


async def resubmit_application(intake: Intake, cmd: ResubmitApplication) -> Outcome:
    check_form(intake, cmd.content)
    async with intake.record(APPLICATIONS, cmd.application_id, cmd.actor) as held:  # locked; 404 if none
        before = held.state
        content = carried_over(cmd.content, before.content)
        application = before.resubmitted(content)  # only one the one-time notice sent back
        uow, repo = held.uow, IntakeRepository(held.uow.session)
        await repo.lock_household(content.id_numbers)
        refuse_duplicate(await open_case_for(uow.session, content.id_numbers, content.category),
                         content.category)
        completeness = assess(content, intake.config.materials, before.prior_notice)
        outcome, held.state = await _decide_completeness(intake, uow, repo, application, cmd.actor, completeness,
                                                         first_notice=False)
        return outcome


def carried_over(content: ApplicationContent, before: ApplicationContent) -> ApplicationContent:
    """An application made on the household's behalf stays one when it is handed in again after
    the one-time notice (the form does not carry the report or the authorisation)."""
    if before.on_behalf is None or content.on_behalf is not None:
        return content
    return dataclasses.replace(content, on_behalf=before.on_behalf, channel=before.channel)


async def _decide_completeness(intake: Intake, uow: UnitOfWork, repo: IntakeRepository, application: Application,
                               actor: Actor, completeness: Completeness,
                               first_notice: bool) -> tuple[Outcome, Application]:
    """The application as handed in, sent back with the one-time notice or accepted as a case: the
    outcome and the application as it now stands (the caller saves it)."""
    today = intake.clock.today()
    application_id, content = application.application_id, application.content
    submitted = await _emit(intake, uow, ApplicationSubmitted(
        application_id=application_id, category=content.category, area=content.area, committee=content.committee,
        channel=content.channel, household_size=len(content.members),
        materials_handed_in=tuple(h.code for h in content.handed_in), on_behalf=content.on_behalf),
        case_id=application_id, actor=actor)
    if not completeness.complete:
        year = today.year
        notice_no = f"BZ-{intake.jurisdiction}-{year}-{await repo.next_number(f'notice-{year}'):05d}"
        application = application.awaiting_correction(notice_no, completeness.items, today, first=first_notice)
        await _emit(intake, uow, CorrectionRequested(application_id=application_id, notice_no=notice_no,
                                                     items=completeness.items, issued_on=today),
                    case_id=application_id, actor=actor, caused_by=submitted)
        return (Outcome("correction_requested", application_id, notice_no=notice_no, items=completeness.items),
                application)
    outcome = await _accept(intake, uow, repo, application_id, content, actor, completeness.waived, submitted)
    return outcome, application.accepted(outcome.case_id)


async def _accept(intake: Intake, uow: UnitOfWork, repo: IntakeRepository, application_id: str,
                  content: ApplicationContent, actor: Actor, waived: tuple[str, ...],
                  submitted: Envelope) -> Outcome:
    today = intake.clock.today()
    case_id = f"{intake.jurisdiction}-{today.year}-{await repo.next_number(f'case-{today.year}'):05d}"
    flag = flag_close_relatives(content.members, await repo.register())
    days = intake.config.deadline("investigation", jurisdiction=intake.jurisdiction, category=content.category)
    due = make_due(intake.calendar, "investigation", today, days, INVESTIGATION_RULE.format(n=days))
    receipt = Receipt(address=content.address, materials=tuple(h.code for h in content.handed_in if h.conforming),
                      household_size=len(content.members), waived=waived)
    await intake.store(uow).add(IntakeCase(
        case_id=case_id, application_id=application_id, category=content.category, area=content.area,
        committee=content.committee, applicant_name=content.applicant.name, member_ids=content.id_numbers,
        accepted_on=today, receipt=receipt, dues={"investigation": due},
        close_relative_staff_ids=flag.staff_ids if flag else ()))
    await _emit(intake, uow, ApplicationAccepted(
        application_id=application_id, accepted_on=today, category=content.category, area=content.area,
        committee=content.committee, address=content.address, applicant_name=content.applicant.name,
        members=tuple(Member(name=m.name, id_number=m.id_number, relation=m.relation, disabled=m.disabled,
                             in_school=m.in_school, seriously_ill=m.seriously_ill, able_to_work=m.able_to_work)
                      for m in content.members),
        declared_monthly_income_fen=content.declared_monthly_income_fen,
        declared_assets_fen=content.declared_assets_fen, payment_account=content.payment_account,
        contact_phone=content.contact_phone, reason=content.reason,
        materials=tuple(h.code for h in content.handed_in if h.conforming), consent_signed=content.consent_signed,
        close_relative=flag, investigation_due=due, waived_materials=waived, on_behalf=content.on_behalf,
        temporary_kind=content.temporary_kind),
        case_id=case_id, actor=actor, caused_by=submitted)
    return Outcome("accepted", application_id, case_id=case_id, accepted_on=today, investigation_due=due,
                   waived=waived, close_relative=flag is not None)


async def withdraw_application(intake: Intake, cmd: WithdrawApplication) -> None:
    async with intake.case(cmd.case_id, cmd.actor) as case:
        case.state = case.state.withdrawn()
        await case.emit(ApplicationWithdrawn(withdrawn_on=intake.clock.today(), reason=cmd.reason))


async def register_close_relative(intake: Intake, cmd: RegisterCloseRelative) -> int:
    """近亲属备案, and the late flag of every open or supported case whose household includes the
    relative — in one unit of work, under the same lock an acceptance takes on that person."""
    refuse([birth_date_problem("relative_id_number", cmd.relative_id_number, today=intake.clock.today(),
                               limits=intake.config.limits)])
    allowed = intake.config.close_relative_relations
    if cmd.relation not in allowed:
        raise DomainRefusal("not a close relation under the district's rules", status=422, field="relation",
                            rule=f"D12 art. 14: one of {', '.join(allowed)}")
    today = intake.clock.today()
    async with intake.unit_of_work() as uow:
        repo = IntakeRepository(uow.session)
        await repo.lock_household((cmd.relative_id_number,))  # no acceptance of this person in between
        new_id = await repo.add_close_relative(
            staff_id=cmd.staff_id, staff_name=cmd.staff_name, relative_name=cmd.relative_name,
            relative_id_number=cmd.relative_id_number, relation=cmd.relation, registered_by=cmd.actor.id)
        if new_id is None:
            raise DomainRefusal("this relative is already registered for this staff member", rule="unique",
                                status=409, field="relative_id_number")
        registered = intake.wrap(CloseRelativeRegistered(
            staff_id=cmd.staff_id, staff_name=cmd.staff_name, relative_id_number=cmd.relative_id_number,
            relation=cmd.relation, registered_on=today), actor=cmd.actor)
        await uow.emit(registered)
        relative = RegisteredRelative(cmd.staff_id, cmd.relative_id_number, cmd.relation)
        for case_id in await case_ids_with_member(uow.session, cmd.relative_id_number):
            async with intake.case(case_id, cmd.actor, uow=uow, caused_by=registered) as case:
                flagged = case.state.flagged_late(relative)
                if flagged is not None:
                    case.state, flag = flagged
                    await case.emit(CloseRelativeFlagged(flagged_on=today, close_relative=flag))
    return new_id
