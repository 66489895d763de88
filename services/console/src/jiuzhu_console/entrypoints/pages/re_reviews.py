"""Pages of the console for 定期核查 (D21 art. 31–32, issue 15): the investigators record the home
visit and the household data of a re-review as for a new case (the same forms), the reviewer signs
the proposal — continue, change the amount, stop — beside the computation, and the leader (or the
district bureau where it decides) continues support here or changes / ends it on the supported
household's page, which resolves the proposal. Every rule is the services'."""

from __future__ import annotations

from fastapi import APIRouter, Request

from jiuzhu_contracts.base import Role

from jiuzhu_console.entrypoints.tekun_form_context import TEKUN_FORM
from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain.household_form import ASSET_KINDS, ASSET_ROWS, FACTS, INCOME_KINDS, INCOME_ROWS
from jiuzhu_console.domain.household_rows import MEMBER_ROWS
from jiuzhu_console.domain.labels import RELATION
from jiuzhu_console.domain.re_review_form import CAUSES, OUTCOMES, STATUS, proposal_body
from jiuzhu_console.domain.yuan_input import fen_to_yuan_text
from jiuzhu_console.entrypoints.form_input import form_values
from jiuzhu_console.entrypoints.pages.leader import reasons_of
from jiuzhu_console.entrypoints.web import Web
from jiuzhu_console.service_layer import investigation as inv
from jiuzhu_console.service_layer import re_reviews as rr

