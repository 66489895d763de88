"""Investigation and review through verification's public API with the person's own token
(plan 五(二): 入户调查 by two investigators, household data and the economic check, democratic
appraisal when disputed; the review signed by someone who did not investigate)."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from jiuzhu_contracts.base import Area, Category, Role

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain.application_form import chinese_message, readable
from jiuzhu_console.domain.household_form import household_body, household_errors
from jiuzhu_console.domain.person import Person
from jiuzhu_console.domain.temporary_review_form import temporary_fields
from jiuzhu_console.domain.urgency import Deadline
from jiuzhu_console.domain.worklists import check_status, most_urgent_first, review_readiness
from jiuzhu_console.domain.yuan_input import NotAnAmount, yuan_to_fen
from jiuzhu_console.service_layer.context import Console


@dataclass(frozen=True)
class Task:
    task: dict
    record: dict | None
    deadline: Deadline
    check: tuple[str, str]
    readiness: tuple[bool, str]


def jurisdiction_of(case_id: str) -> str:
    return case_id.split("-", 1)[0]


async def _record(console: Console, person: Person, jurisdiction: str, case_id: str) -> dict | None:
    try:
        return await console.api.get("verification", jurisdiction, f"/cases/{case_id}", person.token)
    except ApiRefused:
        return None


async def tasks(console: Console, person: Person, today: dt.date) -> list[Task]:
    """Open investigations of the person's jurisdiction(s), most urgent first, each with its record
    (the economic check's state and whether it can be reviewed are in the record, not the list)."""
    out: list[Task] = []
    for jurisdiction in console.jurisdictions_of(person):
        listed = await console.api.get("verification", jurisdiction, "/tasks", person.token, limit=500)
        records = await asyncio.gather(*(_record(console, person, jurisdiction, t["case_id"]) for t in listed))
        for task, record in zip(listed, records, strict=True):
            out.append(Task(task, record, console.deadline(task.get("due_on"), today), check_status(record),
                            review_readiness(record)))
    ordered = most_urgent_first([(t.deadline, t.task) for t in out])
    by_id = {t.task["case_id"]: t for t in out}
    return [by_id[task["case_id"]] for _, task in ordered]


async def case_view(console: Console, person: Person, case_id: str) -> tuple[dict | None, dict | None]:
    """verification's record and intake's summary (the latter for the timeline and dues)."""
    jurisdiction = jurisdiction_of(case_id)
    record = await console.api.get("verification", jurisdiction, f"/cases/{case_id}", person.token)
    try:
        summary = await console.api.get("intake", jurisdiction, f"/cases/{case_id}", person.token)
    except ApiRefused:
        summary = None
    return record, summary


def partners(console: Console, person: Person) -> list[tuple[str, str]]:
    """The other investigators of the same jurisdiction (staff directory): the home visit is made by
    at least two (D21 art. 16)."""
    return [(s.id, s.name) for s in console.config.staff
            if Role.INVESTIGATOR in s.roles and s.jurisdiction == person.jurisdiction and s.id != person.id]


def partner_body(console: Console, partner_id: str) -> dict:
    name = next((s.name for s in console.config.staff if s.id == partner_id), "")
    return {"id": partner_id, "name": name}


async def act(console: Console, person: Person, case_id: str, action: str, body: dict | None = None,
              field_map: dict[str, str] | None = None, *, under: str = "/cases") -> dict:
    """One investigation or review command (``under``: ``/cases`` for a case, ``/re-reviews`` for a
    re-review, which takes the same steps); refusals keyed by the form's input names."""
    try:
        return await console.api.post("verification", jurisdiction_of(case_id), f"{under}/{case_id}/{action}",
                                      person.token, body or {})
    except ApiRefused as refusal:
        fields = {}
        for api_field, rule in refusal.fields.items():
            field = (field_map or {}).get(api_field, (field_map or {}).get(api_field.split(".", 1)[0], api_field))
            fields[field] = readable(field, rule)
        raise ApiRefused(refusal.status, chinese_message(refusal.message), fields, refusal.service) from None


async def record_household(console: Console, person: Person, case_id: str, values: dict, *,
                           under: str = "/cases") -> dict:
    body, kept, problems = household_body(values)
    if problems:
        raise ApiRefused(422, "请检查标红的项目", problems, "console")
    try:
        return await console.api.post("verification", jurisdiction_of(case_id), f"{under}/{case_id}/household",
                                      person.token, body)
    except ApiRefused as refusal:
        raise ApiRefused(refusal.status, chinese_message(refusal.message), household_errors(refusal.fields, kept),
                         refusal.service) from None


# --- review ------------------------------------------------------------------------------------
async def computation(console: Console, person: Person, case_id: str, *, under: str = "/cases") -> dict:
    return await console.api.get("verification", jurisdiction_of(case_id), f"{under}/{case_id}/computation",
                                 person.token)


def standard_used(console: Console, record: dict, today: dt.date) -> int | None:
    """The monthly dibao standard the computation applied (verification: this year's, the
    jurisdiction's own line over the district's) — shown beside the figures, from the same file."""
    try:
        return console.config.standard(Category.DIBAO if record["category"] != "tekun" else Category.TEKUN,
                                       Area(record["area"]), today.year, jurisdiction_of(record["case_id"]))
    except (LookupError, ValueError):
        return None


def temporary_opinion_body(values: dict) -> tuple[dict, dict[str, str]]:
    """A temporary case's opinion: the amount by need, a large amount's reason, the tranches."""
    body, problems = opinion_body(values)
    if body["eligible"] and not problems:
        extra, more = temporary_fields(values, body["proposed_amount_fen"])
        body.update(extra)
        problems.update(more)
    return body, problems


def opinion_body(values: dict) -> tuple[dict, dict[str, str]]:
    problems: dict[str, str] = {}
    eligible = values.get("eligible") == "yes"
    if values.get("eligible") not in ("yes", "no"):
        problems["eligible"] = "请选择审核意见"
    fen = 0
    if eligible:
        try:
            fen = yuan_to_fen(values.get("proposed_amount_yuan"))
        except NotAnAmount as exc:
            problems["proposed_amount_yuan"] = str(exc)
        if fen is None:
            problems["proposed_amount_yuan"] = "请填写拟保障金额（元）"
    reasons = [line.strip() for line in str(values.get("reasons", "")).splitlines() if line.strip()]
    override = str(values.get("override_reason", "")).strip() or None
    return {"eligible": eligible, "proposed_amount_fen": fen or 0, "reasons": reasons,
            "override_reason": override}, problems
