"""Pages of the console for a supported household's own changes (户内变更, issue 15 item 6): the
clerk (or leader) records a member who joined or left — a death is a member who left — a new
payment account or a new address; the leader (the bureau where it decides) asks another jurisdiction
to take a household that moves there; that jurisdiction's leader accepts or refuses it. Decision
holds every rule; its refusal is shown beside the field it names."""

from __future__ import annotations

from fastapi import APIRouter, Request

from jiuzhu_contracts.base import Role

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain.household_change_form import JOIN_CAUSES, LEAVE_CAUSES, change_body, form_field
from jiuzhu_console.domain.labels import RELATION
from jiuzhu_console.entrypoints.form_input import form_values
from jiuzhu_console.entrypoints.pages.leader import reasons_of
from jiuzhu_console.entrypoints.pages.support import STATUS_ZH, jurisdiction_of
from jiuzhu_console.entrypoints.web import Web

READERS = (Role.CLERK, Role.LEADER, Role.BUREAU_ADMIN)
RECORDERS = (Role.CLERK, Role.LEADER)
DECIDERS = (Role.LEADER, Role.BUREAU_ADMIN)
TRANSFER_STATUS = {"requested": "待接收", "accepted": "已接收", "refused": "不同意迁入"}


def _status(refusal: ApiRefused) -> int:
    return refusal.status if 400 <= refusal.status < 500 else 503


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    console = web.console
    api = console.api

    # --- the household's page: members, account, address; its move --------------------------------
    async def household_page(request, person, case_id, status_code=200, **extra):
        today = await console.today()
        jurisdiction = jurisdiction_of(case_id)
        try:
            d = await api.get("decision", jurisdiction, f"/supported-households/{case_id}/household", person.token)
        except ApiRefused as exc:
            return web.render(request, "message.html", person, status_code=_status(exc), today=today,
                              title="无法查看该户", message=exc.message)
        others = [(j.code, j.name) for j in console.config.jurisdictions if j.code != jurisdiction]
        committees = [(c, c) for c in console.config.jurisdiction(jurisdiction).committees] \
            if any(j.code == jurisdiction for j in console.config.jurisdictions) else []
        return web.render(request, "household/household.html", person, status_code=status_code, today=today, d=d,
                          STATUS_ZH=STATUS_ZH, join_causes=list(JOIN_CAUSES.items()),
                          leave_causes=list(LEAVE_CAUSES.items()), relations=list(RELATION.items()),
                          others=others, committees=committees,
                          member_options=[(n, n) for n in d.get("member_id_numbers", [])], may_record=person.has(*RECORDERS),
                          may_move=person.has(*DECIDERS), values=extra.pop("values", {}),
                          errors=extra.pop("errors", {}), **extra)

    @pages.get("/support/households/{case_id}/household")
    async def household(request: Request, case_id: str):
        person = web.holder(request, *READERS, page="户内变更页面")
        return await household_page(request, person, case_id)

    @pages.post("/support/households/{case_id}/household")
    async def change(request: Request, case_id: str):
        person = web.holder(request, *RECORDERS, page="户内变更")
        values = await form_values(request)
        body, problems = change_body(values, await console.today())
        try:
            if problems:
                raise ApiRefused(422, "请检查标红的项目", problems, "console")
            await api.post("decision", jurisdiction_of(case_id), f"/supported-households/{case_id}/household",
                           person.token, body)
        except ApiRefused as refusal:
            errors = {form_field(k): v for k, v in refusal.fields.items()}
            return await household_page(request, person, case_id, status_code=_status(refusal), form="change",
                                        values=values, errors=errors, refusal=refusal)
        died = any(m["cause"] == "death" for m in body.get("members_removed", []))
        after_death = "成员死亡的，应于3个月内完成核查（N22 §1.3）；" if died else ""
        web.flash(request, f"户内变更已登记。{after_death}保障金额如需调整，由分管领导另行决定。")
        return web.back(f"/support/households/{case_id}/household")

    @pages.post("/support/households/{case_id}/transfer")
    async def transfer(request: Request, case_id: str):
        person = web.holder(request, *DECIDERS, page="迁出申请")
        values = await form_values(request)
        body = {"to_jurisdiction": values.get("to_jurisdiction", ""), "address": values.get("to_address", "").strip(),
                "reasons": reasons_of(values.get("transfer_reasons", ""))}
        if values.get("from_month"):
            body["from_month"] = values["from_month"]
        try:
            answer = await api.post("decision", jurisdiction_of(case_id), f"/supported-households/{case_id}/transfer",
                                    person.token, body)
        except ApiRefused as refusal:
            rename = {"address": "to_address", "reasons": "transfer_reasons"}
            errors = {rename.get(k.split(".")[0], k.split(".")[0]): v for k, v in refusal.fields.items()}
            return await household_page(request, person, case_id, status_code=_status(refusal), form="transfer",
                                        values=values, errors=errors, refusal=refusal)
        to = console.jurisdiction_name(answer["to_jurisdiction"])
        web.flash(request, f"已向{to}发出迁移申请 {answer['transfer_id']}，请其自{answer['from_month']}起保障；"
                           "对方接收前本辖区继续保障。")
        return web.back(f"/support/households/{case_id}/household")

    # --- the receiving jurisdiction: incoming transfers ----------------------------------------------
    def where(person, asked: str) -> tuple[str, list[str]]:
        choices = console.jurisdictions_of(person)
        return (asked if asked in choices else choices[0]), choices

    @pages.get("/transfers")
    async def incoming(request: Request, jurisdiction: str = "", status: str = "requested"):
        person = web.holder(request, *READERS, page="迁入申请页面")
        today = await console.today()
        code, choices = where(person, jurisdiction)
        rows, refusal = [], None
        try:
            rows = await api.get("decision", code, "/transfers", person.token,
                                 status=status if status in TRANSFER_STATUS else None)
        except ApiRefused as exc:
            refusal = exc
        return web.render(request, "household/transfers.html", person, today=today, rows=rows, list_refusal=refusal,
                          jurisdiction=code, choices=choices, status=status, TRANSFER_STATUS=TRANSFER_STATUS)

    async def transfer_page(request, person, code, transfer_id, status_code=200, **extra):
        today = await console.today()
        try:
            t = await api.get("decision", code, f"/transfers/{transfer_id}", person.token)
        except ApiRefused as exc:
            return web.render(request, "message.html", person, status_code=_status(exc), today=today,
                              title="无法查看该迁入申请", message=exc.message)
        committees = [(c, c) for c in console.config.jurisdiction(code).committees]
        return web.render(request, "household/transfer.html", person, status_code=status_code, today=today, t=t,
                          jurisdiction=code, committees=committees, TRANSFER_STATUS=TRANSFER_STATUS,
                          may_decide=person.has(*DECIDERS), values=extra.pop("values", {}),
                          errors=extra.pop("errors", {}), **extra)

    @pages.get("/transfers/{transfer_id}")
    async def one(request: Request, transfer_id: str, jurisdiction: str = ""):
        person = web.holder(request, *READERS, page="迁入申请页面")
        code, _ = where(person, jurisdiction)
        return await transfer_page(request, person, code, transfer_id)

    async def answer(request: Request, transfer_id: str, action: str, body_of, done: str):
        person = web.holder(request, *DECIDERS, page="迁入申请的决定")
        values = await form_values(request)
        code, _ = where(person, values.get("jurisdiction", ""))
        try:
            result = await api.post("decision", code, f"/transfers/{transfer_id}/{action}", person.token,
                                    body_of(values))
        except ApiRefused as refusal:
            errors = {("refusal_reasons" if k.startswith("reasons") else k.split(".")[0]): v
                      for k, v in refusal.fields.items()}
            return await transfer_page(request, person, code, transfer_id, status_code=_status(refusal),
                                       values=values, errors=errors, refusal=refusal)
        web.flash(request, done.format(**result))
        return web.back(f"/transfers/{transfer_id}?jurisdiction={code}")

    @pages.post("/transfers/{transfer_id}/acceptance")
    async def accept(request: Request, transfer_id: str):
        def body(v):
            out = {"committee": v.get("committee", "")}
            for key in ("first_month_paid", "address", "area"):
                if v.get(key):
                    out[key] = v[key].strip()
            return out
        return await answer(request, transfer_id, "acceptance", body,
                            "已同意迁入：新编号 {case_id}，自{first_month_paid}起由本辖区保障。")

    @pages.post("/transfers/{transfer_id}/refusal")
    async def refuse(request: Request, transfer_id: str):
        return await answer(request, transfer_id, "refusal",
                            lambda v: {"reasons": reasons_of(v.get("refusal_reasons", ""))},
                            "已作出不同意迁入的决定，该户继续由迁出地保障。")

    return pages
