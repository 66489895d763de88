"""Applications that got the one-time correction notice (一次性告知, plan 五(一)) and wait for the
household to come back: their order on the clerk's worklist, and the resubmission form prefilled
from what was submitted (intake's ``GET /applications/{id}``, the body ``POST /applications``
takes), so the clerk ticks the materials now brought and corrects what changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from jiuzhu_console.domain.household_rows import FLAGS, MAX_ROWS, MEMBER_ROWS, row_is_blank
from jiuzhu_console.domain.urgency import Deadline
from jiuzhu_console.domain.yuan_input import fen_to_yuan_text

ABLE_TO_WORK_INPUT = {None: "", True: "yes", False: "no"}


def waiting_order(rows: list[tuple[Deadline, Mapping]]) -> list[tuple[Deadline, Mapping]]:
    """Most overdue first where a notice has a due date (intake gives none today: plan 五(一) sets
    no period), then the oldest notice, then the application number."""
    far = dt.date.max

    def key(row: tuple[Deadline, Mapping]):
        d, application = row
        notice = application.get("notice") or {}
        return (d.urgency, d.due_on or far, str(notice.get("issued_on") or "9999"),
                str(application.get("application_id", "")))

    return sorted(rows, key=key)


def days_waiting(issued_on: str | dt.date | None, today: dt.date) -> int | None:
    """Calendar days since the notice was issued (the household's time, not a working-day period)."""
    if not issued_on:
        return None
    day = issued_on if isinstance(issued_on, dt.date) else dt.date.fromisoformat(str(issued_on)[:10])
    return max(0, (today - day).days)


def form_rows(values: Mapping) -> int:
    """Member rows to show: the usual six, or one spare row after a larger household's last member."""
    filled = [i + 1 for i in range(MAX_ROWS) if not row_is_blank(values, f"members.{i}")]
    return min(MAX_ROWS, max([MEMBER_ROWS, *(i + 1 for i in filled)]))


def prefill(content: Mapping) -> dict:
    """The form's values for an application as submitted: member rows, amounts in 元, and ticked
    only the materials that were handed in and conforming (a non-conforming one is what the notice
    asked for: the clerk ticks it once the household brings it right)."""
    values: dict = {
        "category": content.get("category", ""),
        "area": content.get("area", ""),
        "registration_jurisdiction": content.get("registration_jurisdiction", ""),
        "emergency_jurisdiction": content.get("emergency_jurisdiction") or "",
        "temporary_kind": content.get("temporary_kind") or "",
        "address": content.get("address", ""),
        "committee": content.get("committee", ""),
        "declared_monthly_income_yuan": fen_to_yuan_text(content.get("declared_monthly_income_fen")),
        "declared_assets_yuan": fen_to_yuan_text(content.get("declared_assets_fen")),
        "payment_account": content.get("payment_account", ""),
        "contact_phone": content.get("contact_phone", ""),
        "reason": content.get("reason", ""),
        "materials": [m["code"] for m in content.get("materials") or [] if m.get("conforming", True)],
    }
    if content.get("consent_signed"):
        values["consent_signed"] = "on"
    for i, member in enumerate(content.get("members") or []):
        p = f"members.{i}"
        values[f"{p}.name"] = member.get("name", "")
        values[f"{p}.id_number"] = member.get("id_number", "")
        values[f"{p}.relation"] = member.get("relation", "")
        values[f"{p}.able_to_work"] = ABLE_TO_WORK_INPUT.get(member.get("able_to_work"), "")
        for flag in FLAGS:
            if member.get(flag):
                values[f"{p}.{flag}"] = "on"
    return values


def not_conforming(content: Mapping) -> dict[str, str]:
    """code → what was wrong with a material handed in last time, to show beside its checkbox."""
    return {m["code"]: m.get("problem") or "不符合要求" for m in content.get("materials") or []
            if not m.get("conforming", True)}
