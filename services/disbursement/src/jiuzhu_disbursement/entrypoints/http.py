"""HTTP routes of disbursement: the bureau compiles and submits, the finance bureau downloads and
confirms."""

from __future__ import annotations

import io
from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from jiuzhu_contracts.base import Role
from jiuzhu_contracts.money import yuan
from jiuzhu_runtime.api_docs import examples
from jiuzhu_runtime.auth import AccessPolicy, Principal
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_disbursement.adapters import amount_history, roster_headers, roster_sql
from jiuzhu_disbursement.adapters.tables import recipients
from jiuzhu_disbursement.domain.amounts import register_row
from jiuzhu_disbursement.service_layer import handlers
from jiuzhu_disbursement.service_layer.handlers import Disbursement, summary

BA, FIN, INS, AUD = Role.BUREAU_ADMIN, Role.FINANCE, Role.INSPECTOR, Role.AUDITOR
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CompileIn(Body):
    model_config = examples({"month": "2022-04", "jurisdiction": None}, {"month": "2022-04", "jurisdiction": "650205001"})

    month: str = Field(pattern=MONTH, description="发放月份 / Month paid")
    jurisdiction: str | None = Field(None, pattern=r"^\d{6,12}$", description="辖区；空为全区 / Empty: district")


class PaymentIn(Body):
    model_config = examples({"case_id": "650205001-2022-00001", "category": "dibao", "month": "2022-04",
                             "status": "failed", "failure_reason": "账户已销户"})

    case_id: str = Field(max_length=40)
    category: Literal["dibao", "tekun", "low_income", "temporary"]
    month: str = Field(pattern=MONTH)
    status: Literal["paid", "failed"]
    failure_reason: str | None = Field(None, max_length=500)


class ConfirmIn(Body):
    model_config = examples({"all": "paid"}, {"lines": [{"case_id": "650205001-2022-00001", "category": "dibao",
                                                      "month": "2022-04", "status": "paid"}]})

    all: Literal["paid"] | None = Field(None, description="整批确认已发放 / Confirm every line paid")
    lines: list[PaymentIn] = Field(default_factory=list, max_length=100000, description="逐行确认 / Line by line")


