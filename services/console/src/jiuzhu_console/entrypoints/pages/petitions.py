"""Pages of the console for 信访 / 举报 (plan 六(二)–(三); issue 16 item 6): the bureau's register —
register a letter, visit or call, transfer it to the jurisdiction with a deadline, see what is
overdue and escalated, close it — and the jurisdiction's inbox, where its leader answers. Every
rule is oversight's; a refusal is shown with its rule beside the field it names."""

from __future__ import annotations

from fastapi import APIRouter, Request

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.entrypoints.form_input import form_values
from jiuzhu_console.entrypoints.web import Web
from jiuzhu_console.service_layer import petitions as pt

LABELS = dict(CHANNELS=pt.CHANNELS, KINDS=pt.KINDS, FINDINGS=pt.FINDINGS)
STATUSES = (("", "全部"), ("registered", "已登记"), ("transferred", "已转办待答复"), ("answered", "已答复"),
            ("closed", "已办结"))


def _status(refusal: ApiRefused) -> int:
    return refusal.status if 400 <= refusal.status < 500 else 503


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    console = web.console

    # --- the bureau's register -----------------------------------------------------------------
    def bureau(request: Request):
        return web.holder(request, *pt.MAY["read"], page="信访件登记簿")

    async def register_page(request, person, *, status="", values=None, refusal=None, failed=None):
        today = await console.today()
        found, list_refusal = [], None
        try:
            found = await pt.listing(console, person, status=status)
        except ApiRefused as exc:
            list_refusal = exc
        context = dict(today=today, rows=pt.rows(console, found, today), list_refusal=list_refusal,
                       status=status, statuses=STATUSES, failed=failed,
                       values={"received_on": today.isoformat(), **(values or {})},
                       jurisdictions=[(j.code, j.name) for j in console.config.jurisdictions],
                       may=lambda action: pt.may(person, action), **LABELS)
        if refusal:
            return web.refused(request, "petitions/register.html", person, refusal, **context)
        return web.render(request, "petitions/register.html", person, errors={}, **context)

    @pages.get("/petitions")
    async def register_view(request: Request, status: str = ""):
        status = status if status in dict(STATUSES) else ""
        return await register_page(request, bureau(request), status=status)

    @pages.post("/petitions")
    async def register(request: Request):
        person = bureau(request)
        values = await form_values(request)
        try:
            made = await pt.register(console, person, values)
        except ApiRefused as refusal:
            return await register_page(request, person, values=values, refusal=refusal, failed="new")
        web.flash(request, f"信访件 {made['petition_no']} 已登记（{made['channel_zh']}·{made['kind_zh']}）。")
        return web.back("/petitions")

    @pages.post("/petitions/{number}/transfer")
    async def transfer(request: Request, number: str):
        person = bureau(request)
        values = await form_values(request)
        try:
            moved = await pt.transfer(console, person, number, values)
        except ApiRefused as refusal:
            return await register_page(request, person, values=values, refusal=refusal, failed=number)
        web.flash(request, f"信访件 {number} 已转办{console.jurisdiction_name(moved['jurisdiction'])}，"
                           f"限 {moved['due_on']} 前书面答复。")
        return web.back("/petitions")

    @pages.post("/petitions/{number}/close")
    async def close(request: Request, number: str):
        person = bureau(request)
        values = await form_values(request)
        try:
            await pt.close(console, person, number, values)
        except ApiRefused as refusal:
            return await register_page(request, person, values=values, refusal=refusal, failed=number)
        web.flash(request, f"信访件 {number} 已办结。")
        return web.back("/petitions")

    # --- the jurisdiction's inbox --------------------------------------------------------------
    def leader(request: Request):
        return web.holder(request, pt.LEAD, page="信访件答复页面")

    async def inbox_page(request, person, *, values=None, refusal=None, failed=None):
        today = await console.today()
        found, list_refusal = [], None
        try:
            found = await pt.listing(console, person)
        except ApiRefused as exc:
            list_refusal = exc
        context = dict(today=today, rows=pt.rows(console, found, today), list_refusal=list_refusal,
                       values=values or {}, failed=failed, answers=pt.answers(person), **LABELS)
        if refusal:
            return web.refused(request, "petitions/inbox.html", person, refusal, **context)
        return web.render(request, "petitions/inbox.html", person, errors={}, **context)

    @pages.get("/petitions/inbox")
    async def inbox(request: Request):
        return await inbox_page(request, leader(request))

    @pages.post("/petitions/{number}/answer")
    async def answer(request: Request, number: str):
        person = leader(request)
        values = await form_values(request)
        try:
            done = await pt.answer(console, person, number, values)
        except ApiRefused as refusal:
            return await inbox_page(request, person, values=values, refusal=refusal, failed=number)
        opened = "；举报属实，已启动对该户的复核" if done.get("re_review_requested") else ""
        web.flash(request, f"信访件 {number} 已书面答复{opened}。")
        return web.back("/petitions/inbox")

    # --- one petition ----------------------------------------------------------------------------
    @pages.get("/petitions/{number}")
    async def one(request: Request, number: str):
        person = web.holder(request, *pt.MAY["read"], pt.LEAD, page="信访件")
        today = await console.today()
        try:
            p = await pt.one(console, person, number)
        except ApiRefused as refusal:
            return web.refused(request, "petitions/one.html", person, refusal, today=today, p=None, number=number)
        return web.render(request, "petitions/one.html", person, today=today, p=p, number=number,
                          deadline=console.deadline(p.get("due_on") if p["status"] == "transferred" else None, today))

    return pages
