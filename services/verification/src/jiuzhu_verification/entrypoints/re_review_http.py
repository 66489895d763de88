"""HTTP routes of the periodic re-review (定期核查): the work list, opening one by hand, the steps
of a new case, and the reviewer's proposal. Who may call each is declared on the route."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field, StrictInt

from jiuzhu_contracts.base import Role
from jiuzhu_contracts.events.re_review import ReReviewCause, ReReviewOutcome
from jiuzhu_runtime.api_docs import examples
from jiuzhu_runtime.auth import AccessPolicy, Principal

from jiuzhu_verification.adapters.re_reviews import RE_REVIEWS
from jiuzhu_verification.domain.investigation import Person
from jiuzhu_verification.domain.re_review import Proposal, ReReview
from jiuzhu_verification.entrypoints.schemas import Body, ComputationOut, HomeVisitIn, HouseholdIn
from jiuzhu_verification.service_layer import commands as cmd
from jiuzhu_verification.service_layer import re_reviews
from jiuzhu_verification.service_layer.handlers import Verification

INV, REV, LEAD = Role.INVESTIGATOR, Role.REVIEWER, Role.LEADER
DISTRICT_READERS = [Role.INSPECTOR, Role.AUDITOR]


class ReReviewIn(Body):
    model_config = examples({"case_id": "650205001-2022-00001", "cause": "reported_change",
                              "reasons": ["居委会报告：户主已就业"], "occurred_on": "2022-03-01"})

    case_id: str = Field(min_length=1, max_length=40, description="保障对象案件编号 / The supported household")
    cause: ReReviewCause = Field(description="核查原因 / Why (periodic ones are opened by the schedule)")
    reasons: list[str] = Field(min_length=1, max_length=20, description="情况说明 / What was reported")
    occurred_on: dt.date | None = Field(None, description="发生日期（死亡日期必填）/ When it happened (death: required)")


class ProposalIn(Body):
    model_config = examples({"outcome": "change", "proposed_amount_fen": 80000, "reasons": ["家庭收入增加"],
                              "override_reason": None})

    outcome: ReReviewOutcome = Field(description="建议：继续 / 变更金额 / 停发 — continue, change, stop")
    proposed_amount_fen: StrictInt = Field(ge=0, description="拟保障金额（分），停发为0 / Proposed monthly amount")
    reasons: list[str] = Field(default_factory=list, max_length=20, description="理由 / Reasons (default: computed)")
    override_reason: str | None = Field(None, max_length=2000,
                                        description="与计算结果不同时的理由 / Why the proposal differs from the computation")


class ReReviewItemOut(BaseModel):
    case_id: str
    status: str
    round: int | None
    cause: str | None
    due_on: dt.date | None
    working_days_left: int | None
    public_name: str
    committee: str
    category: str
    profile: str


def item(h: ReReview, left: int | None) -> ReReviewItemOut:
    return ReReviewItemOut(case_id=h.case_id, status=h.status, round=h.current.round if h.current else None,
                           cause=h.current.cause if h.current else None, due_on=h.due_on, working_days_left=left,
                           public_name=h.public_name, committee=h.committee, category=h.category, profile=h.profile)


def router(ctx: Verification, access: AccessPolicy) -> APIRouter:
    api = APIRouter(tags=["re-review"])
    readers = access.allow(INV, REV, LEAD, district=DISTRICT_READERS)

    @api.get("/re-reviews", response_model=list[ReReviewItemOut],
             summary="定期核查工作清单（到期日在前）/ Re-reviews under way and due, the nearest date first")
    async def listing(due_before: dt.date | None = Query(None, description="含计划于此日前开启的 / and those scheduled "
                                                                           "by this day (default: today)"),
                      limit: int = Query(200, ge=1, le=5000), _: Principal = Depends(readers)):
        return [item(h, left) for h, left in await re_reviews.worklist(ctx, due_before, limit)]

    @api.post("/re-reviews", summary="因情况变化、死亡、抽查或举报开启核查 / Open a re-review on a reported change, "
                                     "a death, a spot-check finding or a petition")
    async def open_one(body: ReReviewIn, who: Principal = Depends(access.allow(INV, REV, LEAD))) -> dict:
        role = next(r for r in (INV, REV, LEAD) if r in who.roles)
        event = await re_reviews.open_re_review(ctx, re_reviews.OpenReReview(
            body.case_id, body.cause, tuple(body.reasons), body.occurred_on, who.actor(role)))
        return {"case_id": body.case_id, "round": event.round, "due": event.due.model_dump(mode="json")}

    @api.get("/re-reviews/{case_id}", summary="一户的定期核查记录 / A household's re-reviews")
    async def one(case_id: str, _: Principal = Depends(readers)) -> dict:
        return RE_REVIEWS.dump(await re_reviews.household(ctx, case_id))

    @api.post("/re-reviews/{case_id}/home-visit", summary="核查入户调查（两名调查人员）/ Record the home visit")
    async def home_visit(case_id: str, body: HomeVisitIn, who: Principal = Depends(access.allow(INV))) -> dict:
        await re_reviews.record_home_visit(ctx, cmd.RecordHomeVisit(
            case_id, body.visited_on, Person(body.partner.id, body.partner.name), body.living_conditions,
            body.findings, body.household_signed, who.actor(INV)))
        return {"case_id": case_id}

    @api.post("/re-reviews/{case_id}/household", summary="核查家庭信息并发起经济状况核对 / Household data and "
                                                        "the economic check")
    async def household(case_id: str, body: HouseholdIn, who: Principal = Depends(access.allow(INV))) -> dict:
        request_id = await re_reviews.record_household(ctx, cmd.RecordHousehold(
            case_id, tuple(body.members), tuple(body.incomes), tuple(body.assets), dict(body.facts), who.actor(INV),
            tekun_persons=body.tekun_entries()))
        return {"case_id": case_id, "check_request_id": request_id}

    @api.get("/re-reviews/{case_id}/computation", response_model=ComputationOut,
             summary="按现行标准计算的结果 / The computed eligibility and amount (reviewer)")
    async def computation(case_id: str, who: Principal = Depends(access.allow(REV))) -> ComputationOut:
        r, result = await re_reviews.preview(ctx, case_id, who.actor(REV))
        income, assets = r.means()
        return ComputationOut(case_id=case_id, eligible=result.eligible, amount_fen=result.amount_fen,
                              reasons=list(result.reasons), household_size=r.household.size,
                              monthly_income_fen=income, countable_assets_fen=assets)

    @api.post("/re-reviews/{case_id}/review", summary="签署核查意见：继续、变更或停发 / Sign the proposal: "
                                                     "continue, change or stop (reviewer, not an investigator)")
    async def review(case_id: str, body: ProposalIn, who: Principal = Depends(access.allow(REV))) -> dict:
        event = await re_reviews.complete(ctx, re_reviews.CompleteReReview(
            case_id, Proposal(body.outcome, body.proposed_amount_fen, tuple(body.reasons), body.override_reason),
            who.actor(REV)))
        return {"case_id": case_id, "round": event.round, "outcome": event.outcome,
                "proposed_amount_fen": event.proposed_amount_fen, "computed_amount_fen": event.computed_amount_fen,
                "next_on": event.next_on}

    return api
