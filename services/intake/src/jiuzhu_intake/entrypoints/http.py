"""HTTP routes of the intake service. Each route states who may call it (roles at this
jurisdiction, roles at the district); handlers stay thin: parse → command → service layer."""

from __future__ import annotations

import dataclasses
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from jiuzhu_contracts.base import Role
from jiuzhu_runtime.auth import AccessPolicy, Principal
from jiuzhu_runtime.case_store import UnknownCase
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_intake.adapters.intake_cases import list_cases as cases_page
from jiuzhu_intake.adapters import applications
from jiuzhu_intake.adapters.repository import IntakeRepository
from jiuzhu_intake.domain.application import ApplicationContent, HandedIn, MemberFacts
from jiuzhu_intake.domain.application_record import Application
from jiuzhu_intake.domain.case_stage import Stage
from jiuzhu_intake.domain.intake_case import IntakeCase
from jiuzhu_intake.domain.one_time_notice import NO_RESUBMISSION_LIMIT
from jiuzhu_intake.entrypoints.documents import Documents
from jiuzhu_intake.entrypoints.schemas import (
    ApplicationIn,
    ApplicationOut,
    AwaitingCorrectionOut,
    CorrectionNoticeOut,
    CaseOut,
    HouseholdMemberOut,
    CloseRelativeIn,
    OutcomeOut,
    TimelineEntry,
    WithdrawalIn,
)
from jiuzhu_intake.service_layer import handlers
from jiuzhu_intake.service_layer.commands import (
    RegisterCloseRelative,
    ResubmitApplication,
    SubmitApplication,
    WithdrawApplication,
)
from jiuzhu_intake.service_layer.handlers import Intake, Outcome

C, CM, I, R, L = Role.CLERK, Role.COMMITTEE, Role.INVESTIGATOR, Role.REVIEWER, Role.LEADER
READERS_AT_DISTRICT = [Role.INSPECTOR, Role.AUDITOR]


def content_of(body: ApplicationIn, who: Principal) -> ApplicationContent:
    channel = "committee" if Role.COMMITTEE in who.roles and Role.CLERK not in who.roles else "window"
    return ApplicationContent(
        category=body.category, area=body.area, registration_jurisdiction=body.registration_jurisdiction,
        emergency_jurisdiction=body.emergency_jurisdiction, address=body.address, committee=body.committee,
        members=tuple(MemberFacts(**m.model_dump()) for m in body.members),
        declared_monthly_income_fen=body.declared_monthly_income_fen, declared_assets_fen=body.declared_assets_fen,
        payment_account=body.payment_account, contact_phone=body.contact_phone, reason=body.reason,
        consent_signed=body.consent_signed, handed_in=tuple(HandedIn(**m.model_dump()) for m in body.materials),
        channel=channel, temporary_kind=body.temporary_kind)


def form_of(content: ApplicationContent) -> ApplicationIn:
    """The inverse of ``content_of``: what was submitted, in the body ``POST /applications`` takes
    (the channel is the submitter's, not the form's, and is left out)."""
    return ApplicationIn.model_validate({
        "category": content.category, "area": content.area,
        "registration_jurisdiction": content.registration_jurisdiction,
        "emergency_jurisdiction": content.emergency_jurisdiction, "address": content.address,
        "temporary_kind": content.temporary_kind,
        "committee": content.committee, "members": [dataclasses.asdict(m) for m in content.members],
        "declared_monthly_income_fen": content.declared_monthly_income_fen,
        "declared_assets_fen": content.declared_assets_fen, "payment_account": content.payment_account,
        "contact_phone": content.contact_phone, "reason": content.reason, "consent_signed": content.consent_signed,
        "materials": [dataclasses.asdict(h) for h in content.handed_in]})


def notice_out(row: Application, request: Request) -> CorrectionNoticeOut | None:
    if row.notice_no is None:
        return None
    return CorrectionNoticeOut(
        notice_no=row.notice_no, issued_on=row.notice_issued_on, items=list(row.notice_items or ()),
        due_on=None, due_rule=NO_RESUBMISSION_LIMIT,
        document_url=str(request.url_for("correction_notice", application_id=row.application_id).path))


def acting_role(who: Principal, *preferred: Role) -> Role:
    return next(r for r in preferred if r in who.roles)


