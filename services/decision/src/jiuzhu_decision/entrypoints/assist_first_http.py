"""HTTP route of the assist-first decision (先行救助, L18 §2(二)2; issue 16 item 1)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from jiuzhu_contracts.base import Due, Role
from jiuzhu_runtime.api_docs import examples
from jiuzhu_runtime.auth import AccessPolicy, Principal

from jiuzhu_decision.service_layer import commands as cmd
from jiuzhu_decision.service_layer.handlers import DecisionContext
from jiuzhu_decision.service_layer.temporary_assistance import assist_first

L, BA = Role.LEADER, Role.BUREAU_ADMIN


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TrancheIn(Body):
    amount_fen: StrictInt = Field(ge=1, description="本次发放金额（分）/ This tranche, fen")
    payable_on: dt.date = Field(description="可发放日期；首次为决定当日 / First day payable; the first is today")


class AssistFirstIn(Body):
    model_config = examples({"amount_fen": 270000, "reasons": ["家中失火，基本生活暂时出现严重困难"]},
                            {"amount_fen": 600000, "reasons": ["重病住院，自付医疗费用高"],
                             "large_amount_reason": "自付医疗费用超过3万元，经集体研究一事一议",
                             "tranches": [{"amount_fen": 400000, "payable_on": "2022-03-01"},
                                          {"amount_fen": 200000, "payable_on": "2022-04-01"}]})

    amount_fen: StrictInt = Field(ge=1, description="救助金额（分），在配置的档次内 / The amount by need, fen")
    tranches: list[TrancheIn] = Field(default_factory=list, max_length=12, description=(
        "分次发放（可选；各次之和等于救助金额）/ Tranches (optional; sum to the amount); none: one, today"))
    reasons: list[str] = Field(min_length=1, max_length=20, description="急难情形 / The emergency")
    large_amount_reason: str | None = Field(None, max_length=1000, description=(
        "大额一事一议的理由（超过配置的大额线时必填）/ The case-by-case reason, required above the large-amount line"))


class TrancheOut(BaseModel):
    no: int
    amount_fen: int
    payable_on: dt.date


class AssistFirstOut(BaseModel):
    case_id: str
    decided_on: dt.date
    amount_fen: int
    tranches: list[TrancheOut]
    large: bool = Field(description="大额（一事一议）/ A large amount, decided case by case")
    follow_up: str = Field(description="complete_afterwards: 事后补齐调查与公示 / skipped: 小额，不再补齐")
    follow_up_due: Due | None
    approving_body: str


def router(ctx: DecisionContext, access: AccessPolicy) -> APIRouter:
    api = APIRouter(tags=["decision"])

    @api.post("/cases/{case_id}/assist-first", summary=(
        "先行救助：急难型临时救助当场决定 / Assist first: decide a temporary emergency at once (the leader "
        "after devolution, the district bureau where not devolved)"))
    async def decide_at_once(case_id: str, body: AssistFirstIn,
                             who: Principal = Depends(access.allow(L, district=[BA]))) -> AssistFirstOut:
        at_district = who.jurisdiction == ctx.district
        case = await assist_first(ctx, cmd.AssistFirst(
            case_id, body.amount_fen, tuple((t.amount_fen, t.payable_on) for t in body.tranches),
            tuple(body.reasons), body.large_amount_reason, who.actor(BA if at_district else L), at_district))
        g = case.grant
        return AssistFirstOut(case_id=case_id, decided_on=case.decision.decided_on, amount_fen=g.amount_fen,
                              tranches=[TrancheOut(no=t.no, amount_fen=t.amount_fen, payable_on=t.payable_on)
                                        for t in g.tranches], large=g.large, follow_up=g.follow_up,
                              follow_up_due=g.follow_up_due, approving_body=case.decision.body)

    return api
