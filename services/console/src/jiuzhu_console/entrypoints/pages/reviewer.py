"""Pages of the reviewer (审核, plan 五(二): within 5 working days after the home visit): the queue
of investigations, what each still lacks, and a case page with the computation preview — the
figures and formula lines that produced the amount — and the review opinion."""

from __future__ import annotations

from fastapi import APIRouter, Request

from jiuzhu_contracts.base import Role

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain.household_form import FACTS
from jiuzhu_console.domain.temporary_review_form import FIELD_MAP as TEMPORARY_FIELDS
from jiuzhu_console.domain.worklists import check_status, review_readiness
from jiuzhu_console.domain.yuan_input import fen_to_yuan_text
from jiuzhu_console.entrypoints.form_input import form_values
from jiuzhu_console.entrypoints.web import Web
from jiuzhu_console.service_layer import investigation as inv
from jiuzhu_console.service_layer import re_reviews


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    console = web.console

    def reviewer(request: Request):
        return web.holder(request, Role.REVIEWER, page="审核页面")

    @pages.get("/reviewer")
    async def queue(request: Request):
        person = reviewer(request)
        today = await console.today()
        try:
            rows = await inv.tasks(console, person, today)
        except ApiRefused as refusal:
            return web.refused(request, "reviewer/queue.html", person, refusal, today=today, ready=[], waiting=[])
        ready = [r for r in rows if r.readiness[0]]
        waiting = [r for r in rows if not r.readiness[0]]
        try:  # 定期核查 (issue 15): re-reviews whose visit and check report are in
            due = [d for d in await re_reviews.due(console, person, today) if d.ready_for_review]
        except ApiRefused:
            due = None
        return web.render(request, "reviewer/queue.html", person, today=today, ready=ready, waiting=waiting,
                          re_reviews=due)

    async def case_page(request, person, case_id, *, form=None, values=None, refusal=None):
        today = await console.today()
        context = dict(today=today, case_id=case_id, record=None, computed=None, computed_refusal=None,
                       form=form, values=values or {}, facts=FACTS, standard=None)
        try:
            record, _ = await inv.case_view(console, person, case_id)
        except ApiRefused as seen:
            return web.refused(request, "reviewer/case.html", person, refusal or seen, **context)
        context.update(record=record, check=check_status(record), readiness=review_readiness(record),
                       standard=inv.standard_used(console, record, today))
        if context["readiness"][0]:
            try:
                computed = await inv.computation(console, person, case_id)
                context["computed"] = computed
                context["values"] = {"eligible": "yes" if computed["eligible"] else "no",
                                     "proposed_amount_yuan": fen_to_yuan_text(computed["amount_fen"]),
                                     **context["values"]}
            except ApiRefused as seen:
                context["computed_refusal"] = seen
        if refusal:
            return web.refused(request, "reviewer/case.html", person, refusal, **context)
        return web.render(request, "reviewer/case.html", person, errors={}, **context)

    @pages.get("/reviewer/cases/{case_id}")
    async def case(request: Request, case_id: str):
        person = reviewer(request)
        return await case_page(request, person, case_id)

    @pages.post("/reviewer/cases/{case_id}/review")
    async def sign(request: Request, case_id: str):
        person = reviewer(request)
        values = await form_values(request)
        temporary = values.get("category") == "temporary"  # 临时救助: amount by need, tranches (L18 §2)
        body, problems = (inv.temporary_opinion_body if temporary else inv.opinion_body)(values)
        try:
            if problems:
                raise ApiRefused(422, "请检查标红的项目", problems, "console")
            answer = await inv.act(console, person, case_id, "review", body,
                                   TEMPORARY_FIELDS if temporary else {"proposed_amount_fen": "proposed_amount_yuan"})
        except ApiRefused as refusal:
            return await case_page(request, person, case_id, form="review", values=values, refusal=refusal)
        per = "（一次性" + (f"，分{len(answer['tranches'])}次发放）" if answer.get("tranches") else "）") \
            if temporary else "/月"
        amount = f"，拟保障 {fen_to_yuan_text(answer.get('proposed_amount_fen'))} 元{per}" if answer.get("eligible") else ""
        web.flash(request, f"案件 {case_id} 审核意见已签署（第{answer.get('round')}轮）：" +
                  ("符合条件" if answer.get("eligible") else "不符合条件") + amount + "。")
        return web.back("/reviewer")

    @pages.post("/reviewer/cases/{case_id}/dispute")
    async def send_back(request: Request, case_id: str):
        person = reviewer(request)
        try:
            await inv.act(console, person, case_id, "dispute")
        except ApiRefused as refusal:
            return await case_page(request, person, case_id, refusal=refusal)
        web.flash(request, f"案件 {case_id} 已标记为有争议，退回调查人员组织民主评议后再审核。")
        return web.back("/reviewer")

    return pages
