"""Pages of the console for temporary assistance (issue 16 item 1): the assist-first decision on the
leader's case page (先行救助, L18 §2(二)2), and the one-off batches (临时救助一次性发放) the bureau
issues and finance confirms. The decision and disbursement services decide; these pages ask them."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Form, Request

from jiuzhu_contracts.base import Role

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain.yuan_input import NotAnAmount, yuan_to_fen
from jiuzhu_console.entrypoints.web import Web
from jiuzhu_console.service_layer import case_view

BA, FIN, INS, AUD = Role.BUREAU_ADMIN, Role.FINANCE, Role.INSPECTOR, Role.AUDITOR
SERVICE = "disbursement"


FIELD_ZH = {"amount_fen": "救助金额", "large_amount_reason": "大额一事一议的理由", "tranches": "分次发放",
            "reasons": "急难情形", "temporary_kind": "临时救助类型", "category": "救助类别", "jurisdiction": "范围"}


def refusal_text(refusal: ApiRefused) -> str:
    """The refusal in a line: each field's rule when the service named fields, else its words."""
    if refusal.fields:
        return "未能办理：" + "；".join(f"{FIELD_ZH.get(field, field)}：{rule}" for field, rule in refusal.fields.items())
    return f"未能办理：{refusal.message}"


def assist_first_body(amount_yuan: str, reasons: str, large_amount_reason: str, second_yuan: str, second_on: str,
                      today: dt.date) -> dict:
    """The decision API's body from the form: the amount in 元; a second tranche, when given, is
    taken off the first (paid today)."""
    amount = yuan_to_fen(amount_yuan)
    body: dict = {"amount_fen": amount, "reasons": [r.strip() for r in reasons.splitlines() if r.strip()]}
    if large_amount_reason.strip():
        body["large_amount_reason"] = large_amount_reason.strip()
    second = yuan_to_fen(second_yuan) if second_yuan.strip() else None
    if second:
        body["tranches"] = [{"amount_fen": amount - second, "payable_on": today.isoformat()},
                            {"amount_fen": second, "payable_on": second_on}]
    return body


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    api = web.console.api

    async def case_page_again(request: Request, person, case_id: str, today: dt.date, values: dict, error: str,
                              status: int):
        """The leader's case page again, the form as typed and the refusal with its rule beside it."""
        try:
            view = await case_view.load(web.console, person, case_id, today)
            authority = await api.get("decision", view.jurisdiction, "/authority", person.token)
        except ApiRefused as refusal:
            web.flash(request, refusal_text(refusal), "error")
            return web.back(f"/leader/cases/{case_id}")
        response = web.render(request, "leader/case.html", person, today=today, case=view, authority=authority,
                              keys={a.key for a in view.actions}, assist_values=values, assist_error=error,
                              deadline=web.console.deadline((view.decision.get("decision_due") or {}).get("due_on"),
                                                            today))
        response.status_code = status
        return response

    @pages.post("/leader/cases/{case_id}/assist-first")
    async def assist_first(request: Request, case_id: str, amount_yuan: str = Form(""), reasons: str = Form(""),
                           large_amount_reason: str = Form(""), second_yuan: str = Form(""),
                           second_on: str = Form("")):
        person = web.person(request)
        today = await web.console.today()
        values = {"amount_yuan": amount_yuan, "reasons": reasons, "large_amount_reason": large_amount_reason,
                  "second_yuan": second_yuan, "second_on": second_on}
        try:
            body = assist_first_body(amount_yuan, reasons, large_amount_reason, second_yuan, second_on, today)
        except NotAnAmount as exc:
            return await case_page_again(request, person, case_id, today, values, f"未能办理：金额 {exc}", 422)
        try:
            decided = await api.post("decision", case_id.split("-", 1)[0], f"/cases/{case_id}/assist-first",
                                     person.token, body)
        except ApiRefused as refusal:
            status = refusal.status if 400 <= refusal.status < 500 else 503
            return await case_page_again(request, person, case_id, today, values, refusal_text(refusal), status)
        then = "事后补齐入户调查和公示" if decided["follow_up"] == "complete_afterwards" else "小额，不再补齐调查和公示"
        web.flash(request, f"已先行救助：{decided['amount_fen'] / 100:.2f} 元，分{len(decided['tranches'])}次发放；{then}。")
        return web.back(f"/leader/cases/{case_id}")

    async def page(request: Request, **extra):
        person = web.person(request)
        today = await web.console.today()
        if not person.has(BA, FIN, INS, AUD):
            return web.render(request, "message.html", person, status_code=403, today=today, title="无权使用该页面",
                              message="临时救助一次性发放由区民政局编制、财政确认。")
        try:
            batches = await api.get(SERVICE, None, "/one-off-batches", person.token)
            details = [await api.get(SERVICE, None, f"/one-off-batches/{b['batch_id']}", person.token)
                       for b in batches[:20]]
        except ApiRefused as refusal:
            return web.render(request, "message.html", person, status_code=refusal.status, today=today,
                              title="未能办理", message=refusal.message)
        return web.render(request, "finance/one_off.html", person, today=today, batches=details,
                          jurisdictions=web.console.config.jurisdictions, may_issue=person.has(BA),
                          may_confirm=person.has(FIN), scope_name=web.console.jurisdiction_name, **extra)

    @pages.get("/finance/one-off")
    async def batches(request: Request):
        return await page(request)

    @pages.post("/finance/one-off")
    async def issue(request: Request, jurisdiction: str = Form("")):
        person = web.person(request)
        try:
            made = await api.post(SERVICE, None, "/one-off-batches", person.token, {"jurisdiction": jurisdiction or None})
        except ApiRefused as refusal:
            web.flash(request, refusal_text(refusal), "error")
            return web.back("/finance/one-off")
        web.flash(request, f"已编制并报送批次 {made['batch_id']}：{made['lines']} 笔，{made['total_fen'] / 100:.2f} 元。")
        return web.back("/finance/one-off")

    @pages.post("/finance/one-off/{batch_id}/payments")
    async def confirm(request: Request, batch_id: str):
        person = web.person(request)
        try:
            done = await api.post(SERVICE, None, f"/one-off-batches/{batch_id}/payments", person.token, {"all": "paid"})
        except ApiRefused as refusal:
            web.flash(request, refusal_text(refusal), "error")
            return web.back("/finance/one-off")
        web.flash(request, f"已确认批次 {batch_id} 发放：{done['paid']} 笔已发放。")
        return web.back("/finance/one-off")

    return pages
