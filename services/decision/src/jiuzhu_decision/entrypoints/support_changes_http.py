"""HTTP routes of the changes after approval (增发 / 减发 / 停发 / 渐退期), their written notices, and
the standard raise (提标). Who may decide: the body holding the authority for the jurisdiction and
category on the date — its principal leader where devolved, the district bureau's ``bureau_admin``
where not (``domain/authority.py``); the access policy refuses everyone else first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from jiuzhu_contracts import money
from jiuzhu_contracts.base import Role
from jiuzhu_contracts.events.support import ChangeCause
from jiuzhu_runtime.api_docs import examples
from jiuzhu_runtime.auth import AccessPolicy, Principal
from jiuzhu_runtime.documents import document_environment

from jiuzhu_decision.domain.supported_household import NoticeKind, SupportNotice, next_month
from jiuzhu_decision.service_layer import standard_raise, support_changes
from jiuzhu_decision.service_layer.standard_raise import RaiseReport
from jiuzhu_decision.service_layer.support import SupportContext

L, C, CM, BA = Role.LEADER, Role.CLERK, Role.COMMITTEE, Role.BUREAU_ADMIN
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
CATEGORY_ZH = {"dibao": "城乡最低生活保障", "tekun": "城乡特困人员救助供养", "low_income": "城乡低收入家庭",
               "temporary": "临时救助"}
TITLE = {NoticeKind.CHANGE: "社会救助保障金变更通知书", NoticeKind.GRADUAL_EXIT: "社会救助渐退通知书",
         NoticeKind.END: "社会救助停发通知书"}


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


Reason = Annotated[str, Field(min_length=2, max_length=500)]
Reasons = Field(min_length=1, max_length=20, description="理由（必填，写入书面通知）/ Reasons, stated in the notice "
                                                         "(D21 art. 32)")


class ChangeIn(Body):
    model_config = examples({"amount_fen": 60000, "cause": "re_review",
                             "reasons": ["定期核查：家庭成员务工收入增加，人均收入提高（D21第31、32条）"]})

    amount_fen: int = Field(ge=1, description="新的月保障金（分）/ The new monthly amount in fen")
    cause: ChangeCause
    reasons: list[Reason] = Reasons
    effective_month: str | None = Field(None, pattern=MONTH, description="生效月份；缺省按区配置（次月）/ From "
                                                                        "which month; default per [support_changes]")


class EndIn(Body):
    model_config = examples({"cause": "death", "reasons": ["户主于2022年3月5日死亡，单人户（D21第32条）"]})

    last_month_paid: str | None = Field(None, pattern=MONTH, description="最后发放月份；缺省为最早允许月份 / "
                                                                        "Last month paid; default the earliest allowed")
    cause: ChangeCause
    reasons: list[Reason] = Reasons


class GradualExitIn(Body):
    model_config = examples({"cause": "re_review", "reasons": ["家庭成员就业，人均收入超过低保标准（N22 §1.3）"]})

    months: int | None = Field(None, ge=1, le=6, description="渐退月数；缺省按区配置 / Months; default "
                                                             "[support_changes] gradual_exit_months")
    cause: ChangeCause
    reasons: list[Reason] = Reasons


class NoticeDeliveryIn(Body):
    model_config = examples({"delivered_on": "2022-03-03", "received_by": "柳树街社区居民委员会 王主任"})

    delivered_on: dt.date = Field(description="送达居（村）委会日期 / Date delivered to the committee")
    received_by: str = Field(min_length=2, max_length=100, description="签收人 / Who signed for it")


class RaiseIn(Body):
    model_config = examples({"year": 2023, "effective_month": "2023-01"})

    year: int = Field(ge=2000, le=2100, description="标准年度（区配置[[standards]]）/ The standards' year")
    effective_month: str = Field(pattern=MONTH, description="新标准生效月份 / From which month")


def notice_out(n: SupportNotice, case_id: str) -> dict:
    return {"case_id": case_id, "notice_no": n.notice_no, "kind": n.kind, "cause": n.cause,
            "decided_on": n.decided_on, "approving_body": n.body, "amount_before_fen": n.amount_before_fen,
            "amount_fen": n.amount_fen, "effective_month": n.effective_month, "last_month_paid": n.last_month_paid,
            "reasons": list(n.reasons), "due_on": n.due.due_on, "due_rule": n.due.rule,
            "delivered_on": n.delivered_on, "received_by": n.received_by}


def report_out(r: RaiseReport, jurisdiction: str) -> dict:
    return {"year": r.year, "effective_month": r.effective_month,
            "standards": [{"area": a, "dibao_fen": s.dibao_fen, "tekun_fen": s.tekun_fen}
                          for a, s in r.standards.items()],
            "totals": r.totals(jurisdiction),
            "households": [{"case_id": x.household.case_id, "public_name": x.household.public_name,
                            "committee": x.household.committee, "category": x.household.category,
                            "area": x.household.area, "household_size": x.household.household_size,
                            "monthly_income_fen": x.household.monthly_income_fen, "status": x.household.status,
                            "before_fen": x.result.before_fen, "computed_fen": x.result.computed_fen,
                            "after_fen": x.result.after_fen, "outcome": x.result.outcome} for x in r.lines]}


def router(ctx: SupportContext, access: AccessPolicy) -> APIRouter:
    api = APIRouter(tags=["supported households"])
    pages = document_environment(Path(__file__).parent / "templates")
    jurisdiction = ctx.config.jurisdiction(ctx.jurisdiction)
    pages.globals.update(CATEGORY_ZH=CATEGORY_ZH, TITLE=TITLE, district=ctx.config.district, jurisdiction=jurisdiction,
                         BODY_ZH={"jurisdiction": jurisdiction.name,
                                  "district_bureau": f"{ctx.config.district.name}民政局"},
                         yuan=money.yuan, next_month=next_month,
                         zh_month=lambda m: f"{m[:4]}年{int(m[5:7])}月" if m else "")
    deciders = access.allow(L, district=[BA])

    def acting(who: Principal) -> tuple:
        at_district = who.jurisdiction == ctx.district
        return who.actor(BA if at_district else L), at_district

    @api.post("/supported-households/{case_id}/changes",
              summary="增发、减发 / Change the monthly amount, with a written notice (D21 art. 32)")
    async def change(case_id: str, body: ChangeIn, who: Principal = Depends(deciders)) -> dict:
        actor, at_district = acting(who)
        n = await support_changes.change(ctx, case_id, amount_fen=body.amount_fen, cause=body.cause,
                                         reasons=tuple(body.reasons), effective_month=body.effective_month,
                                         actor=actor, at_district=at_district)
        return notice_out(n, case_id)

    @api.post("/supported-households/{case_id}/end",
              summary="停发 / End support, with a written notice (D21 art. 32; tekun T21 art. 26)")
    async def end(case_id: str, body: EndIn, who: Principal = Depends(deciders)) -> dict:
        actor, at_district = acting(who)
        n = await support_changes.end(ctx, case_id, last_month_paid=body.last_month_paid, cause=body.cause,
                                      reasons=tuple(body.reasons), actor=actor, at_district=at_district)
        return notice_out(n, case_id)

    @api.post("/supported-households/{case_id}/gradual-exit",
              summary="渐退期 / Start a gradual exit: paid for the configured months, then ended (N22 §1.3)")
    async def gradual_exit(case_id: str, body: GradualExitIn, who: Principal = Depends(deciders)) -> dict:
        actor, at_district = acting(who)
        n = await support_changes.start_gradual_exit(ctx, case_id, months=body.months, cause=body.cause,
                                                     reasons=tuple(body.reasons), actor=actor,
                                                     at_district=at_district)
        return notice_out(n, case_id)

    @api.get("/supported-households/notices/{notice_no}", response_class=HTMLResponse, tags=["documents"],
             summary="变更、渐退、停发通知书（可打印）/ Printable written notice of a change, gradual exit or end")
    async def notice(notice_no: str, _: Principal = Depends(access.allow(L, C, CM, district=[BA]))) -> HTMLResponse:
        h, n = await support_changes.notice(ctx, notice_no)
        return HTMLResponse(pages.get_template("support_notice.html").render(h=h, n=n))

    @api.post("/supported-households/notices/{notice_no}/delivery", tags=["documents"],
              summary="记录书面通知送达 / Record the notice's delivery to the committee")
    async def delivery(notice_no: str, body: NoticeDeliveryIn,
                       who: Principal = Depends(access.allow(L, C, district=[BA]))) -> dict:
        at_district = who.jurisdiction == ctx.district
        role = BA if at_district else (L if L in who.roles else C)
        n, due = await support_changes.deliver_notice(ctx, notice_no, delivered_on=body.delivered_on,
                                                      received_by=body.received_by, actor=who.actor(role))
        return {"notice_no": n.notice_no, "due_on": due.due_on, "delivered_on": n.delivered_on,
                "received_by": n.received_by, "on_time": n.delivered_on <= due.due_on}

    @api.post("/standard-raises/preview", tags=["standard raise"],
              summary="提标测算 / Before and after of every household under a year's standards")
    async def raise_preview(body: RaiseIn, _: Principal = Depends(access.allow(L, C, district=[BA]))) -> dict:
        return report_out(await standard_raise.preview(ctx, body.year, body.effective_month), ctx.jurisdiction)

    @api.post("/standard-raises/apply", tags=["standard raise"],
              summary="提标确认 / Apply a year's standards: one support_changed per household whose amount changes")
    async def raise_apply(body: RaiseIn, who: Principal = Depends(deciders)) -> dict:
        actor, at_district = acting(who)
        report, changed = await standard_raise.apply(ctx, body.year, body.effective_month, actor=actor,
                                                     at_district=at_district)
        return {**report_out(report, ctx.jurisdiction), "changed": changed}

    return api
