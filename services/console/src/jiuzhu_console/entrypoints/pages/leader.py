"""Pages of the console: the leader's decision queue and decision page (审核确认, plan 五(三)), the
rectification orders addressed to the jurisdiction, and — where the district bureau still decides
(no devolved authority, plan 二, 三(三)) — the same queue and page for bureau_admin."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Form, Request

from jiuzhu_contracts.base import Role

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.entrypoints.pages.cases import refusal_page
from jiuzhu_console.entrypoints.web import Web
from jiuzhu_console.service_layer import case_view


def reasons_of(text: str) -> list[str]:
    """One reason a line, as the decision API takes them."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    api = web.console.api

    def forbidden(request, person, today, what: str):
        return web.render(request, "message.html", person, status_code=403, today=today, title="无权使用该页面",
                          message=what)

    async def bureau_jurisdictions(person) -> list[str]:
        """Where the district bureau decides some category today (GET /authority of each jurisdiction)."""
        out = []
        for code in web.console.jurisdictions_of(person):
            try:
                rules = await api.get("decision", code, "/authority", person.token)
            except ApiRefused:
                continue
            if any(r["body"] == "district_bureau" for r in rules):
                out.append(code)
        return out

    @pages.get("/leader")
    async def queue(request: Request, jurisdiction: str = ""):
        person = web.person(request)
        today = await web.console.today()
        if not person.has(Role.LEADER, Role.BUREAU_ADMIN, Role.INSPECTOR, Role.AUDITOR):
            return forbidden(request, person, today, "审核确认工作台供分管领导及区民政局使用。")
        choices = [person.jurisdiction]
        if person.at_district:
            choices = await bureau_jurisdictions(person) if person.has(Role.BUREAU_ADMIN) else []
            choices = choices or web.console.jurisdictions_of(person)
            jurisdiction = jurisdiction if jurisdiction in web.console.jurisdictions_of(person) else choices[0]
        else:
            jurisdiction = person.jurisdiction
        rows, refusal, authority, orders, orders_refusal = [], None, [], [], None
        try:
            rows = await api.get("decision", jurisdiction, "/cases", person.token)
            authority = await api.get("decision", jurisdiction, "/authority", person.token)
        except ApiRefused as exc:
            refusal = exc
        for row in rows:
            row["deadline"] = web.console.deadline(row.get("decision_due"), today)
        rows.sort(key=lambda r: (not (r["may_approve"] or r["may_refuse"]), r["deadline"].urgency,
                                 r.get("decision_due") or "9999", r["case_id"]))
        try:
            orders = await api.get("oversight", None, "/rectifications", person.token)
            if person.at_district:
                orders = [o for o in orders if o.get("jurisdiction") == jurisdiction]
            for o in orders:
                o["deadline"] = web.console.deadline(o.get("due_on") if not o.get("answered_on") else None, today)
            orders.sort(key=lambda o: (bool(o.get("answered_on")), o["deadline"].urgency, str(o.get("due_on"))))
        except ApiRefused as exc:
            orders_refusal = exc
        return web.render(request, "leader/queue.html", person, today=today, rows=rows, list_refusal=refusal,
                          jurisdiction=jurisdiction, choices=choices, authority=authority, orders=orders,
                          orders_refusal=orders_refusal, values=request.session.pop("leader_values", {}))

    @pages.post("/leader/rectifications/{order_no}/answer")
    async def answer(request: Request, order_no: str, answer: str = Form("")):
        person = web.person(request)
        try:
            await api.post("oversight", None, f"/rectifications/{order_no}/answer", person.token, {"answer": answer})
        except ApiRefused as exc:
            web.flash(request, f"整改答复未能提交：{exc.message}", "error")
            request.session["leader_values"] = {f"answer-{order_no}": answer}
            return web.back(f"/leader#order-{order_no}")
        web.flash(request, f"已提交整改通知 {order_no} 的答复。")
        return web.back("/leader")

    async def page(request: Request, person, case_id: str, today: dt.date, **extra):
        try:
            view = await case_view.load(web.console, person, case_id, today)
            authority = await api.get("decision", view.jurisdiction, "/authority", person.token)
        except ApiRefused as refusal:
            return refusal_page(web, request, person, refusal, today, case_id)
        if view.decision is None:
            return web.render(request, "message.html", person, status_code=404, today=today,
                              title="尚未进入审核确认环节",
                              message=f"案件 {case_id} 在审核确认服务中还没有记录（或您的角色不能查看）。")
        keys = {a.key for a in view.actions}
        return web.render(request, "leader/case.html", person, today=today, case=view, authority=authority,
                          keys=keys, deadline=web.console.deadline((view.decision.get("decision_due") or {}).get("due_on"), today),
                          **extra)

    @pages.get("/leader/cases/{case_id}")
    async def case(request: Request, case_id: str):
        person = web.person(request)
        today = await web.console.today()
        return await page(request, person, case_id, today)

    async def act(request: Request, case_id: str, path: str, body: dict, values: dict, done: str,
                  rename: dict | None = None):
        person = web.person(request)
        try:
            await api.post("decision", case_id.split("-", 1)[0], path, person.token, body)
        except ApiRefused as refusal:
            today = await web.console.today()
            errors = {(rename or {}).get(k, k): v for k, v in refusal.fields.items()}
            response = await page(request, person, case_id, today, values=values, errors=errors,
                                  refusal=refusal)
            response.status_code = refusal.status if 400 <= refusal.status < 500 else 503
            return response
        web.flash(request, done)
        return web.back(f"/leader/cases/{case_id}")

    @pages.post("/leader/cases/{case_id}/decision")
    async def decide(request: Request, case_id: str, approve: str = Form(""), reasons: str = Form("")):
        values = {"approve": approve, "reasons": reasons}
        if approve not in ("yes", "no"):
            person = web.person(request)
            today = await web.console.today()
            shown = await page(request, person, case_id, today, values=values,
                               errors={"approve": "请选择批准或不予批准"})
            if shown.status_code == 200:
                shown.status_code = 422  # the form again, with the rule beside the choice
            return shown
        return await act(request, case_id, f"/cases/{case_id}/decision",
                         {"approve": approve == "yes", "reasons": reasons_of(reasons)}, values,
                         "已作出审核确认决定：" + ("批准" if approve == "yes" else "不予批准"))

    @pages.post("/leader/cases/{case_id}/delivery")
    async def delivery(request: Request, case_id: str, delivered_on: str = Form(""), received_by: str = Form("")):
        values = {"delivered_on": delivered_on, "received_by": received_by}
        return await act(request, case_id, f"/cases/{case_id}/refusal-notice/delivery", values, values,
                         "已登记不予批准通知书送达。")

    @pages.post("/leader/cases/{case_id}/end-support")
    async def end_support(request: Request, case_id: str, last_month_paid: str = Form(""), end_reasons: str = Form("")):
        values = {"last_month_paid": last_month_paid, "end_reasons": end_reasons}
        return await act(request, case_id, f"/cases/{case_id}/end-support",
                         {"last_month_paid": last_month_paid, "reasons": reasons_of(end_reasons)}, values,
                         "已停止救助。", rename={"reasons": "end_reasons"})

    return pages
