"""Pages of the console for 督查 and 追责 (plan 六(二); issue 16 item 9): the bureau's inspections —
record a joint inspection with its working group, its findings per jurisdiction and person (a
finding may be ordered rectified in writing), and a finding followed through to an accountability
record; the accountability register; a jurisdiction's leader reads the inspections that visited it,
its own findings only. Oversight decides; refusals are shown with its rule."""

from __future__ import annotations

from fastapi import APIRouter, Request

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.entrypoints.form_input import form_values
from jiuzhu_console.entrypoints.web import Web
from jiuzhu_console.service_layer import inspections as ip

LABELS = dict(KINDS=ip.KINDS, BODIES=ip.BODIES, FINDING_KINDS=ip.FINDING_KINDS, SEVERITIES=ip.SEVERITIES,
              PROCEDURES=ip.PROCEDURES, MEASURES=ip.MEASURES, member_rows=ip.MEMBER_ROWS)


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    console = web.console

    def reader(request: Request):
        return web.holder(request, *ip.MAY["read"], ip.LEAD, page="督查页面")

    def recorder(request: Request):
        return web.holder(request, *ip.MAY["record"], page="督查记录")

    def common(person, today) -> dict:
        return dict(today=today, may=lambda action: ip.may(person, action),
                    jurisdictions=[(j.code, j.name) for j in console.config.jurisdictions], **LABELS)

    async def list_page(request, person, *, values=None, refusal=None):
        today = await console.today()
        found, list_refusal = [], None
        try:
            found = await ip.listing(console, person)
        except ApiRefused as exc:
            list_refusal = exc
        context = dict(inspections=found, list_refusal=list_refusal,
                       values={"started_on": today.isoformat(), "ended_on": today.isoformat(),
                               "members.0.body": "civil_affairs", "members.1.body": "discipline_inspection",
                               "members.2.body": "finance", **(values or {})}, **common(person, today))
        if refusal:
            return web.refused(request, "inspections/list.html", person, refusal, **context)
        return web.render(request, "inspections/list.html", person, errors={}, **context)

    @pages.get("/inspections")
    async def listing(request: Request):
        return await list_page(request, reader(request))

    @pages.post("/inspections")
    async def record(request: Request):
        person = recorder(request)
        values = await form_values(request)
        try:
            made = await ip.record(console, person, values)
        except ApiRefused as refusal:
            return await list_page(request, person, values=values, refusal=refusal)
        web.flash(request, f"督查 {made['inspection_no']} 已记录。")
        return web.back(f"/inspections/{made['inspection_no']}")

    async def one_page(request, person, number, *, values=None, refusal=None, form=None):
        today = await console.today()
        context = dict(number=number, i=None, form=form, values=values or {}, records=[], **common(person, today))
        try:
            context["i"] = await ip.one(console, person, number)
        except ApiRefused as seen:
            return web.refused(request, "inspections/one.html", person, seen, **context)
        if refusal:
            return web.refused(request, "inspections/one.html", person, refusal, **context)
        return web.render(request, "inspections/one.html", person, errors={}, **context)

    @pages.get("/inspections/{number}")
    async def one(request: Request, number: str):
        return await one_page(request, reader(request), number)

    @pages.post("/inspections/{number}/findings")
    async def finding(request: Request, number: str):
        person = recorder(request)
        values = await form_values(request)
        try:
            f = await ip.add_finding(console, person, number, values)
        except ApiRefused as refusal:
            return await one_page(request, person, number, values=values, refusal=refusal, form="finding")
        order = f"，已发出整改通知 {f['rectification_order']}" if f.get("rectification_order") else ""
        web.flash(request, f"问题 {f['finding_no']} 已记录{order}。")
        return web.back(f"/inspections/{number}")

    @pages.post("/inspections/{number}/accountability")
    async def hold_to_account(request: Request, number: str):
        person = web.holder(request, *ip.MAY["hold_to_account"], page="追责记录")
        values = await form_values(request)
        try:
            a = await ip.hold_to_account(console, person, values)
        except ApiRefused as refusal:
            return await one_page(request, person, number, values=values, refusal=refusal,
                                  form=values.get("basis_ref"))
        web.flash(request, f"追责记录 {a['record_no']} 已登记：{a['person']['name']}，{a['procedure_zh']}"
                           f"{'，' + a['measure_zh'] if a.get('measure_zh') else ''}。")
        return web.back(f"/inspections/{number}")

    @pages.get("/accountability")
    async def accountability(request: Request):
        person = web.holder(request, ip.BA, ip.INS, ip.LEAD, page="追责记录")
        today = await console.today()
        try:
            rows = await ip.records(console, person)
        except ApiRefused as refusal:
            return web.refused(request, "inspections/accountability.html", person, refusal, rows=[],
                               **common(person, today))
        return web.render(request, "inspections/accountability.html", person, rows=rows, **common(person, today))

    return pages
