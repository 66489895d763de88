"""Pages of the console: the committee's notice board (公示, plan 五(三): 7 working days), the
objections received, a form to record one received by phone, letter or in person, and the door
cards of the approved households."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request

from jiuzhu_contracts.base import Role

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.entrypoints.web import Web

CHANNELS = [("phone", "电话"), ("in_person", "来访"), ("letter", "信件")]
CHANNEL_ZH = dict(CHANNELS) | {"web": "网上"}


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    api = web.console.api

    async def board(request: Request, person, **extra):
        today = await web.console.today()
        jurisdiction = person.jurisdiction
        notices, objections, approved, problems = [], [], [], []
        if person.at_district:
            return web.render(request, "message.html", person, status_code=403, today=today, title="公示由居（村）委会办理",
                              message="区级人员请在案件查询中查看各案件的公示和异议情况。")
        try:
            notices = await api.get("publicity", jurisdiction, "/notices", person.token)
            objections = await api.get("publicity", jurisdiction, "/objections", person.token)
        except ApiRefused as exc:
            problems.append(exc.message)
        if person.has(Role.CLERK, Role.COMMITTEE):
            try:
                approved = await api.get("intake", jurisdiction, "/cases", person.token, stage="approved", limit=500)
            except ApiRefused as exc:
                problems.append(exc.message)
        for n in notices:
            n["deadline"] = web.console.deadline(n["closes_on"], today)
            n["objections"] = [o for o in objections if o["notice_no"] == n["notice_no"]]
        notices.sort(key=lambda n: (n["deadline"].urgency, n["closes_on"], n["notice_no"]))
        return web.render(request, "committee/board.html", person, today=today, notices=notices,
                          objections=objections, approved=approved, problems=problems, channels=CHANNELS,
                          channel_zh=CHANNEL_ZH, may_record=person.has(Role.CLERK, Role.COMMITTEE), **extra)

    @pages.get("/committee")
    async def committee(request: Request):
        person = web.person(request)
        return await board(request, person, values={})

    @pages.post("/committee/objections")
    async def record(request: Request, notice_no: str = Form(""), summary: str = Form(""), channel: str = Form(""),
                     anonymous: str = Form(""), contact: str = Form("")):
        person = web.person(request)
        values = {"notice_no": notice_no, "summary": summary, "channel": channel, "anonymous": anonymous,
                  "contact": contact}
        body = {"summary": summary.strip(), "channel": channel, "anonymous": anonymous == "on",
                "contact": contact.strip() or None}
        try:
            await api.post("publicity", person.jurisdiction, f"/notices/{notice_no}/objections", person.token, body)
        except ApiRefused as refusal:
            response = await board(request, person, values=values, errors=refusal.fields, refusal=refusal)
            response.status_code = refusal.status if 400 <= refusal.status < 500 else 503
            return response
        web.flash(request, f"已登记公示 {notice_no} 的异议，将转调查员重新调查核实。")
        return web.back("/committee")

    return pages