DECIDERS = (Role.LEADER, Role.BUREAU_ADMIN)
LABELS = dict(OUTCOMES=OUTCOMES, CAUSES=CAUSES, STATUS=STATUS)


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    console = web.console

    # --- investigators: the home visit and the household data ------------------------------------
    async def investigator_page(request, person, case_id, *, form=None, values=None, refusal=None):
        today = await console.today()
        context = dict(today=today, case_id=case_id, h=None, form=form, values=values or {}, **LABELS)
        try:
            h = await rr.household(console, person, case_id)
        except ApiRefused as seen:
            return web.refused(request, "re_review/investigator.html", person, seen, **context)
        current = h.get("current") or {}
        defaults = {"visited_on": today.isoformat(), "members.0.relation": "self"}
        members = ((current.get("household") or {}).get("members")) or []
        for i, m in enumerate(members[:MEMBER_ROWS]):
            defaults.update({f"members.{i}.name": m.get("name", ""), f"members.{i}.id_number": m.get("id_number", ""),
                             f"members.{i}.relation": m.get("relation", "")})
        context.update(h=h, current=current, deadline=console.deadline(current.get("due_on"), today),
                       values={**defaults, **(values or {})}, partners=inv.partners(console, person),
                       relations=list(RELATION.items()), member_rows=MEMBER_ROWS, income_rows=INCOME_ROWS,
                       asset_rows=ASSET_ROWS, income_kinds=list(INCOME_KINDS.items()),
                       asset_kinds=list(ASSET_KINDS.items()), facts=FACTS, **TEKUN_FORM)
        if refusal:
            return web.refused(request, "re_review/investigator.html", person, refusal, **context)
        return web.render(request, "re_review/investigator.html", person, errors={}, **context)

    def investigator(request: Request):
        return web.holder(request, Role.INVESTIGATOR, page="定期核查（入户调查）页面")

    @pages.get("/investigator/re-reviews/{case_id}")
    async def investigate(request: Request, case_id: str):
        return await investigator_page(request, investigator(request), case_id)

    @pages.post("/investigator/re-reviews/{case_id}/home-visit")
    async def home_visit(request: Request, case_id: str):
        person = investigator(request)
        v = await form_values(request)
        body = {"visited_on": v.get("visited_on", ""), "partner": inv.partner_body(console, v.get("partner", "")),
                "living_conditions": v.get("living_conditions", "").strip(), "findings": v.get("findings", "").strip(),
                "household_signed": bool(v.get("household_signed"))}
        try:
            await rr.act(console, person, case_id, "home-visit", body, {"partner": "partner", "investigators": "partner"})
        except ApiRefused as refusal:
            return await investigator_page(request, person, case_id, form="visit", values=v, refusal=refusal)
        web.flash(request, "核查入户调查记录已保存。")
        return web.back(f"/investigator/re-reviews/{case_id}")

    @pages.post("/investigator/re-reviews/{case_id}/household")
    async def household(request: Request, case_id: str):
        person = investigator(request)
        v = await form_values(request)
        try:
            await rr.record_household(console, person, case_id, v)
        except ApiRefused as refusal:
            return await investigator_page(request, person, case_id, form="household", values=v, refusal=refusal)
        web.flash(request, "家庭信息已录入，已发起家庭经济状况核对。")
        return web.back(f"/investigator/re-reviews/{case_id}")

    # --- the reviewer: the proposal ----------------------------------------------------------------
    def reviewer(request: Request):
        return web.holder(request, Role.REVIEWER, page="定期核查（审核）页面")

    async def reviewer_page(request, person, case_id, *, values=None, refusal=None):
        today = await console.today()
        context = dict(today=today, case_id=case_id, h=None, computed=None, computed_refusal=None,
                       values=values or {}, facts=FACTS, **TEKUN_FORM, **LABELS)
        try:
            h = await rr.household(console, person, case_id)
        except ApiRefused as seen:
            return web.refused(request, "re_review/reviewer.html", person, refusal or seen, **context)
        context.update(h=h, current=h.get("current") or {})
        try:
            computed = await rr.computation(console, person, case_id)
            context["computed"] = computed
            context["values"] = {"outcome": "change" if computed["eligible"] else "stop",
                                 "proposed_amount_yuan": fen_to_yuan_text(computed["amount_fen"])
                                 if computed["eligible"] else "", **context["values"]}
        except ApiRefused as seen:
            context["computed_refusal"] = seen
        if refusal:
            return web.refused(request, "re_review/reviewer.html", person, refusal, **context)
        return web.render(request, "re_review/reviewer.html", person, errors={}, **context)

    @pages.get("/reviewer/re-reviews/{case_id}")
    async def review_page(request: Request, case_id: str):
        return await reviewer_page(request, reviewer(request), case_id)

    @pages.post("/reviewer/re-reviews/{case_id}/review")
    async def sign(request: Request, case_id: str):
        person = reviewer(request)
        values = await form_values(request)
        body, problems = proposal_body(values)
        try:
            if problems:
                raise ApiRefused(422, "请检查标红的项目", problems, "console")
            answer = await rr.act(console, person, case_id, "review", body,
                                  {"proposed_amount_fen": "proposed_amount_yuan"})
        except ApiRefused as refusal:
            return await reviewer_page(request, person, case_id, values=values, refusal=refusal)
        outcome = OUTCOMES.get(answer.get("outcome"), "")
        web.flash(request, f"{case_id} 第{answer.get('round')}次核查意见已签署：{outcome}，报分管领导决定；"
                           f"下次核查 {answer.get('next_on')}。")
        return web.back("/reviewer")

    # --- the authority: the proposals awaiting a decision ----------------------------------------
    def decider(request: Request):
        return web.holder(request, *DECIDERS, page="定期核查结果决定页面")

    async def queue_page(request, person, jurisdiction: str, status_code=200, **extra):
        today = await console.today()
        choices = console.jurisdictions_of(person)
        jurisdiction = jurisdiction if jurisdiction in choices else choices[0]
        rows, refusal = [], None
        try:
            rows = await rr.pending(console, person, jurisdiction)
        except ApiRefused as exc:
            refusal = exc
        for row in rows:
            try:
                row["household"] = await console.api.get("decision", jurisdiction,
                                                         f"/supported-households/{row['case_id']}", person.token)
            except ApiRefused:
                row["household"] = None
        return web.render(request, "re_review/outcomes.html", person, status_code=status_code, today=today,
                          rows=rows, list_refusal=refusal, jurisdiction=jurisdiction, choices=choices,
                          values=extra.pop("values", {}), errors=extra.pop("errors", {}), **LABELS, **extra)

    @pages.get("/leader/re-reviews")
    async def outcomes(request: Request, jurisdiction: str = ""):
        return await queue_page(request, decider(request), jurisdiction)

    @pages.post("/leader/re-reviews/{case_id}/continue")
    async def continue_support(request: Request, case_id: str):
        person = decider(request)
        values = await form_values(request)
        try:
            answer = await rr.continue_support(console, person, case_id, reasons_of(values.get("reasons", "")))
        except ApiRefused as refusal:
            return await queue_page(request, person, inv.jurisdiction_of(case_id), refusal=refusal,
                                    status_code=refusal.status if 400 <= refusal.status < 500 else 503,
                                    values={case_id: values.get("reasons", "")},
                                    errors={case_id: refusal.fields.get("reasons") or refusal.message})
        web.flash(request, f"{case_id} 第{answer.get('round')}次核查：继续保障，月保障金 "
                           f"{fen_to_yuan_text(answer.get('amount_fen'))} 元不变。")
        return web.back(f"/leader/re-reviews?jurisdiction={inv.jurisdiction_of(case_id)}")

    return pages