def outcome_out(outcome: Outcome, request: Request) -> OutcomeOut:
    url = (request.url_for("receipt", case_id=outcome.case_id) if outcome.case_id
           else request.url_for("correction_notice", application_id=outcome.application_id))
    return OutcomeOut(status=outcome.status, application_id=outcome.application_id, case_id=outcome.case_id,
                      accepted_on=outcome.accepted_on, investigation_due=outcome.investigation_due,
                      notice_no=outcome.notice_no, items=list(outcome.items), waived=list(outcome.waived),
                      close_relative=outcome.close_relative, document_url=str(url.path))


def router(intake: Intake, access: AccessPolicy, documents: Documents) -> APIRouter:
    api = APIRouter()

    @api.post("/applications", status_code=201, response_model=OutcomeOut, tags=["applications"],
              summary="提交申请 / Submit a household application (clerk, committee)")
    async def submit(body: ApplicationIn, request: Request,
                     who: Principal = Depends(access.allow(C, CM))) -> OutcomeOut:
        outcome = await handlers.submit_application(
            intake, SubmitApplication(content_of(body, who), who.actor(acting_role(who, C, CM))))
        return outcome_out(outcome, request)

    @api.post("/applications/{application_id}/resubmissions", response_model=OutcomeOut, tags=["applications"],
              summary="补正后再次提交 / Resubmit after the one-time correction notice (clerk, committee)")
    async def resubmit(application_id: str, body: ApplicationIn, request: Request,
                       who: Principal = Depends(access.allow(C, CM))) -> OutcomeOut:
        outcome = await handlers.resubmit_application(
            intake, ResubmitApplication(application_id, content_of(body, who), who.actor(acting_role(who, C, CM))))
        return outcome_out(outcome, request)

    @api.get("/applications", response_model=list[AwaitingCorrectionOut], tags=["applications"],
             summary="待补正的申请 / Applications waiting for the household to bring what the one-time notice "
                     "listed, oldest notice first (clerk, committee; district inspectors, auditors)")
    async def list_applications(request: Request, status: Literal["awaiting_correction"] = Query(),
                                limit: int = Query(100, ge=1, le=500), offset: int = Query(0, ge=0, le=10_000_000),
                                _: Principal = Depends(access.allow(C, CM, district=READERS_AT_DISTRICT))):
        async with intake.unit_of_work() as uow:
            rows = await applications.in_status(uow.session, status, limit, offset)
        out = []
        for row, last_changed in rows:
            content = row.content
            out.append(AwaitingCorrectionOut(
                application_id=row.application_id, applicant_name=content.applicant.name, category=content.category,
                committee=content.committee, household_size=len(content.members), submissions=row.submissions,
                last_submitted_at=last_changed, notice=notice_out(row, request)))
        return out

    @api.get("/applications/{application_id}", response_model=ApplicationOut, tags=["applications"],
             summary="申请内容 / An application as last submitted, to prefill a resubmission "
                     "(clerk, committee; district inspectors, auditors)")
    async def get_application(application_id: str, request: Request,
                              _: Principal = Depends(access.allow(C, CM, district=READERS_AT_DISTRICT))
                              ) -> ApplicationOut:
        async with intake.unit_of_work() as uow:
            row = await applications.get(uow.session, application_id)
        if row is None:
            raise DomainRefusal(f"no application {application_id} at this window", rule="exists", status=404)
        return ApplicationOut(application_id=row.application_id, status=row.status, submissions=row.submissions,
                              case_id=row.case_id, notice=notice_out(row, request),
                              content=form_of(row.content))

    @api.get("/applications/{application_id}/correction-notice", response_class=HTMLResponse,
             name="correction_notice", tags=["documents"],
             summary="一次性告知书（可打印）/ Printable one-time correction notice (clerk, committee)")
    async def correction_notice(application_id: str, _: Principal = Depends(access.allow(C, CM))) -> HTMLResponse:
        async with intake.unit_of_work() as uow:
            row = await applications.get(uow.session, application_id)
        if row is None or row.notice_no is None:
            raise DomainRefusal(f"no correction notice for application {application_id}", rule="exists", status=404)
        return HTMLResponse(documents.correction_notice(row, row.content))

    @api.get("/cases", response_model=list[CaseOut], tags=["cases"],
             summary="本辖区案件 / Cases of this jurisdiction (window staff; district inspectors, auditors)")
    async def list_cases(stage: str | None = Query(None, max_length=40), limit: int = Query(50, ge=1, le=500),
                         offset: int = Query(0, ge=0, le=10_000_000),
                         _: Principal = Depends(access.allow(C, CM, I, R, L, district=READERS_AT_DISTRICT))):
        async with intake.unit_of_work() as uow:
            cases = await cases_page(uow.session, stage, limit, offset)
        return [case_out(case, []) for case in cases]

    @api.get("/cases/{case_id}", response_model=CaseOut, tags=["cases"],
             summary="案件进度 / Where a case stands, with its timeline")
    async def get_case(case_id: str,
                       _: Principal = Depends(access.allow(C, CM, I, R, L, district=READERS_AT_DISTRICT))) -> CaseOut:
        async with intake.unit_of_work() as uow:
            # One snapshot for the case and its timeline: under READ COMMITTED each statement sees what
            # was committed when it began, and a step committed between the two reads showed on the
            # timeline of a case that did not have it yet.
            await uow.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            repo = IntakeRepository(uow.session)
            case = await intake.store(uow).get(case_id, lock=False)
            if case is None:
                raise UnknownCase(case_id, intake.cases.held)
            application = await applications.get(uow.session, case.application_id)
            out = case_out(case, await repo.case_timeline(case_id))
        if case.household is not None:  # as it is now: changed after the decision, or moved here
            out.address = case.household.address
            out.members = [HouseholdMemberOut(name=m.name, relation=m.relation, id_number=m.id_number)
                           for m in case.household.members]
        elif application is not None:  # the household as accepted at the window
            content = application.content
            out.address = content.address
            out.members = [HouseholdMemberOut(name=m.name, relation=m.relation, id_number=m.id_number)
                           for m in content.members]
            if content.on_behalf:  # 代为申请 (active discovery)
                out.on_behalf = content.on_behalf
        elif case.imported_from is not None:  # as imported from the old system
            out.address = case.receipt.address
            out.members = [HouseholdMemberOut(name=m.name, relation=m.relation, id_number=m.id_number)
                           for m in case.imported_from.members]
        return out

    @api.get("/cases/{case_id}/receipt", response_class=HTMLResponse, name="receipt", tags=["documents"],
             summary="受理回执（可打印）/ Printable acceptance receipt (clerk, committee)")
    async def receipt(case_id: str, _: Principal = Depends(access.allow(C, CM))) -> HTMLResponse:
        async with intake.unit_of_work() as uow:
            case = await intake.store(uow).get(case_id, lock=False)
        if case is None:
            raise UnknownCase(case_id, intake.cases.held)
        case.ensure_receipt()
        return HTMLResponse(documents.receipt(case))

    @api.post("/cases/{case_id}/withdrawal", tags=["cases"],
              summary="申请人撤回申请 / The applicant withdraws, through the clerk, before the decision")
    async def withdraw(case_id: str, body: WithdrawalIn, who: Principal = Depends(access.allow(C))) -> dict:
        await handlers.withdraw_application(intake, WithdrawApplication(case_id, body.reason, who.actor(C)))
        return {"case_id": case_id, "stage": Stage.WITHDRAWN}

    @api.post("/close-relatives", status_code=201, tags=["close relatives"],
              summary="近亲属备案 / Register a staff member's close relative (leader, clerk)")
    async def register(body: CloseRelativeIn, who: Principal = Depends(access.allow(L, C))) -> dict:
        new_id = await handlers.register_close_relative(intake, RegisterCloseRelative(
            body.staff_id, body.staff_name, body.relative_name, body.relative_id_number, body.relation,
            who.actor(acting_role(who, L, C))))
        return {"id": new_id}

    @api.get("/close-relatives", tags=["close relatives"],
             summary="近亲属备案登记 / The register (leader, clerk; district inspectors, auditors)")
    async def register_list(_: Principal = Depends(access.allow(L, C, district=READERS_AT_DISTRICT))) -> list[dict]:
        async with intake.unit_of_work() as uow:
            rows = await IntakeRepository(uow.session).list_close_relatives()
        return [{"id": r.id, "staff_id": r.staff_id, "staff_name": r.staff_name, "relative_name": r.relative_name,
                 "relative_id_number": r.relative_id_number, "relation": r.relation,
                 "registered_at": r.registered_at.isoformat()} for r in rows]

    return api


def case_out(case: IntakeCase, timeline) -> CaseOut:
    return CaseOut(case_id=case.case_id, application_id=case.application_id, category=case.category,
                   area=case.area, committee=case.committee, applicant_name=case.applicant_name,
                   household_size=len(case.member_ids), stage=case.stage, accepted_on=case.accepted_on,
                   dues=case.dues, close_relative=bool(case.close_relative_staff_ids),
                   moved_from=dataclasses.asdict(case.moved_from) if case.moved_from else None,
                   timeline=[TimelineEntry(event_type=t.event_type, label=t.label, occurred_at=t.occurred_at,
                                           actor_name=t.actor_name) for t in timeline])
