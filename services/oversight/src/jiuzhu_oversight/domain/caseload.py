"""The standing caseload as oversight sees it (issue 15; D21 art. 31–32, N22 §1.3, T21 art. 26).

* A household imported from the old system (``recipient_migrated``) enters the register as
  supported ("approved"), marked migrated with the file and row it came from. It went through no
  procedure here, so it starts no procedure clock.
* A change of amount, a gradual exit and an end of support are filed with the district like an
  approval (D21 art. 32: decided with stated reasons), each a filing of its own.
* Each of them but a standard raise comes with a written notice delivered via the committee
  within the configured working days: the ``support_notice`` clock, opened by the decision with
  the due date it carries and met by the delivery of *that* notice (by its number — one case may
  have two notices open, a reduction and later an end). Undelivered by its due day, it is breached
  like any clock.
* The monthly statistics count them per jurisdiction and category.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jiuzhu_oversight.domain.clocks import ANY, ClockSpec

NOTICE_OPENERS = frozenset({"support_changed", "gradual_exit_started", "support_ended"})
FILED = NOTICE_OPENERS | {"recipient_migrated"}
NOTICE_CLOCK = ClockSpec("support_notice", "support_changed", "notice_due", frozenset({"support_notice_delivered"}),
                         "leader", ANY)

# Statistics: the columns appended to the monthly row, their Chinese headers, and what each counts.
COLUMNS = ("migrated", "amount_changes", "standard_raises", "gradual_exits", "ends", "notice_breaches")
HEADERS_ZH = ("存量导入", "增发减发", "提标调整", "进入渐退期", "停发", "超时·救助变更书面通知")
COUNTED_EVENTS = ("recipient_migrated", "support_changed", "gradual_exit_started", "support_ended")


def counted_as(event_type: str, cause: str | None) -> str | None:
    """The statistics column an event of the caseload counts in (a standard raise apart: it
    changes every household's amount at once, by the district's new standard, not by a review)."""
    if event_type == "support_changed":
        return "standard_raises" if cause == "standard_raise" else "amount_changes"
    return {"recipient_migrated": "migrated", "gradual_exit_started": "gradual_exits",
            "support_ended": "ends"}.get(event_type)


def filing_record(event_type: str, payload: dict) -> dict:
    """What the district files of a decision: all of it but the members' ID numbers and the
    account of an imported household (the audit trail keeps the whole event)."""
    if event_type == "recipient_migrated":
        return {k: v for k, v in payload.items() if k not in ("members", "payment_account")}
    return payload


@dataclass(frozen=True)
class CaseloadCount:
    """The month's events of one caseload type, jurisdiction, category and cause."""

    jurisdiction: str
    category: str
    event_type: str
    cause: str | None
    events: int


def add_caseload(rows: dict[tuple[str, str], dict], counts: Iterable[CaseloadCount]) -> None:
    """Fills the caseload's columns of the month's rows (domain/statistics.py), once the month's
    breaches per clock are counted into them."""
    for c in counts:
        row, column = rows.get((c.jurisdiction, c.category)), counted_as(c.event_type, c.cause)
        if row is not None and column:
            row[column] += c.events
    for row in rows.values():
        row["notice_breaches"] = row["breaches_by_clock"].get(NOTICE_CLOCK.name, 0)
