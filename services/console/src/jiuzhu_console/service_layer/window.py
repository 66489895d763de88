"""The window clerk's work, through intake's public API with the clerk's own token: the cases of
their jurisdiction, new applications and resubmissions (plan 五(一): 一次性告知), withdrawals and
the close-relative register (近亲属备案, D12 art. 14)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain.application_form import application_body, chinese_message, form_errors
from jiuzhu_console.domain.awaiting_correction import days_waiting, waiting_order
from jiuzhu_console.domain.person import Person
from jiuzhu_console.domain.urgency import Deadline
from jiuzhu_console.domain.worklists import current_due, is_open, most_urgent_first
from jiuzhu_console.service_layer.context import Console

RECENT_CLOSED = 20


@dataclass(frozen=True)
class Row:
    case: dict
    clock: str | None
    deadline: Deadline


async def worklist(console: Console, person: Person, today: dt.date) -> tuple[list[Row], list[Row]]:
    """Open cases most urgent first; the latest closed ones after them."""
    cases = await console.api.get("intake", person.jurisdiction, "/cases", person.token, limit=500)
    open_rows, closed = [], []
    for case in cases:
        clock, due_on = current_due(case)
        d = console.deadline(due_on, today)
        (open_rows if is_open(case) else closed).append((d, case, clock))
    ordered = most_urgent_first([(d, c) for d, c, _ in open_rows])
    clocks = {c["case_id"]: k for _, c, k in open_rows}
    return ([Row(c, clocks[c["case_id"]], d) for d, c in ordered],
            [Row(c, k, d) for d, c, k in closed[:RECENT_CLOSED]])


@dataclass(frozen=True)
class Waiting:
    """An application waiting for the household to bring what its one-time notice listed."""

    application: dict
    deadline: Deadline
    days_waiting: int | None


async def awaiting_correction(console: Console, person: Person, today: dt.date) -> list[Waiting]:
    """Intake's open one-time notices (plan 五(一)): most overdue first where a notice has a due date,
    else the oldest notice first."""
    listed = await console.api.get("intake", person.jurisdiction, "/applications", person.token,
                                   status="awaiting_correction", limit=500)
    rows = [(console.deadline((a.get("notice") or {}).get("due_on"), today), a) for a in listed]
    return [Waiting(a, d, days_waiting((a.get("notice") or {}).get("issued_on"), today))
            for d, a in waiting_order(rows)]


async def application(console: Console, person: Person, application_id: str) -> dict:
    """One application as last submitted (its content in ``POST /applications``' shape), its status,
    notice and case id."""
    return await console.api.get("intake", person.jurisdiction, f"/applications/{quote(application_id, safe='')}",
                                 person.token)


def committees(console: Console, jurisdiction: str) -> list[str]:
    try:
        return list(console.config.jurisdiction(jurisdiction).committees)
    except KeyError:
        return []


def refusal_for_form(refusal: ApiRefused, fields: dict[str, str]) -> ApiRefused:
    return ApiRefused(refusal.status, chinese_message(refusal.message), fields, refusal.service)


async def submit(console: Console, person: Person, values: dict, application_id: str | None = None) -> dict:
    """Submit (or resubmit after the one-time notice); refusals come back keyed by the form's
    own input names."""
    body, kept, problems = application_body(values)
    if problems:
        raise ApiRefused(422, "请检查标红的项目", problems, "console")
    path = f"/applications/{application_id}/resubmissions" if application_id else "/applications"
    try:
        return await console.api.post("intake", person.jurisdiction, path, person.token, body)
    except ApiRefused as refusal:
        raise refusal_for_form(refusal, form_errors(refusal.fields, kept)) from None


async def withdraw(console: Console, person: Person, case_id: str, reason: str) -> dict:
    try:
        return await console.api.post("intake", jurisdiction_of(case_id), f"/cases/{case_id}/withdrawal",
                                      person.token, {"reason": reason.strip()})
    except ApiRefused as refusal:
        from jiuzhu_console.domain.application_form import readable

        raise refusal_for_form(refusal, {k: readable(k, v) for k, v in refusal.fields.items()}) from None


async def close_relatives(console: Console, person: Person) -> list[dict]:
    return await console.api.get("intake", person.jurisdiction, "/close-relatives", person.token)


async def register_close_relative(console: Console, person: Person, values: dict) -> dict:
    body = {k: str(values.get(k, "")).strip() for k in
            ("staff_id", "staff_name", "relative_name", "relative_id_number", "relation")}
    try:
        return await console.api.post("intake", person.jurisdiction, "/close-relatives", person.token, body)
    except ApiRefused as refusal:
        from jiuzhu_console.domain.application_form import readable

        raise refusal_for_form(refusal, {k: readable(k, v) for k, v in refusal.fields.items()}) from None


def jurisdiction_of(case_id: str) -> str:
    """Case ids are ``<jurisdiction>-<year>-<n>``."""
    return case_id.split("-", 1)[0]
