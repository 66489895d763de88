"""How urgent a piece of work is, from the working days left before its due date (plan 五: every
period is counted in working days). Worklists put the most urgent first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum

DUE_SOON_WORKING_DAYS = 2  # as oversight's /deadlines default horizon


class Urgency(IntEnum):
    """Lower sorts first."""

    OVERDUE = 0
    DUE_TODAY = 1
    DUE_SOON = 2
    LATER = 3
    NO_DEADLINE = 4

    @property
    def label(self) -> str:
        return {0: "已超期", 1: "今日到期", 2: "即将到期", 3: "期限内", 4: "无期限"}[self.value]

    @property
    def css(self) -> str:
        return {0: "overdue", 1: "due-today", 2: "due-soon", 3: "later", 4: "none"}[self.value]


class WorkingDays:
    """The part of the working-day calendar the console needs (runtime's WorkingDayCalendar)."""

    def between(self, start: dt.date, end: dt.date) -> int: ...


@dataclass(frozen=True)
class Deadline:
    due_on: dt.date | None
    working_days_left: int | None  # negative: working days overdue
    urgency: Urgency

    @property
    def text(self) -> str:
        if self.due_on is None:
            return "—"
        if self.urgency is Urgency.OVERDUE:
            return f"超期 {-self.working_days_left} 个工作日"
        if self.urgency is Urgency.DUE_TODAY:
            return "今日到期"
        return f"剩 {self.working_days_left} 个工作日"


def deadline(due_on: dt.date | str | None, today: dt.date, calendar: WorkingDays) -> Deadline:
    """Working days left from ``today`` to ``due_on`` on the district's calendar; overdue counts the
    working days since the due date."""
    if due_on is None or due_on == "":
        return Deadline(None, None, Urgency.NO_DEADLINE)
    due = due_on if isinstance(due_on, dt.date) else dt.date.fromisoformat(str(due_on)[:10])
    if due < today:
        return Deadline(due, -max(1, calendar.between(due, today)), Urgency.OVERDUE)
    if due == today:
        return Deadline(due, 0, Urgency.DUE_TODAY)
    left = calendar.between(today, due)
    return Deadline(due, left, Urgency.DUE_SOON if left <= DUE_SOON_WORKING_DAYS else Urgency.LATER)
