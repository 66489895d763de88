"""Pages of the investigators (入户调查, plan 五(二)): their open tasks most urgent first with the
economic check's state, and a case page with the home visit, household data, dispute and
democratic appraisal, refusal to cooperate and the re-investigation after an objection."""

from __future__ import annotations

from fastapi import APIRouter, Request

from jiuzhu_contracts.base import Role

from jiuzhu_console.entrypoints.tekun_form_context import TEKUN_FORM
from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain.household_form import ASSET_KINDS, ASSET_ROWS, FACTS, INCOME_KINDS, INCOME_ROWS
from jiuzhu_console.domain.household_rows import MEMBER_ROWS
from jiuzhu_console.domain.labels import RELATION
from jiuzhu_console.domain.worklists import check_status
from jiuzhu_console.entrypoints.form_input import form_values
from jiuzhu_console.entrypoints.web import Web
from jiuzhu_console.service_layer import investigation as inv
from jiuzhu_console.service_layer import re_reviews

FORMS = ("visit", "household", "appraisal", "refusal", "reinvestigation")


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    console = web.console

    def investigator(request: Request):
        return web.holder(request, Role.INVESTIGATOR, page="入户调查页面")

    @pages.get("/investigator")
    async def worklist(request: Request):
        person = investigator(request)
        today = await console.today()
        try:
            rows = await inv.tasks(console, person, today)
        except ApiRefused as refusal:
            return web.refused(request, "investigator/worklist.html", person, refusal, today=today, rows=[])
        try:  # 定期核查 (issue 15): the re-reviews under way and due, beside the new cases
            due = await re_reviews.due(console, person, today)
        except ApiRefused:
            due = None
        return web.render(request, "investigator/worklist.html", person, today=today, rows=rows, re_reviews=due)

    async def case_page(request, person, case_id, *, form=None, values=None, refusal=None):
        today = await console.today()
        try:
            record, summary = await inv.case_view(console, person, case_id)
        except ApiRefused as seen:
            return web.refused(request, "investigator/case.html", person, seen, today=today, case_id=case_id,
                               record=None, summary=None, form=None, values={}, check=("none", ""))
        defaults = {"visited_on": today.isoformat(), "held_on": today.isoformat()}
        for i, number in enumerate(record.get("member_id_numbers", [])[:MEMBER_ROWS]):
            defaults[f"members.{i}.id_number"] = number
        defaults["members.0.relation"] = "self"
        context = dict(today=today, case_id=case_id, record=record, summary=summary, form=form,
                       values={**defaults, **(values or {})}, check=check_status(record),
                       partners=inv.partners(console, person), relations=list(RELATION.items()),
                       member_rows=MEMBER_ROWS, income_rows=INCOME_ROWS, asset_rows=ASSET_ROWS,
                       income_kinds=list(INCOME_KINDS.items()), asset_kinds=list(ASSET_KINDS.items()),
                       facts=FACTS, **TEKUN_FORM, income_kind=INCOME_KINDS, asset_kind=ASSET_KINDS)
        if refusal:
            return web.refused(request, "investigator/case.html", person, refusal, **context)
        return web.render(request, "investigator/case.html", person, errors={}, **context)

    @pages.get("/investigator/cases/{case_id}")
    async def case(request: Request, case_id: str):
        person = investigator(request)
        return await case_page(request, person, case_id)

    async def done(request, case_id, message):
        web.flash(request, message)
        return web.back(f"/investigator/cases/{case_id}")

    @pages.post("/investigator/cases/{case_id}/home-visit")
    async def home_visit(request: Request, case_id: str):
        person = investigator(request)
        v = await form_values(request)
        body = {"visited_on": v.get("visited_on", ""), "partner": inv.partner_body(console, v.get("partner", "")),
                "living_conditions": v.get("living_conditions", "").strip(), "findings": v.get("findings", "").strip(),
                "household_signed": bool(v.get("household_signed"))}
        try:
            answer = await inv.act(console, person, case_id, "home-visit", body,
                                   {"partner": "partner", "investigators": "partner"})
        except ApiRefused as refusal:
            return await case_page(request, person, case_id, form="visit", values=v, refusal=refusal)
        due = (answer.get("review_due") or {}).get("due_on", "")
        return await done(request, case_id, f"入户调查记录已保存；审核时限至 {due}。")

    @pages.post("/investigator/cases/{case_id}/household")
    async def household(request: Request, case_id: str):
        person = investigator(request)
        v = await form_values(request)
        try:
            await inv.record_household(console, person, case_id, v)
        except ApiRefused as refusal:
            return await case_page(request, person, case_id, form="household", values=v, refusal=refusal)
        return await done(request, case_id, "家庭信息已录入，已发起家庭经济状况核对。")

    @pages.post("/investigator/cases/{case_id}/dispute")
    async def dispute(request: Request, case_id: str):
        person = investigator(request)
        try:
            await inv.act(console, person, case_id, "dispute")
        except ApiRefused as refusal:
            return await case_page(request, person, case_id, refusal=refusal)
        return await done(request, case_id, "已标记为有争议，请组织民主评议。")

    @pages.post("/investigator/cases/{case_id}/appraisal")
    async def appraisal(request: Request, case_id: str):
        person = investigator(request)
        v = await form_values(request)
        body = {"held_on": v.get("held_on", ""), "result": v.get("result", ""), "minutes": v.get("minutes", "").strip(),
                "participants": [p.strip() for p in v.get("participants", "").replace("、", "\n").splitlines()
                                 if p.strip()]}
        try:
            await inv.act(console, person, case_id, "democratic-appraisal", body)
        except ApiRefused as refusal:
            return await case_page(request, person, case_id, form="appraisal", values=v, refusal=refusal)
        return await done(request, case_id, "民主评议记录已保存。")

    @pages.post("/investigator/cases/{case_id}/refusal")
    async def refusal_to_cooperate(request: Request, case_id: str):
        person = investigator(request)
        v = await form_values(request)
        try:
            await inv.act(console, person, case_id, "refusal-to-cooperate",
                          {"circumstances": v.get("circumstances", "").strip()})
        except ApiRefused as refusal:
            return await case_page(request, person, case_id, form="refusal", values=v, refusal=refusal)
        web.flash(request, f"案件 {case_id} 已记录不配合调查，视为放弃申请。")
        return web.back("/investigator")

    @pages.post("/investigator/cases/{case_id}/reinvestigation")
    async def reinvestigation(request: Request, case_id: str):
        person = investigator(request)
        v = await form_values(request)
        body = {"partner": inv.partner_body(console, v.get("re_partner", "")),
                "objection_upheld": v.get("objection_upheld") == "yes", "findings": v.get("re_findings", "").strip()}
        try:
            await inv.act(console, person, case_id, "reinvestigation", body,
                          {"partner": "re_partner", "investigators": "re_partner", "findings": "re_findings"})
        except ApiRefused as refusal:
            return await case_page(request, person, case_id, form="reinvestigation", values=v, refusal=refusal)
        return await done(request, case_id, "重新调查结论已保存，待重新审核。")

    return pages