def router(ctx: Disbursement, access: AccessPolicy) -> APIRouter:
    api = APIRouter()

    async def roster_row(rid: str):
        async with ctx.unit_of_work() as uow:
            row = await roster_headers.get(uow.session, rid)
        if row is None:
            raise DomainRefusal(f"no roster {rid}", rule="exists", status=404)
        return row

    async def downloadable(rid: str, who: Principal):
        row = await roster_row(rid)
        if FIN in who.roles and BA not in who.roles and row.status != "submitted":
            raise DomainRefusal(f"roster {rid} is {row.status}; the finance bureau receives submitted rosters",
                                rule="plan 五(五): the bureau submits the roster to finance", status=409)
        return row

    @api.post("/rosters", tags=["rosters"], summary="编制月度名册 / Compile a month's roster (bureau_admin)")
    async def compile_(body: CompileIn, who: Principal = Depends(access.allow(district=[BA]))):
        return await handlers.compile_roster(ctx, body.month, body.jurisdiction, who.actor(BA))

    @api.get("/rosters", tags=["rosters"], summary="名册列表 / Rosters of a month")
    async def list_(month: str = Query(pattern=MONTH), _: Principal = Depends(access.allow(district=[BA, FIN, INS, AUD]))):
        async with ctx.unit_of_work() as uow:
            rows = await roster_headers.of_month(uow.session, month)
        return [summary(r) for r in rows]

    @api.get("/rosters/{rid}", tags=["rosters"], summary="名册概要及版本差异 / A roster, its totals and difference")
    async def get_(rid: str, _: Principal = Depends(access.allow(district=[BA, FIN, INS, AUD]))):
        return summary(await roster_row(rid))

    @api.post("/rosters/{rid}/submit", tags=["rosters"], summary="报送财政（锁定）/ Submit to finance; locks it")
    async def submit(rid: str, who: Principal = Depends(access.allow(district=[BA]))):
        return await handlers.submit_roster(ctx, rid, who.actor(BA))

    @api.get("/rosters/{rid}/export.csv", tags=["rosters"],
             summary="下载名册 CSV（含合计和校验码）/ Roster as CSV with totals and checksum")
    async def export_csv(rid: str, who: Principal = Depends(access.allow(district=[BA, FIN, AUD]))):
        row = await downloadable(rid, who)

        async def body():
            async with ctx.unit_of_work() as uow:
                async for chunk in roster_sql.canonical_export(uow.session, rid):
                    yield chunk
            trailer = ["", "# totals: category,households,amount_fen,amount_yuan"]
            trailer += [f"# {c},{v[0]},{v[1]},{yuan(v[1])}" for c, v in row.totals.items()]
            trailer += [f"# sha256 of the lines above: {row.checksum}"]
            yield ("\n".join(trailer) + "\n").encode()

        return StreamingResponse(body(), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{rid}.csv"', "X-Roster-Checksum": row.checksum})

    @api.get("/rosters/{rid}/export.xlsx", tags=["rosters"],
             summary="下载名册 XLSX（名册、合计、校验码）/ Roster as XLSX")
    async def export_xlsx(rid: str, who: Principal = Depends(access.allow(district=[BA, FIN, AUD]))):
        from openpyxl import Workbook

        row = await downloadable(rid, who)
        book = Workbook(write_only=True)
        sheet = book.create_sheet("名册")
        sheet.append(["辖区", "案件编号", "类别", "月份", "金额（分）", "姓名", "账号", "类型"])
        async with ctx.unit_of_work() as uow:
            for line in await roster_sql.all_lines(uow.session, rid):
                sheet.append([line.jurisdiction, line.case_id, line.category, line.month, line.amount_fen, line.name,
                              line.account, line.kind])
        summary_sheet = book.create_sheet("合计")
        summary_sheet.append(["类别", "户数", "金额（分）", "金额（元）"])
        for c, v in row.totals.items():
            summary_sheet.append([c, v[0], v[1], yuan(v[1])])
        summary_sheet.append(["校验码 SHA-256（CSV 名册行）", row.checksum])
        out = io.BytesIO()
        book.save(out)
        return Response(out.getvalue(), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{rid}.xlsx"',
                                 "X-Roster-Checksum": row.checksum})

    @api.post("/rosters/{rid}/payments", tags=["payments"],
              summary="确认发放（逐行或整批）/ Confirm payments line by line or in bulk (finance)")
    async def confirm(rid: str, body: ConfirmIn, who: Principal = Depends(access.allow(district=[FIN]))):
        if not body.all and not body.lines:
            raise DomainRefusal("give all='paid' or at least one line", rule="form", status=422, field="lines")
        lines = [(l.case_id, l.category, l.month, l.status, l.failure_reason) for l in body.lines]
        return await handlers.confirm_payments(ctx, rid, all_status=body.all, lines=lines or None,
                                               actor=who.actor(FIN))

    @api.get("/rosters/{rid}/payments", tags=["payments"],
             summary="发放结果（逐行）/ Where each line of a submitted roster stands: submitted, paid, failed")
    async def payments(rid: str, limit: int = Query(10000, ge=1, le=100000),
                       _: Principal = Depends(access.allow(district=[BA, FIN, INS, AUD]))):
        async with ctx.unit_of_work() as uow:
            return await roster_sql.claims(uow.session, rid, limit)

    @api.get("/recipients", tags=["register"], summary="在保对象登记 / Active-recipients register: the amount in "
             "force in the month (default: this month), the amount approved, and each change (增发 / 减发 / 提标)")
    async def register(jurisdiction: str | None = Query(None, max_length=12), limit: int = Query(500, ge=1, le=10000),
                       month: str | None = Query(None, pattern=MONTH),
                       _: Principal = Depends(access.allow(district=[BA, INS, AUD]))):
        query = select(recipients).order_by(recipients.c.case_id).limit(limit)
        if jurisdiction:
            query = query.where(recipients.c.jurisdiction == jurisdiction)
        async with ctx.unit_of_work() as uow:
            rows = [dict(r._mapping) for r in (await uow.session.execute(query)).all()]
            changes = await amount_history.changes_of(uow.session, [r["case_id"] for r in rows])
        in_month = month or ctx.clock.today().strftime("%Y-%m")
        return [register_row(r, in_month, changes.get(r["case_id"], {})) for r in rows]

    @api.get("/fund-plan", tags=["register"], summary="资金需求计划 / Projected monthly need per category")
    async def plan(start: str = Query(pattern=MONTH), months: int = Query(6, ge=1, le=36),
                   _: Principal = Depends(access.allow(district=[BA, FIN, INS, AUD]))):
        return await handlers.fund_plan(ctx, start, months)

    return api
