"""HTTP routes of the re-reviews' proposals (定期核查): the authority's queue, a household's
re-reviews, and continuing support. Changing or ending it uses the supported household's routes."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from jiuzhu_contracts.base import Role
from jiuzhu_runtime.api_docs import examples
from jiuzhu_runtime.auth import AccessPolicy, Principal

from jiuzhu_decision.service_layer import re_review_outcomes
from jiuzhu_decision.service_layer.support import SupportContext

L, C, BA = Role.LEADER, Role.CLERK, Role.BUREAU_ADMIN
DISTRICT_READERS = [Role.INSPECTOR, Role.AUDITOR, Role.BUREAU_ADMIN]


class ContinueIn(BaseModel):
    model_config = ConfigDict(extra="forbid") | examples({"reasons": []},
                                                        {"reasons": ["核查后收入变化属临时性，继续按原标准保障"]})

    reasons: list[str] = Field(default_factory=list, max_length=20,
                               description="理由（核查建议变更或停发时必填）/ Reasons (required against a proposal "
                                           "to change or stop, D21 art. 32)")


def router(ctx: SupportContext, access: AccessPolicy) -> APIRouter:
    api = APIRouter(tags=["re-review outcomes"])
    readers = access.allow(L, C, district=DISTRICT_READERS)

    def at_district(who: Principal) -> bool:
        return who.jurisdiction == ctx.district

    @api.get("/re-review-outcomes", summary="待决定的定期核查结果 / Re-review proposals (pending: awaiting the "
                                            "authority)")
    async def listing(status: Literal["pending", "continued", "acted"] | None = None,
                      limit: int = Query(1000, ge=1, le=10_000), _: Principal = Depends(readers)) -> list[dict]:
        return await re_review_outcomes.listing(ctx, status=status, limit=limit)

    @api.get("/re-review-outcomes/{case_id}", summary="一户的定期核查结果 / A household's re-review proposals")
    async def of_household(case_id: str, _: Principal = Depends(readers)) -> list[dict]:
        return await re_review_outcomes.listing(ctx, case_id=case_id)

    @api.post("/re-review-outcomes/{case_id}/continue",
              summary="核查后继续保障（金额不变）/ Continue support unchanged after the re-review (the authority)")
    async def continue_(case_id: str, body: ContinueIn, who: Principal = Depends(access.allow(L, district=[BA]))):
        role = BA if at_district(who) else L
        return await re_review_outcomes.continue_support(ctx, case_id, tuple(body.reasons), who.actor(role),
                                                         at_district=at_district(who))

    return api
