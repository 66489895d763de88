"""HTTP routes of the supported households (保障对象): the list and one household."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from jiuzhu_contracts.base import Role
from jiuzhu_runtime.auth import AccessPolicy, Principal

from jiuzhu_decision.domain.supported_household import SupportedHousehold, SupportStatus
from jiuzhu_decision.service_layer import support
from jiuzhu_decision.service_layer.support import SupportContext

L, C, CM = Role.LEADER, Role.CLERK, Role.COMMITTEE
DISTRICT_READERS = [Role.INSPECTOR, Role.AUDITOR, Role.BUREAU_ADMIN, Role.FINANCE]


def household_out(h: SupportedHousehold) -> dict:
    return {"case_id": h.case_id, "category": h.category, "area": h.area, "committee": h.committee,
            "public_name": h.public_name, "household_size": h.household_size, "status": h.status,
            "approved_on": h.approved_on, "first_month_paid": h.first_month_paid, "amount_fen": h.amount_fen,
            "amounts": [{"month": a.month, "amount_fen": a.amount_fen} for a in h.amounts],
            "last_month_paid": h.last_month_paid, "address": h.address, "notices": list(h.notices),
            "tekun_levels": list(h.tekun_levels) if h.tekun_levels is not None else None,
            "migrated": None if h.migration is None else {"file_name": h.migration.file_name,
                                                          "file_sha256": h.migration.file_sha256,
                                                          "row": h.migration.row}}


def router(ctx: SupportContext, access: AccessPolicy) -> APIRouter:
    api = APIRouter(tags=["supported households"])
    readers = access.allow(L, C, CM, district=DISTRICT_READERS)

    @api.get("/supported-households", summary="保障对象名册 / The households on support here")
    async def listing(status: SupportStatus | None = None, committee: str | None = Query(None, max_length=100),
                      limit: int = Query(1000, ge=1, le=100_000), _: Principal = Depends(readers)) -> list[dict]:
        return [household_out(h) for h in await support.households(ctx, status=status, committee=committee,
                                                                    limit=limit)]

    @api.get("/supported-households/{case_id}", summary="一户保障对象 / One household on support")
    async def one(case_id: str, _: Principal = Depends(readers)) -> dict:
        return household_out(await support.household(ctx, case_id))

    return api
