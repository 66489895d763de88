"""主动发现 (plan 四(三)2, 五(一); issue 16 item 7) through intake's public API with the person's own
token: the committee's report of a household in difficulty, the window's list of reports to follow
up, and the follow-up — an application made on the household's behalf with its authorisation
(代为申请) or the report closed with a reason. Intake decides every rule."""

from __future__ import annotations

import datetime as dt

from jiuzhu_contracts.base import Role

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain.application_form import application_body, chinese_message, form_errors
from jiuzhu_console.domain.person import Person
from jiuzhu_console.service_layer.context import Console

CM, C = Role.COMMITTEE, Role.CLERK
DIFFICULTIES = (("no_income", "无收入来源"), ("illness", "重病"), ("disability", "残疾"),
                ("elderly_alone", "独居老人 / 无人赡养"), ("child_without_care", "困境儿童"),
                ("accident", "突发事件、意外事故"), ("housing", "住房困难"), ("other", "其他"))
CLOSING_REASONS = (("not_in_difficulty", "核实后家庭不困难"), ("declined", "家庭不愿申请"),
                   ("already_supported", "已在保或已有在办申请"), ("not_found", "查无此户 / 已迁出"),
                   ("referred", "转介其他部门或其他救助"), ("other", "其他"))
DOCUMENTS = (("written", "书面委托书，本人签字"), ("thumbprint", "委托书，本人按指印"),
             ("guardian", "监护人代签"))
STATUS = {"open": "待跟进", "application_made": "已代为申请", "closed": "已办结"}


async def reports(console: Console, person: Person, status: str | None) -> list[dict]:
    return await console.api.get("intake", person.jurisdiction, "/discoveries", person.token, status=status or None)


async def report(console: Console, person: Person, number: str) -> dict:
    return await console.api.get("intake", jurisdiction_of(number), f"/discoveries/{number}", person.token)


def jurisdiction_of(number: str) -> str:
    """``{jurisdiction}-FX-{year}-{n}``: the report is kept by its jurisdiction's intake."""
    return number.split("-", 1)[0]


def report_body(values: dict) -> dict:
    chosen = values.get("difficulties") or []
    size = str(values.get("household.household_size", "")).strip()
    return {"committee": values.get("committee", ""),
            "household": {"name": str(values.get("household.name", "")).strip(),
                          "address": str(values.get("household.address", "")).strip(),
                          "contact_phone": str(values.get("household.contact_phone", "")).strip() or None,
                          "household_size": int(size) if size.isdigit() else None},
            "difficulties": [chosen] if isinstance(chosen, str) else list(chosen),
            "observed": str(values.get("observed", "")).strip()}


async def make_report(console: Console, person: Person, values: dict) -> dict:
    return await console.api.post("intake", person.jurisdiction, "/discoveries", person.token, report_body(values))


async def apply_on_behalf(console: Console, person: Person, number: str, values: dict) -> dict:
    """The window's application form and the household's authorisation, in one request: intake
    records both or neither. Refusals come back keyed by the form's own input names."""
    application, kept, problems = application_body(values)
    if problems:
        raise ApiRefused(422, "请检查标红的项目", problems, "console")
    body = {"application": application,
            "authorisation": {"signed_by": str(values.get("authorisation.signed_by", "")).strip(),
                              "signed_on": values.get("authorisation.signed_on", ""),
                              "document": values.get("authorisation.document", "")},
            "note": str(values.get("apply_note", "")).strip() or None}
    try:
        return await console.api.post("intake", jurisdiction_of(number), f"/discoveries/{number}/application",
                                      person.token, body)
    except ApiRefused as refusal:
        application_fields = {k.removeprefix("application."): v for k, v in refusal.fields.items()
                              if k.startswith("application.")}
        others = {("apply_note" if k == "note" else k): v for k, v in refusal.fields.items()
                  if not k.startswith("application.")}
        fields = {**form_errors(application_fields, kept), **others}
        raise ApiRefused(refusal.status, chinese_message(refusal.message), fields, refusal.service) from None


async def close(console: Console, person: Person, number: str, values: dict) -> dict:
    """The form's names are its own (the application form beside it has a ``reason`` too)."""
    try:
        return await console.api.post("intake", jurisdiction_of(number), f"/discoveries/{number}/close",
                                      person.token, {"reason": values.get("closing_reason", ""),
                                                     "note": str(values.get("closing_note", "")).strip()})
    except ApiRefused as refusal:
        fields = {{"reason": "closing_reason", "note": "closing_note"}.get(k, k): v for k, v in refusal.fields.items()}
        raise ApiRefused(refusal.status, refusal.message, fields, refusal.service) from None


def prefill(r: dict, today: dt.date, jurisdiction: str) -> dict:
    """The follow-up's application form, started from what the committee reported."""
    h = r.get("household") or {}
    return {"registration_jurisdiction": jurisdiction, "committee": r.get("committee", ""),
            "address": h.get("address", ""), "contact_phone": h.get("contact_phone") or "",
            "members.0.name": h.get("name", ""), "members.0.relation": "self", "materials": [],
            "authorisation.signed_by": h.get("name", ""), "authorisation.signed_on": today.isoformat(),
            "authorisation.document": "written"}
