"""信访 / 举报 (plan 六(二)–(三); issue 16 item 6) through oversight's public API with the person's
own token: the bureau's register (register, transfer with a deadline, close; escalation is
oversight's own, on the business clock) and the jurisdiction's inbox (its leader answers). The
console decides nothing: what oversight refuses, the page shows with oversight's rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiuzhu_contracts.base import Role

from jiuzhu_console.domain.person import Person
from jiuzhu_console.domain.urgency import Deadline
from jiuzhu_console.service_layer.context import Console

BA, INS, AUD, LEAD = Role.BUREAU_ADMIN, Role.INSPECTOR, Role.AUDITOR, Role.LEADER
CHANNELS = (("letter", "来信"), ("visit", "来访"), ("hotline", "电话（监督举报电话）"), ("web", "网上"))
KINDS = (("report", "举报"), ("complaint", "投诉"), ("request", "求助"), ("enquiry", "咨询"))
FINDINGS = (("", "不涉及事实认定（咨询、求助）"), ("yes", "举报属实"), ("no", "举报不属实"))

# What oversight lets each role do (services/oversight/.../entrypoints/petitions_http.py).
MAY = {"read": (BA, INS, AUD), "register": (BA, INS), "transfer": (BA,), "close": (BA,)}


def may(person: Person, action: str) -> bool:
    return person.at_district and person.has(*MAY[action])


def answers(person: Person) -> bool:
    """The jurisdiction's leader answers the petitions transferred to it."""
    return not person.at_district and person.has(LEAD)


@dataclass(frozen=True)
class Row:
    petition: dict
    deadline: Deadline

    @property
    def overdue(self) -> bool:
        """Transferred, unanswered and past its due day (督办 follows on oversight's tick)."""
        p = self.petition
        return p["status"] == "transferred" and self.deadline.working_days_left is not None \
            and self.deadline.working_days_left < 0


def rows(console: Console, petitions: list[dict], today: dt.date) -> list[Row]:
    """Overdue first, then by due date, then the newest registered."""
    made = [Row(p, console.deadline(p.get("due_on") if p["status"] == "transferred" else None, today))
            for p in petitions]
    return sorted(made, key=lambda r: (not r.overdue, r.deadline.urgency, str(r.petition.get("due_on") or ""),
                                       r.petition["petition_no"]))


async def listing(console: Console, person: Person, *, status: str | None = None) -> list[dict]:
    return await console.api.get("oversight", None, "/petitions", person.token, status=status or None)


async def one(console: Console, person: Person, number: str) -> dict:
    return await console.api.get("oversight", None, f"/petitions/{number}", person.token)


def register_body(values: dict) -> dict:
    return {"channel": values.get("channel", ""), "kind": values.get("kind", ""),
            "received_on": values.get("received_on", ""), "summary": values.get("summary", "").strip(),
            "petitioner": values.get("petitioner", "").strip(), "contact": values.get("contact", "").strip(),
            "concerning_case": values.get("concerning_case", "").strip() or None}


async def register(console: Console, person: Person, values: dict) -> dict:
    return await console.api.post("oversight", None, "/petitions", person.token, register_body(values))


async def transfer(console: Console, person: Person, number: str, values: dict) -> dict:
    return await console.api.post("oversight", None, f"/petitions/{number}/transfer", person.token,
                                  {"to_jurisdiction": values.get("to_jurisdiction", ""),
                                   "instructions": values.get("instructions", "").strip()})


def answer_body(values: dict) -> dict:
    finding = values.get("substantiated", "")
    body = {"answer": values.get("answer", "").strip(),
            "substantiated": {"yes": True, "no": False}.get(finding)}
    if values.get("no_re_review"):  # a substantiated complaint about staff, not about the household
        body["re_review"] = False
    return body


async def answer(console: Console, person: Person, number: str, values: dict) -> dict:
    return await console.api.post("oversight", None, f"/petitions/{number}/answer", person.token,
                                  answer_body(values))


async def close(console: Console, person: Person, number: str, values: dict) -> dict:
    return await console.api.post("oversight", None, f"/petitions/{number}/close", person.token,
                                  {"conclusion": values.get("conclusion", "").strip()})
