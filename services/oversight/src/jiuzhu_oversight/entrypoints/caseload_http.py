"""Oversight's view of the standing caseload (issue 15): the decisions on supported households
filed with the district in a month — imported, amount changed, gradual exit, ended."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from jiuzhu_contracts.base import Role
from jiuzhu_runtime.auth import AccessPolicy, Principal

from jiuzhu_oversight.adapters import caseload_register
from jiuzhu_oversight.service_layer.context import Oversight

READERS = [Role.INSPECTOR, Role.BUREAU_ADMIN, Role.AUDITOR]


def router(ctx: Oversight, access: AccessPolicy) -> APIRouter:
    api = APIRouter()

    @api.get("/support-filings", tags=["register"],
             summary="救助变更备案 / Decisions on supported households filed in a month")
    async def support_filings(month: str = Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM"),
                              jurisdiction: str | None = Query(None, max_length=12),
                              limit: int = Query(1000, ge=1, le=20000),
                              _: Principal = Depends(access.allow(district=READERS))):
        async with ctx.unit_of_work() as uow:
            rows = await caseload_register.filings(uow.session, month, jurisdiction, limit)
        return [dict(r._mapping) for r in rows]

    return api
