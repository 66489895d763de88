"""GET /fund-plan/projection: the district's staff read the district's or any jurisdiction's plan;
a jurisdiction's leader its own only (plan 四(二)3–4), another's refused with the rule."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from jiuzhu_contracts.base import Role
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.auth import AccessPolicy, Principal

from jiuzhu_disbursement.entrypoints import fund_plan_files
from jiuzhu_disbursement.service_layer import fund_plan
from jiuzhu_disbursement.service_layer.handlers import Disbursement

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
OWN_PLAN_RULE = ("乌尔禾区工作方案 四(二)3–4：街道（乡镇）只读本辖区的资金需求测算 / "
                 "a jurisdiction reads its own fund plan only")


def scope(ctx: Disbursement, who: Principal, jurisdiction: str | None) -> str | None:
    codes = {j.code for j in ctx.config.jurisdictions}
    if jurisdiction and jurisdiction not in codes:
        raise DomainRefusal(f"{jurisdiction} is not a jurisdiction of district {ctx.district}",
                            rule="a fund plan is of the district or one of its jurisdictions", status=422,
                            field="jurisdiction")
    if who.jurisdiction == ctx.district:
        return jurisdiction
    if jurisdiction and jurisdiction != who.jurisdiction:
        raise DomainRefusal(f"资金需求计划属于{jurisdiction}，不是本辖区{who.jurisdiction} / another jurisdiction's plan",
                            rule=OWN_PLAN_RULE, status=403, field="jurisdiction")
    return who.jurisdiction


def router(ctx: Disbursement, access: AccessPolicy) -> APIRouter:
    api = APIRouter()

    @api.get("/fund-plan/projection", tags=["register"],
             summary="资金需求预测（在保、预计新增与退出、临时救助、提标；JSON/CSV/XLSX）/ The fund plan projected "
                     "per jurisdiction, category and month")
    async def projection(start: str | None = Query(None, pattern=MONTH, description="首月；空为下月 / default: next month"),
                         months: int | None = Query(None, ge=1, le=36, description="月数；空为区配置 [fund_plan] months"),
                         jurisdiction: str | None = Query(None, pattern=r"^\d{6,12}$",
                                                          description="辖区；空为全区（街道只能是本辖区）"),
                         format: Literal["json", "csv", "xlsx"] = "json",
                         who: Principal = Depends(access.allow(Role.LEADER, district=[Role.BUREAU_ADMIN, Role.FINANCE,
                                                                                       Role.INSPECTOR, Role.AUDITOR]))):
        plan = await fund_plan.projection(ctx, start, months, scope(ctx, who, jurisdiction))
        name = f"fund-plan-{plan['jurisdiction'] + '-' if plan['jurisdiction'] else ''}{plan['rows'][0]['month']}"
        if format == "csv":
            return Response(fund_plan_files.to_csv(plan), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
        if format == "xlsx":
            return Response(fund_plan_files.to_xlsx(plan),
                            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
        return plan

    return api
