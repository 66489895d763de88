"""Staff routes of publicity (authenticated) and the public pages (no login, rate-limited)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment
from pydantic import BaseModel, ConfigDict, Field

from jiuzhu_contracts import money
from jiuzhu_contracts.base import Role
from jiuzhu_contracts.envelope import Actor
from jiuzhu_runtime.api_docs import examples
from jiuzhu_runtime.auth import AccessPolicy, Principal
from jiuzhu_runtime.documents import document_environment
from jiuzhu_runtime.errors import PageRefusal
from jiuzhu_runtime.rate_limit import RateLimit
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_publicity.adapters import notices
from jiuzhu_publicity.adapters.repository import PublicityRepository
from jiuzhu_publicity.domain.objection_form import (
    CONTACT_MAX,
    NOTICE_NO_MAX,
    SUMMARY_MAX,
    YES,
    form_problems,
    printable,
    refusal_zh,
)
from jiuzhu_publicity.domain.privacy import NOT_PAID_ZH, CATEGORY_ZH, PublicListing, PublicNotice, door_card_refusal
from jiuzhu_publicity.service_layer import handlers
from jiuzhu_publicity.service_layer.handlers import Publicity

C, CM, L, I, R = Role.CLERK, Role.COMMITTEE, Role.LEADER, Role.INVESTIGATOR, Role.REVIEWER
DISTRICT_READERS = [Role.INSPECTOR, Role.AUDITOR]
PUBLIC = Actor(id="public", role=Role.SYSTEM, name="社会公众（网上异议）")


class StaffObjectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", **examples({"summary": "来电反映该户有经营性收入未申报", "channel": "phone",
                                                          "anonymous": True, "contact": None}))
    summary: str = Field(min_length=5, max_length=1000, description="异议内容 / What the objection says")
    channel: Literal["phone", "letter", "in_person"] = Field(description="收到方式 / How it was received")
    anonymous: bool = Field(True, description="是否匿名 / Anonymous")
    contact: str | None = Field(None, max_length=100, description="联系方式（不公开）/ Contact, never public")


def templates(ctx: Publicity) -> Environment:
    env = document_environment(Path(__file__).parent / "templates")
    env.filters["yuan"] = partial(money.yuan, grouping=True)
    env.globals.update(CATEGORY_ZH=CATEGORY_ZH, NOT_PAID_ZH=NOT_PAID_ZH, district=ctx.config.district,
                       jurisdiction=ctx.config.jurisdiction(ctx.jurisdiction))
    return env


def public_notice(row) -> PublicNotice:
    return PublicNotice(notice_no=row.notice_no, committee=row.committee, name=row.public_name,
                        household_size=row.household_size, category=row.category, amount_fen=row.amount_fen,
                        opens_on=row.opens_on.isoformat(), closes_on=row.closes_on.isoformat(), round=row.round)


def public_listing(row) -> PublicListing:
    return PublicListing(name=row.public_name, household_size=row.household_size, category=row.category,
                         amount_fen=row.amount_fen, committee=row.committee)


def router(ctx: Publicity, access: AccessPolicy) -> APIRouter:
    api = APIRouter()
    pages = templates(ctx)
    committees = ctx.config.jurisdiction(ctx.jurisdiction).committees

    def render(name: str, status_code: int = 200, headers: dict | None = None, **values) -> HTMLResponse:
        return HTMLResponse(pages.get_template(name).render(**values), status_code=status_code, headers=headers)

    def limited(per_minute: int, what: str):
        """The public pages' rate limit, said to a citizen on a page in Chinese (not a JSON 429)."""
        limit = RateLimit(per_minute)

        async def dependency(request: Request) -> None:
            wait = limit.take(request)
            if wait is not None:
                raise PageRefusal(render("message.html", 429, {"Retry-After": str(wait)}, title=f"{what}过于频繁",
                                         text=f"同一网络地址每分钟最多{what}{per_minute}次，请{wait}秒后再试。"))
        return Depends(dependency)

    browse, post = limited(120, "访问"), limited(6, "提交")

    # --- public pages -------------------------------------------------------------------------
    @api.get("/public", response_class=HTMLResponse, tags=["public"], dependencies=[browse],
             summary="公示首页 / Public index (no login)")
    async def index() -> HTMLResponse:
        return render("index.html", committees=committees)

    @api.get("/public/boards/{committee}", response_class=HTMLResponse, tags=["public"], dependencies=[browse],
             summary="居（村）委会公示栏 / A committee's notice board (no login)")
    async def board(committee: str) -> HTMLResponse:
        if committee not in committees:
            return render("message.html", 404, title="未找到", text="没有这个居（村）委会的公示栏。")
        async with ctx.unit_of_work() as uow:
            rows = await notices.board(uow.session, committee, ctx.clock.today())
        return render("board.html", committee=committee, notices=[public_notice(r) for r in rows])

    @api.get("/public/list", response_class=HTMLResponse, tags=["public"], dependencies=[browse],
             summary="救助对象长期公示 / Long-term list of approved households (no login)")
    async def long_term_list() -> HTMLResponse:
        async with ctx.unit_of_work() as uow:
            rows = await PublicityRepository(uow.session).long_term_list()
        return render("list.html", listings=[public_listing(r) for r in rows])

    @api.get("/public/objections/new", response_class=HTMLResponse, tags=["public"], dependencies=[browse],
             summary="提出异议 / Objection form (no login)")
    async def objection_form(notice_no: str = Query("")) -> HTMLResponse:
        return render("objection_form.html", notice_no=printable(notice_no[:NOTICE_NO_MAX]), errors=[], summary="",
                      contact="")

    @api.post("/public/objections", response_class=HTMLResponse, tags=["public"], dependencies=[post],
              summary="提交异议 / File an objection; anonymous allowed (no login)")
    async def file_objection(notice_no: str = Form("", examples=["GS-650205001-2022-00001-1"]),
                             summary: str = Form("", examples=["该户家庭成员有经营性收入，未如实申报"]),
                             contact: str = Form("", examples=["13900000000"]),
                             anonymous: str = Form("", examples=["true"])) -> HTMLResponse:
        # No length limits on the parameters themselves: FastAPI would answer a citizen with an English
        # JSON error. The form's own rules name every problem in Chinese, on the form.
        def again(status: int, errors: list[str]) -> HTMLResponse:
            return render("objection_form.html", status, notice_no=printable(notice_no[:NOTICE_NO_MAX]),
                          errors=errors, summary=printable(summary[:SUMMARY_MAX * 2]),
                          contact=printable(contact[:CONTACT_MAX]))

        errors = form_problems(notice_no, summary, contact)
        if errors:
            return again(422, errors)
        try:
            objection_id = await handlers.record_objection(
                ctx, notice_no=notice_no.strip(), summary=summary.strip(), channel="web",
                anonymous=anonymous.strip().lower() in YES or not contact.strip(), contact=contact.strip() or None,
                actor=PUBLIC)
        except DomainRefusal as refusal:
            return again(refusal.status, [refusal_zh(refusal.status, notice_no.strip(), refusal.details)])
        return render("message.html", 201, title="异议已受理",
                      text=f"您的异议已记录，编号 {objection_id}。工作人员将重新组织调查核实。")

    # --- staff --------------------------------------------------------------------------------
    @api.get("/notices", tags=["staff"], summary="公示中的案件 / Open notices (staff; district readers)")
    async def open_notices(_: Principal = Depends(access.allow(C, CM, L, I, R, district=DISTRICT_READERS))):
        async with ctx.unit_of_work() as uow:
            rows = await notices.open_notices(uow.session)
        return [{"notice_no": r.notice_no, "case_id": r.case_id, "round": r.round, "committee": r.committee,
                 "opens_on": r.opens_on, "closes_on": r.closes_on} for r in rows]

    @api.post("/notices/{notice_no}/objections", status_code=201, tags=["staff"],
              summary="登记电话、信件、来访异议 / Record an objection received by phone, letter or in person")
    async def staff_objection(notice_no: str, body: StaffObjectionIn,
                              who: Principal = Depends(access.allow(C, CM))) -> dict:
        role = C if C in who.roles else CM
        objection_id = await handlers.record_objection(ctx, notice_no=notice_no, summary=body.summary,
                                                       channel=body.channel, anonymous=body.anonymous,
                                                       contact=body.contact, actor=who.actor(role))
        return {"objection_id": objection_id}

    @api.get("/objections", tags=["staff"], summary="异议登记 / Objections (staff; district readers)")
    async def objections(limit: int = Query(200, ge=1, le=2000),
                         _: Principal = Depends(access.allow(C, CM, L, I, R, district=DISTRICT_READERS))):
        async with ctx.unit_of_work() as uow:
            rows = await PublicityRepository(uow.session).all_objections(limit)
        return [{"objection_id": r.objection_id, "notice_no": r.notice_no, "case_id": r.case_id,
                 "received_on": r.received_on, "channel": r.channel, "anonymous": r.anonymous,
                 "summary": r.summary, "contact": r.contact} for r in rows]

    @api.get("/door-cards/{case_id}", response_class=HTMLResponse, tags=["staff"],
             summary="救助对象公示卡（可打印）/ Printable door card of an approved household")
    async def door_card(case_id: str, _: Principal = Depends(access.allow(C, CM))) -> HTMLResponse:
        async with ctx.unit_of_work() as uow:
            row = await PublicityRepository(uow.session).listing(case_id)
        if row is None or not row.active:
            raise DomainRefusal(f"case {case_id} is not an approved household on the list", rule="exists",
                                status=404)
        if rule := door_card_refusal(row.category):
            raise DomainRefusal(f"case {case_id} is a low-income household: registered, not paid; no door card",
                                rule=rule, status=409)
        return render("door_card.html", listing=public_listing(row), since=row.since)

    # Last: an address under /public that no page above serves (mistyped, stale, or the form's own
    # address opened directly) gets a page in Chinese, not FastAPI's JSON "Not Found".
    @api.api_route("/public/{rest:path}", methods=["GET", "POST"], response_class=HTMLResponse, tags=["public"],
                   dependencies=[browse], include_in_schema=False, response_model=None)
    async def no_such_page(rest: str) -> HTMLResponse | RedirectResponse:
        if not rest.strip("/"):
            return RedirectResponse("/public", status_code=307)  # "/public/" typed by hand
        return render("message.html", 404, title="未找到", text="没有这个页面，请从公示首页进入。")

    return api
