"""Oversight's HTTP API: district staff read and supervise; a jurisdiction's leader reads its own
feedback and answers its own orders. Oversight approves nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from jiuzhu_contracts.base import Role
from jiuzhu_contracts.events.oversight import SpotCheckFindings
from jiuzhu_runtime.api_docs import examples
from jiuzhu_runtime.auth import AccessPolicy, Principal
from jiuzhu_runtime.documents import document_environment
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_oversight.adapters.tables import alerts, audit_log, clocks, dead_letters, rectifications, register, spot_checks
from jiuzhu_oversight.service_layer import statistics, supervision
from jiuzhu_oversight.service_layer.context import Oversight

INS, BA, AUD, LEAD = Role.INSPECTOR, Role.BUREAU_ADMIN, Role.AUDITOR, Role.LEADER
READERS = [INS, BA, AUD]
MONTH = Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")


ORDER_KINDS = {"missed_coverage": "应保未保（漏保）", "irregular_approval": "审批不规范", "procedure": "办理程序问题"}


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
        query = select(register).order_by(register.c.accepted_on.desc(), register.c.case_id).limit(limit)
        if jurisdiction:
            query = query.where(register.c.jurisdiction == jurisdiction)
        if stage:
            query = query.where(register.c.stage == stage)
        async with ctx.unit_of_work() as uow:
            return [dict(r._mapping) for r in (await uow.session.execute(query)).all()]

    @api.get("/cases/{case_id}", tags=["register"], summary="案件时间线 / A case's timeline")
    async def case(case_id: str, _: Principal = Depends(access.allow(district=READERS))):
        async with ctx.unit_of_work() as uow:
            row = (await uow.session.execute(select(register).where(register.c.case_id == case_id))).first()
            if row is None:
                raise DomainRefusal(f"no case {case_id} in the district register", rule="exists", status=404)
            events = (await uow.session.execute(select(audit_log.c.seq, audit_log.c.event_type, audit_log.c.occurred_at,
                                                       audit_log.c.body["actor"].label("actor"))
                                                .where(audit_log.c.case_id == case_id).order_by(audit_log.c.seq))).all()
            case_clocks = (await uow.session.execute(select(clocks).where(clocks.c.case_id == case_id)
                                                     .order_by(clocks.c.id))).all()
        return {**dict(row._mapping), "timeline": [dict(e._mapping) for e in events],
                "clocks": [dict(c._mapping) for c in case_clocks]}

    @api.get("/deadlines", tags=["deadlines"], summary="超时及临期事项 / Overdue and due-soon work per jurisdiction")
    async def deadlines(within_working_days: int = Query(2, ge=0, le=30),
                        _: Principal = Depends(access.allow(district=READERS))):
        today = ctx.clock.today()
        horizon = ctx.calendar.add(today, within_working_days).due_on
        async with ctx.unit_of_work() as uow:
            rows = (await uow.session.execute(select(clocks).where(clocks.c.state == "open", clocks.c.due_on <= horizon)
                                              .order_by(clocks.c.due_on))).all()
        out: dict[str, dict[str, list]] = {j.code: {"overdue": [], "due_soon": []} for j in ctx.config.jurisdictions}
        for r in rows:
            # provisional: counted on a year the calendar does not know; no breach is raised against it.
            item = {"case_id": r.case_id, "clock": r.clock, "due_on": r.due_on, "provisional": r.provisional,
                    "responsible": r.responsible, "breach_raised_on": r.breached_on}
            out.setdefault(r.jurisdiction, {"overdue": [], "due_soon": []})[
                "overdue" if r.due_on < today else "due_soon"].append(item)
        return out

    @api.post("/spot-checks/draw", tags=["spot checks"], summary="抽取备案抽查样本（≥30%）/ Draw the month's sample")
    async def draw(body: DrawIn, who: Principal = Depends(access.allow(district=[INS]))):
        return await supervision.draw_month(ctx, body.month, who.actor(INS))

    @api.get("/spot-checks", tags=["spot checks"], summary="抽查清单 / Drawn cases and findings")
    async def checks(month: str = MONTH, _: Principal = Depends(access.allow(district=READERS))):
        async with ctx.unit_of_work() as uow:
            rows = (await uow.session.execute(select(spot_checks).where(spot_checks.c.month == month)
                                              .order_by(spot_checks.c.jurisdiction, spot_checks.c.case_id))).all()
        return [dict(r._mapping) for r in rows]

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
        async with ctx.unit_of_work() as uow:
            row = (await uow.session.execute(select(spot_checks).where(spot_checks.c.case_id == case_id))).first()
        if row is None or row.completed_on is None:
            raise DomainRefusal(f"no completed spot check of {case_id}", rule="exists", status=404)
        own_or_district(who, row.jurisdiction)
        return HTMLResponse(pages.get_template("feedback.html").render(check=row))

    @api.post("/rectifications", status_code=201, tags=["rectification"],
              summary="书面限期整改通知 / Order a rectification, e.g. on a report of missed coverage (inspector)")
    async def order(body: OrderIn, who: Principal = Depends(access.allow(district=[INS]))):
        try:
            ctx.config.jurisdiction(body.jurisdiction)
        except KeyError:
            raise DomainRefusal(f"{body.jurisdiction} is not a jurisdiction of this district", rule="exists",
                                status=422, field="jurisdiction") from None
        order_no = await supervision.order_rectification(ctx, jurisdiction=body.jurisdiction,
                                                         case_id=body.concerning_case, kind=body.kind,
                                                         findings=body.findings, actor=who.actor(INS))
        return {"order_no": order_no}

    @api.get("/rectifications", tags=["rectification"], summary="整改通知 / Orders (a leader sees its own)")
    async def orders(who: Principal = Depends(access.allow(LEAD, district=READERS))):
        query = select(rectifications).order_by(rectifications.c.ordered_on.desc(), rectifications.c.order_no)
        if who.jurisdiction != ctx.district:
            query = query.where(rectifications.c.jurisdiction == who.jurisdiction)
        async with ctx.unit_of_work() as uow:
            return [dict(r._mapping) for r in (await uow.session.execute(query)).all()]

    @api.get("/rectifications/{order_no}/order", response_class=HTMLResponse, tags=["rectification"],
             summary="整改通知书（可打印）/ The written rectification order (plan 六(二))")
    async def order_document(order_no: str, who: Principal = Depends(access.allow(LEAD, district=READERS))):
        async with ctx.unit_of_work() as uow:
            row = (await uow.session.execute(select(rectifications)
                                             .where(rectifications.c.order_no == order_no))).first()
        if row is None:
            raise DomainRefusal(f"没有编号为 {order_no} 的整改通知书", rule="exists", status=404)
        own_or_district(who, row.jurisdiction)
        return HTMLResponse(pages.get_template("rectification_order.html").render(order=row, kinds=ORDER_KINDS))

    @api.post("/rectifications/{order_no}/answer", tags=["rectification"],
              summary="辖区整改答复 / The jurisdiction answers its order (its leader)")
    async def answer(order_no: str, body: AnswerIn, who: Principal = Depends(access.allow(LEAD))):
        return await supervision.answer_rectification(ctx, order_no, body.answer, who.actor(LEAD), who.jurisdiction)

    @api.get("/alerts", tags=["register"], summary="跨辖区重复救助预警 / Same person in two jurisdictions")
    async def duplicate_alerts(_: Principal = Depends(access.allow(district=READERS))):
        async with ctx.unit_of_work() as uow:
            return [dict(r._mapping) for r in (await uow.session.execute(select(alerts).order_by(alerts.c.id))).all()]

    @api.get("/statistics", tags=["statistics"], summary="月度统计（JSON/CSV/XLSX）/ Monthly statistics")
    async def stats(month: str = MONTH, format: Literal["json", "csv", "xlsx"] = "json",
                    _: Principal = Depends(access.allow(district=READERS))):
        rows = await statistics.monthly(ctx, month)
        if format == "csv":
            return Response(statistics.to_csv(rows).encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="statistics-{month}.csv"'})
        if format == "xlsx":
            return Response(statistics.to_xlsx(rows),
                            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            headers={"Content-Disposition": f'attachment; filename="statistics-{month}.xlsx"'})
        return rows

    @api.get("/audit/cases/{case_id}", tags=["audit"], summary="案件完整审计记录 / A case's full trail (auditor)")
    async def trail(case_id: str, _: Principal = Depends(access.allow(district=[AUD, INS]))):
        async with ctx.unit_of_work() as uow:
            rows = (await uow.session.execute(select(audit_log).where(audit_log.c.case_id == case_id)
                                              .order_by(audit_log.c.seq))).all()
        return [{"seq": r.seq, "event_type": r.event_type, "occurred_at": r.occurred_at, "hash": r.hash,
                 "prev_hash": r.prev_hash, "event": r.body} for r in rows]

    @api.get("/dead-letters", tags=["audit"], summary="无法处理的消息 / Dead-lettered events with their reasons")
    async def dead(limit: int = Query(200, ge=1, le=5000), _: Principal = Depends(access.allow(district=READERS))):
        async with ctx.unit_of_work() as uow:
            rows = (await uow.session.execute(select(dead_letters).order_by(dead_letters.c.id.desc())
                                              .limit(limit))).all()
        return [{"id": r.id, "consumer": r.consumer, "original_subject": r.original_subject, "reason": r.reason,
                 "recorded_at": r.recorded_at, "body": r.body.decode("utf-8", "replace")[:4000]} for r in rows]

    return api
