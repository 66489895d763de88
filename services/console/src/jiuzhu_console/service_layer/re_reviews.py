"""定期核查 (D21 art. 31) through the services' public APIs with the person's own token: the
investigators' and the reviewer's re-reviews (verification ``/re-reviews``), and the proposals
awaiting the authority (decision ``/re-review-outcomes``). The steps are the investigation's, so
the forms and their refusals are read the same way (``investigation.act``'s field map)."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain.person import Person
from jiuzhu_console.domain.urgency import Deadline
from jiuzhu_console.domain.worklists import most_urgent_first
from jiuzhu_console.service_layer.context import Console
from jiuzhu_console.service_layer import investigation
from jiuzhu_console.service_layer.investigation import jurisdiction_of

RE_REVIEWS = "/re-reviews"  # verification's re-reviews take the investigation's steps


@dataclass(frozen=True)
class Due:
    item: dict  # verification's work-list row
    record: dict | None  # the household's re-reviews (the open round's steps)
    deadline: Deadline

    @property
    def current(self) -> dict:
        return (self.record or {}).get("current") or {}

    @property
    def step(self) -> str:
        """Where the open round stands, in the investigators' words."""
        if self.item.get("status") != "open":
            return "到期待开启"
        c = self.current
        if not c.get("visit"):
            return "待入户调查"
        if not c.get("household"):
            return "待录入家庭信息"
        if not c.get("check_report"):
            return "核对中，等待核对报告"
        return "待审核人签署核查意见"

    @property
    def ready_for_review(self) -> bool:
        c = self.current
        return self.item.get("status") == "open" and bool(c.get("visit") and c.get("check_report"))


async def _record(console: Console, person: Person, jurisdiction: str, case_id: str) -> dict | None:
    try:
        return await console.api.get("verification", jurisdiction, f"/re-reviews/{case_id}", person.token)
    except ApiRefused:
        return None


async def due(console: Console, person: Person, today: dt.date) -> list[Due]:
    """Re-reviews under way and those already due in the person's jurisdiction(s), most urgent first
    (the working days left on the district's calendar, as every worklist)."""
    out: list[Due] = []
    for jurisdiction in console.jurisdictions_of(person):
        listed = await console.api.get("verification", jurisdiction, "/re-reviews", person.token)
        records = await asyncio.gather(*(_record(console, person, jurisdiction, r["case_id"]) for r in listed))
        out += [Due(r, rec, console.deadline(r.get("due_on"), today)) for r, rec in zip(listed, records, strict=True)]
    ordered = most_urgent_first([(d.deadline, d.item) for d in out])
    by_id = {d.item["case_id"]: d for d in out}
    return [by_id[item["case_id"]] for _, item in ordered]


async def household(console: Console, person: Person, case_id: str) -> dict:
    return await console.api.get("verification", jurisdiction_of(case_id), f"/re-reviews/{case_id}", person.token)


async def act(console: Console, person: Person, case_id: str, step: str, body: dict,
              field_map: dict[str, str] | None = None) -> dict:
    """One step of the open re-review; refusals keyed by the form's input names."""
    return await investigation.act(console, person, case_id, step, body, field_map, under=RE_REVIEWS)


async def record_household(console: Console, person: Person, case_id: str, values: dict) -> dict:
    return await investigation.record_household(console, person, case_id, values, under=RE_REVIEWS)


async def computation(console: Console, person: Person, case_id: str) -> dict:
    return await investigation.computation(console, person, case_id, under=RE_REVIEWS)


# --- the authority's queue (decision) ------------------------------------------------------------
async def pending(console: Console, person: Person, jurisdiction: str) -> list[dict]:
    return await console.api.get("decision", jurisdiction, "/re-review-outcomes", person.token, status="pending")


async def continue_support(console: Console, person: Person, case_id: str, reasons: list[str]) -> dict:
    return await console.api.post("decision", jurisdiction_of(case_id), f"/re-review-outcomes/{case_id}/continue",
                                  person.token, {"reasons": reasons})
