"""Request and response bodies of the decision API (中文 / English)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from jiuzhu_contracts.base import ApprovingBody, Category
from jiuzhu_runtime.api_docs import examples

from jiuzhu_decision.domain.decision_case import PublicityState


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DecisionIn(Body):
    model_config = examples({"approve": True, "reasons": []},
                            {"approve": False, "reasons": ["家庭人均月收入不低于低保标准（D21第7条）"]})

    approve: bool = Field(description="批准或不予批准 / Approve (true) or refuse (false)")
    reasons: list[str] = Field(default_factory=list, max_length=20,
                               description="不予批准的理由（必填）/ Reasons; required for a refusal")


class DeliveryIn(Body):
    model_config = examples({"delivered_on": "2022-03-01", "received_by": "柳树街社区居民委员会 王主任"})

    delivered_on: dt.date = Field(description="送达居（村）委会日期 / Date delivered to the committee")
    received_by: str = Field(min_length=2, max_length=100, description="签收人 / Who signed for it")


class EndSupportIn(Body):
    model_config = examples({"last_month_paid": "2022-06", "reasons": ["家庭成员就业，人均收入已超过低保标准（D21第32条）"]})

    last_month_paid: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="最后发放月份 / Last month paid")
    reasons: list[str] = Field(min_length=1, max_length=20, description="停发理由 / Reasons (D21 art. 32)")


class AuthorityOut(BaseModel):
    category: Category
    body: ApprovingBody
    effective_from: dt.date
    instrument: str | None


class PendingOut(BaseModel):
    case_id: str
    category: Category
    applicant_name: str
    publicity: PublicityState
    decision_due: dt.date | None = Field(description="决定期限 / When the decision is due, if a clock runs")
    may_approve: bool
    may_refuse: bool


class DecisionOut(BaseModel):
    case_id: str
    approved: bool
    decided_on: dt.date
    amount_fen: int
    first_month_paid: str | None = Field(description="首次发放月份 / First month paid (an approval)")
    approving_body: ApprovingBody
    refusal_notice_due: dt.date | None = Field(None, description="书面通知期限 / Only for a refusal")


class DeliveryOut(BaseModel):
    case_id: str
    notice_no: str
    due_on: dt.date
    delivered_on: dt.date
    on_time: bool


class SupportEndedOut(BaseModel):
    case_id: str
    status: Literal["ended"]
