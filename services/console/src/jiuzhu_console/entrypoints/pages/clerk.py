"""Pages of the window clerk (窗口受理, plan 五(一)): the worklist, new applications and the
one-time correction notice, resubmission, withdrawal, the close-relative register, and the live
resident-ID check behind the form's ID inputs."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from jiuzhu_contracts.base import Role
from jiuzhu_contracts.resident_id import mask

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain.application_form import material_note, missing_reason
from jiuzhu_console.domain.awaiting_correction import form_rows, not_conforming, prefill
from jiuzhu_console.domain.labels import CATEGORY, RELATION
from jiuzhu_console.domain.resident_id_check import check_resident_id
from jiuzhu_console.domain.worklists import STAGE_ZH, WITHDRAWABLE
from jiuzhu_console.entrypoints.form_input import form_values
from jiuzhu_console.entrypoints.web import Web
from jiuzhu_console.service_layer import window


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    console = web.console

    def clerk(request: Request):
        return web.holder(request, Role.CLERK, page="窗口受理页面")

    def form_context(person, values: dict) -> dict:
        return {"categories": [(c.value, text) for c, text in CATEGORY.items()],
                "relations": list(RELATION.items()),
                "jurisdictions": [(j.code, j.name) for j in console.config.jurisdictions],
                "committees": [(c, c) for c in window.committees(console, person.jurisdiction)],
                "materials": console.config.materials, "material_note": material_note, "missing_reason": missing_reason,
                "member_rows": form_rows(values)}

    def blank_application(person) -> dict:
        return {"registration_jurisdiction": person.jurisdiction, "members.0.relation": "self", "materials": []}

    @pages.get("/clerk")
    async def worklist(request: Request):
        person = clerk(request)
        today = await console.today()
        try:
            waiting, waiting_unavailable = await window.awaiting_correction(console, person, today), None
        except ApiRefused as refusal:  # the cases below are still worth showing
            waiting, waiting_unavailable = [], refusal
        context = dict(today=today, waiting=waiting, waiting_unavailable=waiting_unavailable,
                       missing_reason=missing_reason, stage_zh=STAGE_ZH, withdrawable=WITHDRAWABLE)
        try:
            open_rows, closed_rows = await window.worklist(console, person, today)
        except ApiRefused as refusal:
            return web.refused(request, "clerk/worklist.html", person, refusal, open_rows=[], closed_rows=[],
                               **context)
        return web.render(request, "clerk/worklist.html", person, open_rows=open_rows, closed_rows=closed_rows,
                          **context)

    @pages.get("/clerk/applications/new")
    async def new_application(request: Request):
        person = clerk(request)
        values = blank_application(person)
        return web.render(request, "clerk/application.html", person, today=await console.today(),
                          values=values, errors={}, **form_context(person, values))

    @pages.post("/clerk/applications/new")
    async def submit_application(request: Request):
        person = clerk(request)
        values = await form_values(request)
        today = await console.today()
        try:
            outcome = await window.submit(console, person, values)
        except ApiRefused as refusal:
            return web.refused(request, "clerk/application.html", person, refusal, today=today, values=values,
                               **form_context(person, values))
        return accepted_or_notice(request, person, today, values, outcome)

    def accepted_or_notice(request, person, today, values, outcome: dict):
        if outcome.get("status") == "accepted":
            due = (outcome.get("investigation_due") or {}).get("due_on", "")
            web.flash(request, f"已受理，案件编号 {outcome['case_id']}；调查核实时限至 {due}。"
                               "请在案件页打印受理回执交申请人。"
                      + ("本案涉及近亲属备案，相关工作人员须回避。" if outcome.get("close_relative") else ""))
            return web.back(f"/cases/{outcome['case_id']}")
        # 一次性告知 (plan 五(一)): the page shows the notice and a prefilled resubmission form, so
        # the clerk need not type the household again when the materials come the same day.
        return web.render(request, "clerk/application.html", person, today=today, values=values, errors={},
                          application_id=outcome["application_id"], outcome=outcome, **form_context(person, values))

    @pages.get("/clerk/applications/resubmission")
    async def find_application(request: Request, application_id: str = Query("", max_length=64)):
        person = clerk(request)
        return web.back(f"/clerk/applications/{application_id.strip()}/resubmission")

    @pages.get("/clerk/applications/{application_id}/resubmission")
    async def resubmission_form(request: Request, application_id: str):
        """The form prefilled with what was submitted (intake's GET /applications/{id}): the clerk
        ticks the materials now brought and corrects what changed."""
        person = clerk(request)
        today = await console.today()
        try:
            found = await window.application(console, person, application_id)
        except ApiRefused as refusal:
            if refusal.status != 404:
                return web.refused(request, "message.html", person, refusal, today=today, title="补正再次提交",
                                   message="暂时无法读取这份申请，请稍后再试。")
            return web.render(request, "message.html", person, today=today, status_code=404, title="没有找到申请",
                              message=f"本窗口没有申请编号为 {application_id} 的申请，请核对一次性告知书上的编号。")
        if found.get("status") == "accepted" and found.get("case_id"):
            web.flash(request, f"申请 {application_id} 已受理，案件编号 {found['case_id']}，无需再次提交。")
            return web.back(f"/cases/{found['case_id']}")
        values = prefill(found.get("content") or {})
        return web.render(request, "clerk/application.html", person, today=today, values=values, errors={},
                          application_id=application_id, found=found, **resubmission_context(person, values, found))

    def resubmission_context(person, values: dict, found: dict | None) -> dict:
        return {"notice": (found or {}).get("notice"), "problems": not_conforming((found or {}).get("content") or {}),
                **form_context(person, values)}

    @pages.post("/clerk/applications/{application_id}/resubmission")
    async def resubmit(request: Request, application_id: str):
        person = clerk(request)
        values = await form_values(request)
        today = await console.today()
        try:
            outcome = await window.submit(console, person, values, application_id=application_id)
        except ApiRefused as refusal:
            try:  # the notice beside the form again; the refusal is what matters if it cannot be read
                found = await window.application(console, person, application_id)
            except ApiRefused:
                found = None
            return web.refused(request, "clerk/application.html", person, refusal, today=today, values=values,
                               application_id=application_id, **resubmission_context(person, values, found))
        return accepted_or_notice(request, person, today, values, outcome)

    @pages.get("/clerk/cases/{case_id}/withdrawal")
    async def withdrawal_form(request: Request, case_id: str):
        person = clerk(request)
        return await withdrawal_page(request, person, case_id, {}, None)

    async def withdrawal_page(request, person, case_id, values, refusal):
        case = None
        try:
            case = await console.api.get("intake", window.jurisdiction_of(case_id), f"/cases/{case_id}", person.token)
        except ApiRefused as seen:
            refusal = refusal or seen
        context = dict(today=await console.today(), case_id=case_id, case=case, values=values, stage_zh=STAGE_ZH,
                       withdrawable=WITHDRAWABLE)
        if refusal:
            return web.refused(request, "clerk/withdrawal.html", person, refusal, **context)
        return web.render(request, "clerk/withdrawal.html", person, errors={}, **context)

    @pages.post("/clerk/cases/{case_id}/withdrawal")
    async def withdraw(request: Request, case_id: str):
        person = clerk(request)
        values = await form_values(request)
        try:
            await window.withdraw(console, person, case_id, values.get("reason", ""))
        except ApiRefused as refusal:
            return await withdrawal_page(request, person, case_id, values, refusal)
        web.flash(request, f"案件 {case_id} 已按申请人意愿撤回。")
        return web.back("/clerk")

    async def register_page(request, person, values, refusal=None):
        try:
            register = await window.close_relatives(console, person)
        except ApiRefused as seen:
            register, refusal = [], refusal or seen
        staff = [s for s in console.config.staff if s.jurisdiction == person.jurisdiction]
        relations = [(r, RELATION.get(r, r)) for r in console.config.close_relative_relations]
        context = dict(today=await console.today(), values=values, register=register, staff=staff,
                       relations=relations, mask=mask)
        if refusal:
            return web.refused(request, "clerk/close_relatives.html", person, refusal, **context)
        return web.render(request, "clerk/close_relatives.html", person, errors={}, **context)

    @pages.get("/clerk/close-relatives")
    async def close_relatives(request: Request):
        person = clerk(request)
        return await register_page(request, person, {})

    @pages.post("/clerk/close-relatives")
    async def register_close_relative(request: Request):
        person = clerk(request)
        values = await form_values(request)
        try:
            await window.register_close_relative(console, person, values)
        except ApiRefused as refusal:
            return await register_page(request, person, values, refusal)
        web.flash(request, f"已备案：{values.get('staff_name', '')} 的近亲属 {values.get('relative_name', '')}。")
        return web.back("/clerk/close-relatives")

    @pages.get("/check/resident-id")
    async def check_id(request: Request, value: str = Query("", max_length=64)):
        web.person(request)  # signed-in staff only; it reveals nothing, but it is not a public service
        result = check_resident_id(value, await console.today())
        return JSONResponse({"ok": result.ok, "rule": result.rule})

    return pages
