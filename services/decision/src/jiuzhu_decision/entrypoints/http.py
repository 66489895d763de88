"""HTTP routes of the decision service."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse

from jiuzhu_contracts.base import Category, Role
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.auth import AccessPolicy, Principal
from jiuzhu_runtime.case_store import UnknownCase
from jiuzhu_runtime.documents import document_environment

from jiuzhu_decision.adapters.cases import awaiting_decision
from jiuzhu_decision.domain.authority import rule_in_force
from jiuzhu_decision.entrypoints.schemas import (
    AuthorityOut,
    DecisionIn,
    DecisionOut,
    DeliveryIn,
    DeliveryOut,
    EndSupportIn,
    PendingOut,
    SupportEndedOut,
)
from jiuzhu_decision.service_layer import commands as cmd
from jiuzhu_decision.service_layer import handlers
from jiuzhu_decision.service_layer.handlers import DecisionContext

L, C, CM, BA = Role.LEADER, Role.CLERK, Role.COMMITTEE, Role.BUREAU_ADMIN
DISTRICT_READERS = [Role.INSPECTOR, Role.AUDITOR, Role.BUREAU_ADMIN]
CATEGORY_ZH = {"dibao": "城乡最低生活保障", "tekun": "城乡特困人员救助供养", "low_income": "城乡低收入家庭",
               "temporary": "临时救助"}
PUBLICITY_ZH = {"none": "未公示", "open": "公示中", "clean": "公示期满无异议", "objected": "公示期间有异议，已重新调查核实"}


def router(ctx: DecisionContext, access: AccessPolicy) -> APIRouter:
    api = APIRouter()
    pages = document_environment(Path(__file__).parent / "templates")
    pages.globals.update(CATEGORY_ZH=CATEGORY_ZH, district=ctx.config.district,
                         jurisdiction=ctx.config.jurisdiction(ctx.jurisdiction))

    def at_district(who: Principal) -> bool:
        return who.jurisdiction == ctx.district

    @api.get("/authority", tags=["authority"], summary="当前审批权限 / Who decides each category today")
    async def authority(on: dt.date | None = None,
                        _: Principal = Depends(access.allow(L, C, district=DISTRICT_READERS))) -> list[AuthorityOut]:
        day = on or ctx.clock.today()
        out = []
        for category in CATEGORY_ZH:
            rule = rule_in_force(ctx.config, ctx.jurisdiction, Category(category), day)
            out.append(AuthorityOut(category=category, body=rule.body, effective_from=rule.effective_from,
                                    instrument=rule.instrument))
        return out

    @api.get("/cases", tags=["decision"], summary="待决定案件（最紧急在前）/ Cases awaiting a decision")
    async def pending(limit: int = Query(100, ge=1, le=1000),
                      _: Principal = Depends(access.allow(L, C, district=DISTRICT_READERS))) -> list[PendingOut]:
        async with ctx.unit_of_work() as uow:
            cases = await awaiting_decision(ctx.store(uow), limit)
        return [PendingOut(case_id=c.case_id, category=c.category, applicant_name=c.applicant_name,
                           publicity=c.publicity, decision_due=c.decision_due.due_on if c.decision_due else None,
                           may_approve=c.options()[0], may_refuse=c.options()[1]) for c in cases]

    @api.get("/cases/{case_id}", tags=["decision"], summary="案件决定情况 / The case at the decision stage")
    async def get_case(case_id: str, _: Principal = Depends(access.allow(L, C, district=DISTRICT_READERS))):
        async with ctx.unit_of_work() as uow:
            case = await ctx.store(uow).get(case_id, lock=False)
        if case is None:
            raise UnknownCase(case_id, ctx.cases.held)
        return ctx.cases.dump(case)

    @api.post("/cases/{case_id}/decision", tags=["decision"], response_model_exclude_unset=True,
              summary="审核确认决定 / Decide: the leader after devolution, the district bureau where not devolved")
    async def decide(case_id: str, body: DecisionIn,
                     who: Principal = Depends(access.allow(L, district=[BA]))) -> DecisionOut:
        role = BA if at_district(who) else L
        case = await handlers.decide(ctx, cmd.DecideCase(case_id, body.approve, tuple(body.reasons),
                                                         who.actor(role), at_district(who)))
        d = case.decision
        out = {"case_id": case_id, "approved": d.approved, "decided_on": d.decided_on, "amount_fen": d.amount_fen,
               "first_month_paid": d.first_month_paid, "approving_body": d.body}
        if case.refusal_notice:  # only a refusal names it (unset otherwise: left out, not null)
            out["refusal_notice_due"] = case.refusal_notice.due.due_on
        return DecisionOut(**out)

    @api.get("/cases/{case_id}/refusal-notice", response_class=HTMLResponse, tags=["documents"],
             summary="不予批准通知书（可打印）/ Printable written refusal notice")
    async def refusal_notice(case_id: str,
                             _: Principal = Depends(access.allow(L, C, CM, district=[BA]))) -> HTMLResponse:
        async with ctx.unit_of_work() as uow:
            case = await ctx.store(uow).get(case_id, lock=False)
        if case is None or case.refusal_notice is None:
            raise DomainRefusal(f"case {case_id} has no refusal notice", rule="exists", status=404)
        return HTMLResponse(pages.get_template("refusal_notice.html").render(case=case))

    @api.get("/cases/{case_id}/confirmation-form", response_class=HTMLResponse, tags=["documents"],
             summary="申请审核确认表（可打印）/ Printable application-confirmation form the leader signs (plan 五(三))")
    async def confirmation_form(case_id: str,
                                _: Principal = Depends(access.allow(L, C, district=[BA]))) -> HTMLResponse:
        async with ctx.unit_of_work() as uow:
            case = await ctx.store(uow).get(case_id, lock=False)
        if case is None:
            raise DomainRefusal(f"案件 {case_id} 尚未进入审核确认环节，没有审核确认表 / case {case_id} has not reached "
                                f"the decision stage", rule="exists", status=404)
        _, year, seq = case_id.rsplit("-", 2) if case_id.count("-") >= 2 else (case_id, "", case_id)
        number = f"审确〔{year}〕{seq}号" if year else case_id
        return HTMLResponse(pages.get_template("confirmation_form.html").render(
            case=case, number=number, PUBLICITY_ZH=PUBLICITY_ZH))

    @api.post("/cases/{case_id}/refusal-notice/delivery", tags=["documents"],
              summary="记录书面通知送达 / Record delivery of the refusal notice to the committee")
    async def delivery(case_id: str, body: DeliveryIn,
                       who: Principal = Depends(access.allow(L, C, district=[BA]))) -> DeliveryOut:
        role = BA if at_district(who) else (L if L in who.roles else C)
        case = await handlers.record_notice_delivery(ctx, cmd.RecordRefusalNoticeDelivery(
            case_id, body.delivered_on, body.received_by, who.actor(role)))
        n = case.refusal_notice
        return DeliveryOut(case_id=case_id, notice_no=n.notice_no, due_on=n.due.due_on, delivered_on=n.delivered_on,
                           on_time=n.delivered_on <= n.due.due_on)

    @api.post("/cases/{case_id}/end-support", tags=["decision"],
              summary="停止救助 / End a household's support, with reasons (D21 art. 32)")
    async def end_support(case_id: str, body: EndSupportIn,
                          who: Principal = Depends(access.allow(L, district=[BA]))) -> SupportEndedOut:
        role = BA if at_district(who) else L
        await handlers.end_support(ctx, cmd.EndSupport(case_id, body.last_month_paid, tuple(body.reasons),
                                                       who.actor(role), at_district(who)))
        return SupportEndedOut(case_id=case_id, status="ended")

    return api
