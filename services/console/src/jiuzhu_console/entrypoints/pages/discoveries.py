"""Pages of the console for 主动发现 (plan 四(三)2, 五(一); issue 16 item 7): the residents'
committee reports a household in difficulty; the window clerk follows each report up within its
deadline — an application made on the household's behalf with its authorisation recorded, or the
report closed with the reason. Every rule is intake's; refusals are shown beside their fields."""

from __future__ import annotations

from fastapi import APIRouter, Request

from jiuzhu_contracts.base import Role

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain.application_form import material_note, missing_reason
from jiuzhu_console.domain.awaiting_correction import form_rows
from jiuzhu_console.domain.labels import CATEGORY, RELATION
from jiuzhu_console.entrypoints.form_input import form_values
from jiuzhu_console.entrypoints.web import Web
from jiuzhu_console.service_layer import discoveries as dv
from jiuzhu_console.service_layer import window

LABELS = dict(DIFFICULTIES=dv.DIFFICULTIES, DIFFICULTY=dict(dv.DIFFICULTIES), CLOSING_REASONS=dv.CLOSING_REASONS,
              CLOSING=dict(dv.CLOSING_REASONS), DOCUMENTS=dv.DOCUMENTS, STATUS=dv.STATUS)
STATUSES = (("open", "待跟进"), ("application_made", "已代为申请"), ("closed", "已办结"), ("", "全部"))


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    console = web.console

    def staff(request: Request):
        person = web.holder(request, Role.COMMITTEE, Role.CLERK, page="主动发现页面")
        return person

    def committees(person) -> list[tuple[str, str]]:
        return [(c, c) for c in window.committees(console, person.jurisdiction)]

    async def list_page(request, person, *, status="open", values=None, refusal=None):
        today = await console.today()
        rows, list_refusal = [], None
        try:
            rows = await dv.reports(console, person, status)
        except ApiRefused as exc:
            list_refusal = exc
        context = dict(today=today, rows=rows, list_refusal=list_refusal, status=status, statuses=STATUSES,
                       committees=committees(person), values=values or {}, follows_up=person.has(Role.CLERK),
                       **LABELS)
        if refusal:
            return web.refused(request, "discoveries/list.html", person, refusal, **context)
        return web.render(request, "discoveries/list.html", person, errors={}, **context)

    @pages.get("/discoveries")
    async def listing(request: Request, status: str = "open"):
        status = status if status in dict(STATUSES) else "open"
        return await list_page(request, staff(request), status=status)

    @pages.post("/discoveries")
    async def report(request: Request):
        person = staff(request)
        values = await form_values(request)
        try:
            made = await dv.make_report(console, person, values)
        except ApiRefused as refusal:
            return await list_page(request, person, values=values, refusal=refusal)
        web.flash(request, f"主动发现报告 {made['report_no']} 已报送，街道（乡镇）须于 "
                           f"{made['follow_up_due']['due_on']} 前跟进。")
        return web.back("/discoveries")

    # --- the clerk's follow-up ---------------------------------------------------------------------
    def clerk(request: Request):
        return web.holder(request, Role.CLERK, page="主动发现跟进页面")

    async def follow_up_page(request, person, number, *, values=None, refusal=None, form=None):
        today = await console.today()
        context = dict(today=today, number=number, r=None, form=form, **LABELS)
        try:
            r = await dv.report(console, person, number)
        except ApiRefused as seen:
            return web.refused(request, "discoveries/follow_up.html", person, seen, values={}, **context)
        values = {**dv.prefill(r, today, person.jurisdiction), **(values or {})}
        context.update(r=r, values=values, deadline=console.deadline(r["follow_up_due"]["due_on"], today)
                       if r["status"] == "open" else None,
                       categories=[(c.value, text) for c, text in CATEGORY.items()],
                       relations=list(RELATION.items()),
                       jurisdictions=[(j.code, j.name) for j in console.config.jurisdictions],
                       committees=committees(person), materials=console.config.materials,
                       material_note=material_note, missing_reason=missing_reason, member_rows=form_rows(values))
        if refusal:
            return web.refused(request, "discoveries/follow_up.html", person, refusal, **context)
        return web.render(request, "discoveries/follow_up.html", person, errors={}, **context)

    @pages.get("/discoveries/{number}")
    async def follow_up(request: Request, number: str):
        return await follow_up_page(request, clerk(request), number)

    @pages.post("/discoveries/{number}/application")
    async def apply(request: Request, number: str):
        person = clerk(request)
        values = await form_values(request)
        try:
            made = await dv.apply_on_behalf(console, person, number, values)
        except ApiRefused as refusal:
            return await follow_up_page(request, person, number, values=values, refusal=refusal, form="apply")
        outcome = made["application"]
        if outcome.get("status") == "accepted":
            web.flash(request, f"已代为申请并受理，案件编号 {outcome['case_id']}；报告 {number} 已跟进。")
        else:
            web.flash(request, f"已代为申请，材料不齐全，已出具一次性告知书 {outcome.get('notice_no')}；"
                               f"报告 {number} 已跟进。")
        return web.back(f"/discoveries/{number}")

    @pages.post("/discoveries/{number}/close")
    async def close(request: Request, number: str):
        person = clerk(request)
        values = await form_values(request)
        try:
            await dv.close(console, person, number, values)
        except ApiRefused as refusal:
            return await follow_up_page(request, person, number, values=values, refusal=refusal, form="close")
        web.flash(request, f"报告 {number} 已办结：{dict(dv.CLOSING_REASONS).get(values.get('closing_reason'), '')}。")
        return web.back("/discoveries")

    return pages
