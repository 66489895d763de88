"""HTTP routes of verification. Who may call each is declared on the route."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from jiuzhu_contracts.base import Category, Role
from jiuzhu_runtime.auth import AccessPolicy, Principal
from jiuzhu_runtime.case_store import UnknownCase

from jiuzhu_verification.adapters.investigations import work_list
from jiuzhu_verification.domain.investigation import Appraisal, CheckReport, Opinion, Person
from jiuzhu_verification.entrypoints.schemas import (
    AppraisalIn,
    CheckReportIn,
    ComputationOut,
    HomeVisitIn,
    HouseholdIn,
    ReinvestigationIn,
    RefusalIn,
    ReviewIn,
    TaskOut,
)
from jiuzhu_verification.service_layer import commands as cmd
from jiuzhu_verification.service_layer import handlers, re_reviews
from jiuzhu_verification.service_layer.handlers import Verification

INV, REV, LEAD, CC = Role.INVESTIGATOR, Role.REVIEWER, Role.LEADER, Role.CHECK_CENTRE
DISTRICT_READERS = [Role.INSPECTOR, Role.AUDITOR]


def router(ctx: Verification, access: AccessPolicy) -> APIRouter:
    api = APIRouter()

    @api.get("/tasks", response_model=list[TaskOut], tags=["work list"],
             summary="调查审核工作清单（最紧急在前）/ Open investigations, most urgent first")
    async def tasks(limit: int = Query(100, ge=1, le=1000),
                    _: Principal = Depends(access.allow(INV, REV, LEAD, district=DISTRICT_READERS))):
        async with ctx.unit_of_work() as uow:
            cases = await work_list(ctx.store(uow), limit)
        return [TaskOut(case_id=i.case_id, status=i.status, clock=i.next_clock, due_on=i.next_due,
                        applicant_name=i.applicant_name, committee=i.committee, category=i.category,
                        close_relative_staff=sorted(i.recused), check_report_received=i.check_report is not None)
                for i in cases]

    @api.post("/cases/{case_id}/home-visit", tags=["investigation"],
              summary="入户调查记录（两名调查人员）/ Record the home visit (investigator)")
    async def home_visit(case_id: str, body: HomeVisitIn, who: Principal = Depends(access.allow(INV))) -> dict:
        due = await handlers.record_home_visit(ctx, cmd.RecordHomeVisit(
            case_id, body.visited_on, Person(body.partner.id, body.partner.name), body.living_conditions,
            body.findings, body.household_signed, who.actor(INV)))
        return {"case_id": case_id, "review_due": due.model_dump(mode="json")}

    @api.post("/cases/{case_id}/household", tags=["investigation"],
              summary="家庭信息录入并发起经济状况核对 / Enter household data and start the economic check")
    async def household(case_id: str, body: HouseholdIn, who: Principal = Depends(access.allow(INV))) -> dict:
        request_id = await handlers.record_household(ctx, cmd.RecordHousehold(
            case_id, tuple(body.members), tuple(body.incomes), tuple(body.assets), dict(body.facts),
            who.actor(INV), tekun_persons=body.tekun_entries()))
        return {"case_id": case_id, "check_request_id": request_id}

    @api.post("/economic-checks/{request_id}/report", tags=["economic check"],
              summary="核对中心回传核对报告 / The check centre delivers its report (check_centre)")
    async def check_report(request_id: str, body: CheckReportIn,
                           who: Principal = Depends(access.allow(CC, district=[CC]))) -> dict:
        case_id = await re_reviews.receive_check_report(ctx, cmd.ReceiveCheckReport(  # or an investigation's
            CheckReport(request_id, body.report_no, body.reported_on, body.monthly_income_fen,
                        body.countable_assets_fen, body.findings), who.actor(CC)))
        return {"case_id": case_id, "request_id": request_id}

    @api.post("/cases/{case_id}/dispute", tags=["investigation"],
              summary="标记为有争议（需民主评议）/ Mark the case disputed (needs democratic appraisal)")
    async def dispute(case_id: str, who: Principal = Depends(access.allow(INV, REV))) -> dict:
        role = INV if INV in who.roles else REV
        await handlers.mark_disputed(ctx, cmd.MarkDisputed(case_id, who.actor(role)))
        return {"case_id": case_id, "disputed": True}

    @api.post("/cases/{case_id}/democratic-appraisal", tags=["investigation"],
              summary="民主评议记录 / Record the democratic appraisal (investigator)")
    async def appraisal(case_id: str, body: AppraisalIn, who: Principal = Depends(access.allow(INV))) -> dict:
        await handlers.record_appraisal(ctx, cmd.RecordAppraisal(
            case_id, Appraisal(body.held_on, tuple(body.participants), body.result, body.minutes), who.actor(INV)))
        return {"case_id": case_id}

    @api.post("/cases/{case_id}/refusal-to-cooperate", tags=["investigation"],
              summary="不配合调查，视为放弃申请 / The household refused to cooperate (investigator)")
    async def refusal(case_id: str, body: RefusalIn, who: Principal = Depends(access.allow(INV))) -> dict:
        await handlers.record_refusal_to_cooperate(ctx, cmd.RecordRefusalToCooperate(
            case_id, body.circumstances, who.actor(INV)))
        return {"case_id": case_id, "status": "deemed_withdrawn"}

    @api.get("/cases/{case_id}/computation", response_model=ComputationOut, tags=["review"],
             summary="按标准计算的结果 / The computed eligibility and amount (reviewer)")
    async def computation(case_id: str, who: Principal = Depends(access.allow(REV))) -> ComputationOut:
        inv, result = await handlers.preview(ctx, case_id, who.actor(REV))
        income, assets = inv.means()
        band = ctx.band(inv) if inv.category == Category.TEMPORARY else None
        return ComputationOut(case_id=case_id, eligible=result.eligible, amount_fen=result.amount_fen,
                              reasons=list(result.reasons), household_size=inv.household.size,
                              monthly_income_fen=income, countable_assets_fen=assets,
                              band_max_fen=band and band.max_fen, large_above_fen=band and band.large_above_fen,
                              max_tranches=band and ctx.config.temporary.max_tranches)

    @api.post("/cases/{case_id}/review", tags=["review"],
              summary="签署审核意见 / Sign the review opinion (reviewer, not an investigator of the case)")
    async def review(case_id: str, body: ReviewIn, who: Principal = Depends(access.allow(REV))) -> dict:
        event = await handlers.sign_review(ctx, cmd.SignReview(
            case_id, Opinion(body.eligible, body.proposed_amount_fen, tuple(body.reasons), body.override_reason,
                             tuple((t.amount_fen, t.after_days) for t in body.tranches), body.large_amount_reason),
            who.actor(REV)))
        return {"case_id": case_id, "round": event.round, "eligible": event.eligible,
                "proposed_amount_fen": event.proposed_amount_fen, "computed_amount_fen": event.computed_amount_fen,
                "tranches": [t.model_dump(mode="json") for t in event.tranches],
                "large_amount_reason": event.large_amount_reason}

    @api.post("/cases/{case_id}/reinvestigation", tags=["review"],
              summary="异议重新调查结论 / Complete the re-investigation after an objection (investigator)")
    async def reinvestigation(case_id: str, body: ReinvestigationIn,
                              who: Principal = Depends(access.allow(INV))) -> dict:
        await handlers.complete_reinvestigation(ctx, cmd.CompleteReinvestigation(
            case_id, Person(body.partner.id, body.partner.name), body.objection_upheld, body.findings,
            who.actor(INV)))
        return {"case_id": case_id}

    @api.get("/cases/{case_id}", tags=["investigation"], summary="调查审核情况 / The investigation record")
    async def get_case(case_id: str, _: Principal = Depends(access.allow(INV, REV, LEAD, district=DISTRICT_READERS))):
        async with ctx.unit_of_work() as uow:
            inv = await ctx.store(uow).get(case_id, lock=False)
        if inv is None:
            raise UnknownCase(case_id, ctx.cases.held)
        record = ctx.cases.dump(inv)
        del record["next_clock"], record["next_due"]  # the work list's sort keys, shown there (/tasks)
        return record

    return api
