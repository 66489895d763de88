"""Oversight's HTTP API: district staff read and supervise; a jurisdiction's leader reads its own
feedback and answers its own orders. Oversight approves nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from jiuzhu_contracts.base import Role
from jiuzhu_contracts.events.oversight import SpotCheckFindings
from jiuzhu_runtime.api_docs import examples
from jiuzhu_runtime.auth import AccessPolicy, Principal
from jiuzhu_runtime.documents import document_environment
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_oversight.domain.rectification import ORDER_KINDS_ZH
from jiuzhu_oversight.entrypoints import statistics_files
from jiuzhu_oversight.entrypoints.statistics_scope import statistics_scope
from jiuzhu_oversight.service_layer import queries, statistics, supervision
from jiuzhu_oversight.service_layer.context import Oversight

INS, BA, AUD, LEAD = Role.INSPECTOR, Role.BUREAU_ADMIN, Role.AUDITOR, Role.LEADER
READERS = [INS, BA, AUD]
MONTH = Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")


def zh_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DrawIn(Body):
    model_config = examples({"month": "2022-03"})

    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="抽查月份 / Month of the filings")


class FindingsIn(Body):
    model_config = examples({"target_correct": True, "procedure_followed": False, "materials_complete": True,
                             "feedback": "民主评议记录缺少参加人员签字"})

    target_correct: bool = Field(description="对象认定是否准确 / Target identified correctly")
    procedure_followed: bool = Field(description="办理程序是否规范 / Procedure followed")
    materials_complete: bool = Field(description="审批材料是否齐全 / Materials complete")
    feedback: str = Field(min_length=2, max_length=4000, description="书面反馈意见 / Written feedback")


class OrderIn(Body):
    model_config = examples({"jurisdiction": "650205100", "kind": "missed_coverage",
                             "findings": "举报电话反映哈克村一户应保未保", "concerning_case": None})

    jurisdiction: str = Field(pattern=r"^\d{6,12}$", description="整改对象辖区 / Jurisdiction ordered")
    kind: Literal["missed_coverage", "irregular_approval", "procedure"] = Field(
        description="漏保 / 审批不规范 / 程序问题")
    findings: str = Field(min_length=2, max_length=4000, description="问题 / Findings")
    concerning_case: str | None = Field(None, max_length=40, description="相关案件 / Case concerned, if any")


class AnswerIn(Body):
    model_config = examples({"answer": "已入户核实并受理其申请"})

    answer: str = Field(min_length=2, max_length=4000, description="整改情况 / What was done")


def router(ctx: Oversight, access: AccessPolicy) -> APIRouter:
    api = APIRouter()
    pages = document_environment(Path(__file__).parent / "templates")
    pages.globals.update(district=ctx.config.district, names={j.code: j.name for j in ctx.config.jurisdictions})
    pages.filters["zh_date"] = zh_date

    def own_or_district(who: Principal, jurisdiction: str) -> None:
        if who.jurisdiction not in (ctx.district, jurisdiction):
            raise DomainRefusal(f"this concerns jurisdiction {jurisdiction}; the token acts for {who.jurisdiction}",
                                rule="a jurisdiction sees only its own supervision records", status=403)

    @api.get("/cases", tags=["register"], summary="全区案件登记 / The district's case register")
    async def cases(jurisdiction: str | None = Query(None, max_length=12), stage: str | None = Query(None, max_length=30),
                    limit: int = Query(200, ge=1, le=5000), _: Principal = Depends(access.allow(district=READERS))):
        return await queries.cases(ctx, jurisdiction=jurisdiction, stage=stage, limit=limit)

    @api.get("/cases/{case_id}", tags=["register"], summary="案件时间线 / A case's timeline")
    async def case(case_id: str, _: Principal = Depends(access.allow(district=READERS))):
        return await queries.case(ctx, case_id)

    @api.get("/deadlines", tags=["deadlines"], summary="超时及临期事项 / Overdue and due-soon work per jurisdiction")
    async def deadlines(within_working_days: int = Query(2, ge=0, le=30),
                        _: Principal = Depends(access.allow(district=READERS))):
        return await queries.deadlines(ctx, within_working_days)

    @api.post("/spot-checks/draw", tags=["spot checks"], summary="抽取备案抽查样本（≥30%）/ Draw the month's sample")
    async def draw(body: DrawIn, who: Principal = Depends(access.allow(district=[INS]))):
        return await supervision.draw_month(ctx, body.month, who.actor(INS))

    @api.get("/spot-checks", tags=["spot checks"], summary="抽查清单 / Drawn cases and findings")
    async def checks(month: str = MONTH, _: Principal = Depends(access.allow(district=READERS))):
        return await queries.spot_checks(ctx, month)

    @api.get("/spot-checks/redraw", tags=["spot checks"],
             summary="以记录的种子重抽核验 / Redraw from the recorded seed (auditor)")
    async def redraw(jurisdiction: str = Query(max_length=12), month: str = MONTH,
                     _: Principal = Depends(access.allow(district=[AUD, INS]))):
        return await supervision.redraw(ctx, jurisdiction, month)

    @api.post("/spot-checks/{case_id}/findings", tags=["spot checks"],
              summary="抽查结论及书面反馈 / Record the three findings and the written feedback (inspector)")
    async def findings(case_id: str, body: FindingsIn, who: Principal = Depends(access.allow(district=[INS]))):
        return await supervision.record_findings(
            ctx, case_id, SpotCheckFindings(target_correct=body.target_correct, procedure_followed=body.procedure_followed,
                                            materials_complete=body.materials_complete), body.feedback, who.actor(INS))

    @api.get("/spot-checks/{case_id}/feedback", response_class=HTMLResponse, tags=["spot checks"],
             summary="备案抽查书面反馈（可打印）/ The written feedback document")
    async def feedback(case_id: str, who: Principal = Depends(access.allow(LEAD, district=READERS))):
        row = await queries.completed_spot_check(ctx, case_id)
        own_or_district(who, row.jurisdiction)
        return HTMLResponse(pages.get_template("feedback.html").render(check=row))

    @api.post("/rectifications", status_code=201, tags=["rectification"],
              summary="书面限期整改通知 / Order a rectification, e.g. on a report of missed coverage (inspector)")
    async def order(body: OrderIn, who: Principal = Depends(access.allow(district=[INS]))):
        order_no = await supervision.order_rectification(ctx, jurisdiction=body.jurisdiction,
                                                         case_id=body.concerning_case, kind=body.kind,
                                                         findings=body.findings, actor=who.actor(INS))
        return {"order_no": order_no}

    @api.get("/rectifications", tags=["rectification"], summary="整改通知 / Orders (a leader sees its own)")
    async def orders(who: Principal = Depends(access.allow(LEAD, district=READERS))):
        return await queries.rectifications(ctx, None if who.jurisdiction == ctx.district else who.jurisdiction)

    @api.get("/rectifications/{order_no}/order", response_class=HTMLResponse, tags=["rectification"],
             summary="整改通知书（可打印）/ The written rectification order (plan 六(二))")
    async def order_document(order_no: str, who: Principal = Depends(access.allow(LEAD, district=READERS))):
        row = await queries.rectification(ctx, order_no)
        own_or_district(who, row.jurisdiction)
        return HTMLResponse(pages.get_template("rectification_order.html").render(order=row, kinds=ORDER_KINDS_ZH))

    @api.post("/rectifications/{order_no}/answer", tags=["rectification"],
              summary="辖区整改答复 / The jurisdiction answers its order (its leader)")
    async def answer(order_no: str, body: AnswerIn, who: Principal = Depends(access.allow(LEAD))):
        return await supervision.answer_rectification(ctx, order_no, body.answer, who.actor(LEAD), who.jurisdiction)

    @api.get("/alerts", tags=["register"], summary="跨辖区重复救助预警 / Same person in two jurisdictions")
    async def duplicate_alerts(_: Principal = Depends(access.allow(district=READERS))):
        return await queries.alerts(ctx)

    @api.get("/statistics", tags=["statistics"],
             summary="月度、年度统计（JSON/CSV/XLSX）；街道（乡镇）只读本辖区 / Monthly or yearly statistics; "
                     "a jurisdiction reads its own")
    async def stats(month: str | None = Query(None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM"),
                    year: str | None = Query(None, pattern=r"^\d{4}$", description="YYYY：年度统计 / a year"),
                    jurisdiction: str | None = Query(None, pattern=r"^\d{6,12}$",
                                                     description="辖区；空为全区（街道只能是本辖区）"),
                    format: Literal["json", "csv", "xlsx"] = "json",
                    who: Principal = Depends(access.allow(LEAD, Role.CLERK, district=READERS))):
        if bool(month) == bool(year):
            raise DomainRefusal("give a month (YYYY-MM) or a year (YYYY), one of them", field="month",
                                rule="statistics are monthly or yearly", status=422)
        period = month or year
        scope = statistics_scope(ctx, who, jurisdiction)
        rows = await statistics.for_period(ctx, period, scope)
        name = f"statistics-{scope + '-' if scope else ''}{period}"
        if format == "csv":
            return Response(statistics_files.to_csv(rows).encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
        if format == "xlsx":
            return Response(statistics_files.to_xlsx(rows),
                            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
        return rows

    @api.get("/audit/cases/{case_id}", tags=["audit"], summary="案件完整审计记录 / A case's full trail (auditor)")
    async def trail(case_id: str, _: Principal = Depends(access.allow(district=[AUD, INS]))):
        return await queries.trail(ctx, case_id)

    @api.get("/dead-letters", tags=["audit"], summary="无法处理的消息 / Dead-lettered events with their reasons")
    async def dead(limit: int = Query(200, ge=1, le=5000), _: Principal = Depends(access.allow(district=READERS))):
        return await queries.dead_letters(ctx, limit)

    return api
