"""What the district must look at now: messages refused as not authentic (security alerts) and
cases standing still because an event about them was dead-lettered."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from jiuzhu_contracts.base import Role
from jiuzhu_runtime.auth import AccessPolicy, Principal

from jiuzhu_oversight.service_layer import queries
from jiuzhu_oversight.service_layer.context import Oversight

READERS = [Role.INSPECTOR, Role.BUREAU_ADMIN, Role.AUDITOR]


def router(ctx: Oversight, access: AccessPolicy) -> APIRouter:
    api = APIRouter(tags=["alerts"])

    @api.get("/security-alerts",
             summary="安全告警：被拒绝的伪造或未签名消息 / Messages refused as not authentic (forged, unsigned, wrong producer)")
    async def security_alerts(limit: int = Query(200, ge=1, le=5000),
                              _: Principal = Depends(access.allow(district=READERS))):
        return await queries.security_alerts(ctx, limit)

    @api.get("/stranded-cases",
             summary="因事件无法处理而停滞的案件 / Cases standing still: an event about them was dead-lettered")
    async def stranded(limit: int = Query(500, ge=1, le=5000), _: Principal = Depends(access.allow(district=READERS))):
        return await queries.stranded_cases(ctx, limit)

    return api
