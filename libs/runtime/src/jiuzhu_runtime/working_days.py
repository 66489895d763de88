"""Working days on the official PRC calendar (SPEC §5).

Statutory holidays and the weekend days made working days (调休) come from ``chinesecalendar``,
which follows the State Council's yearly notice. The start day is not counted: "within 10
working days of acceptance" ends on the 10th working day after the acceptance date.

A day in a year the calendar does not know never silently becomes plain Monday–Friday: an
operator holiday file may cover it; otherwise the result is marked provisional and logged.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import chinese_calendar

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueDate:
    due_on: dt.date
    provisional: bool


class WorkingDayCalendar:
    def __init__(self, extra_holidays: set[dt.date] = frozenset(), extra_workdays: set[dt.date] = frozenset(),
                 operator_years: set[int] = frozenset()):
        self._holidays = set(extra_holidays)
        self._workdays = set(extra_workdays)
        self._operator_years = set(operator_years)

    @classmethod
    def from_holiday_file(cls, path: Path | None) -> "WorkingDayCalendar":
        """JSON: {"years": [2027], "holidays": ["2027-01-01", …], "workdays": ["2027-02-07", …]}.

        Listing a year in ``years`` declares the file complete for it: its other days follow the
        weekday rule without being provisional.
        """
        if path is None:
            return cls()
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(
            {dt.date.fromisoformat(d) for d in data.get("holidays", [])},
            {dt.date.fromisoformat(d) for d in data.get("workdays", [])},
            set(data.get("years", [])),
        )

    def knows(self, day: dt.date) -> bool:
        return day.year in self._operator_years or self._official_knows(day)

    @staticmethod
    def _official_knows(day: dt.date) -> bool:
        try:
            chinese_calendar.is_workday(day)
        except NotImplementedError:
            return False
        return True

    def is_working_day(self, day: dt.date) -> bool:
        if day in self._workdays:
            return True
        if day in self._holidays:
            return False
        if day.year in self._operator_years or not self._official_knows(day):
            return day.weekday() < 5
        return chinese_calendar.is_workday(day)

    def add(self, start: dt.date, working_days: int) -> DueDate:
        """The ``working_days``-th working day after ``start`` (start itself not counted)."""
        if working_days < 0:
            raise ValueError("a period cannot be negative")
        day, counted, provisional = start, 0, False
        while counted < working_days:
            day += dt.timedelta(days=1)
            provisional |= not self.knows(day)
            if self.is_working_day(day):
                counted += 1
        if provisional:
            log.warning("deadline %s after %s working days from %s is provisional: the official "
                        "calendar does not cover it and no operator holiday file does", day, working_days, start)
        return DueDate(day, provisional)

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if end ≤ start)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def make_due(calendar: WorkingDayCalendar, clock: str, start: dt.date, days: int, rule: str):
    """The ``Due`` an event carries: the period's end on the official calendar, and where it comes from."""
    from jiuzhu_contracts.base import Due

    result = calendar.add(start, days)
    return Due(clock=clock, due_on=result.due_on, working_days=days, starts_after=start, rule=rule,
               provisional=result.provisional)
