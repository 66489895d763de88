"""Working days on the official PRC calendar (SPEC §5), and a region's own holidays on top.

Statutory holidays and the weekend days made working days (调休) come from ``chinesecalendar``,
which follows the State Council's yearly notice, and from holiday files (``config/holidays/``,
format in its README; published at run time as ``holiday_calendar_published``):

* a **national** file is one year of the State Council's notice. It wins over ``chinesecalendar``
  for its year and declares the year known: its other days follow Monday–Friday.
* a **regional** file adds a region's own statutory holidays (Xinjiang's 肉孜节 and 古尔邦节, set
  yearly by the autonomous region) on top of the national calendar, for every year, including
  the years ``chinesecalendar`` knows. Its made-up working days win too.

The start day is not counted: "within 10 working days of acceptance" ends on the 10th working day
after the acceptance date. A day in a year that neither ``chinesecalendar`` nor a national file
knows never silently becomes plain Monday–Friday: the result is marked provisional and logged.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import chinese_calendar

from jiuzhu_contracts.holiday_calendar import HolidayFile

if TYPE_CHECKING:
    from jiuzhu_kernel.district_config import DistrictConfig

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueDate:
    due_on: dt.date
    provisional: bool


class WorkingDayCalendar:
    """One per service, shared by its handlers. ``load`` replaces the file with the same key (scope,
    region, year) if it was published earlier — a corrected notice — and takes effect at once."""

    CONFIGURED = dt.datetime.min.replace(tzinfo=dt.UTC)  # files from configuration: before any published

    def __init__(self, files: Iterable[HolidayFile] = ()):
        self._files: dict[str, tuple[dt.datetime, HolidayFile]] = {}
        for file in files:
            self._files[file.key] = (self.CONFIGURED, file)
        self._rebuild()

    @property
    def files(self) -> tuple[HolidayFile, ...]:
        return tuple(file for _, file in self._files.values())

    def load(self, file: HolidayFile, published_at: dt.datetime | None = None) -> None:
        at = published_at or self.CONFIGURED
        if file.key in self._files and self._files[file.key][0] > at:
            return  # a newer file for the same year and scope is already loaded
        self._files[file.key] = (at, file)
        self._rebuild()

    def with_file(self, file: HolidayFile, published_at: dt.datetime | None = None) -> "WorkingDayCalendar":
        """This calendar as it will be once ``file`` is loaded (this one unchanged)."""
        copy = WorkingDayCalendar()
        copy._files = dict(self._files)
        copy._rebuild()  # this calendar's files, even when ``file`` is older than its own and not loaded
        copy.load(file, published_at)
        return copy

    def _rebuild(self) -> None:
        national = [f for f in self.files if f.scope == "national"]
        regional = [f for f in self.files if f.scope == "regional"]
        self._national_years = {f.year for f in national}
        self._national_holidays = set().union(*(f.holiday_days() for f in national))
        self._national_workdays = set().union(*(f.workday_days() for f in national))
        self._regional_holidays = set().union(*(f.holiday_days() for f in regional))
        self._regional_workdays = set().union(*(f.workday_days() for f in regional))
        # day → (known?, working?): a deadline counts up to some sixty days one by one, and the
        # official calendar's answer for a day cost more than the rest of an application's acceptance
        # (issue 14's profile). Forgotten whenever a file is loaded.
        self._days: dict[dt.date, tuple[bool, bool]] = {}

    def knows(self, day: dt.date) -> bool:
        return day.year in self._national_years or self._official_knows(day)

    @staticmethod
    def _official_knows(day: dt.date) -> bool:
        try:
            chinese_calendar.is_workday(day)
        except NotImplementedError:
            return False
        return True

    def is_working_day(self, day: dt.date) -> bool:
        # The most specific source first: the region's own arrangement, then the national notice.
        if day in self._regional_workdays:
            return True
        if day in self._regional_holidays:
            return False
        if day in self._national_workdays:
            return True
        if day in self._national_holidays:
            return False
        if day.year in self._national_years or not self._official_knows(day):
            return day.weekday() < 5
        return chinese_calendar.is_workday(day)

    def add(self, start: dt.date, working_days: int) -> DueDate:
        """The ``working_days``-th working day after ``start`` (start itself not counted)."""
        if working_days < 0:
            raise ValueError("a period cannot be negative")
        day, counted, provisional = start, 0, False
        while counted < working_days:
            day += dt.timedelta(days=1)
            known, working = self._day(day)
            provisional |= not known
            counted += working
        if provisional:
            log.warning("deadline %s after %s working days from %s is provisional: neither the official "
                        "calendar nor a national holiday file covers it", day, working_days, start)
        return DueDate(day, provisional)

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if end ≤ start)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self._day(day)[1]
        return count

    def _day(self, day: dt.date) -> tuple[bool, bool]:
        """Whether the calendar knows ``day`` and whether it is a working day, looked up once."""
        answer = self._days.get(day)
        if answer is None:
            answer = self._days[day] = (self.knows(day), self.is_working_day(day))
        return answer


def make_due(calendar: WorkingDayCalendar, clock: str, start: dt.date, days: int, rule: str):
    """The ``Due`` an event carries: the period's end on the official calendar, and where it comes from."""
    from jiuzhu_contracts.base import Due

    result = calendar.add(start, days)
    return Due(clock=clock, due_on=result.due_on, working_days=days, starts_after=start, rule=rule,
               provisional=result.provisional)


def holiday_paths(config: "DistrictConfig", district_file_dir: Path, extra: Path | str | None = None) -> list[Path]:
    """Where a district's configured holiday files are: the district file's ``holiday_files`` (relative
    to the district file), then ``extra`` (``JZ_HOLIDAY_FILE``, ``--holidays``); each a file or a directory."""
    where = [Path(district_file_dir) / p for p in config.holiday_files]
    return where + ([Path(extra)] if extra else [])


def calendar_for(config: "DistrictConfig", district_file_dir: Path,
                 extra: Path | str | None = None) -> WorkingDayCalendar:
    """The calendar a service of ``config`` starts with (before the files published on the bus), and the
    one ``./jz config check`` and ``./jz clock`` count on. ``holiday_files.HolidayFileError`` (one line:
    the file, the field and the rule) when a file cannot be used."""
    from jiuzhu_kernel import holiday_files

    paths = holiday_paths(config, district_file_dir, extra)
    return WorkingDayCalendar(holiday_files.read_all(paths, district=config.district.code))


def official_years() -> range:
    """The years ``chinesecalendar`` knows (the State Council's notices it ships)."""
    known = [y for y in range(2004, 2100) if WorkingDayCalendar._official_knows(dt.date(y, 1, 1))]
    return range(known[0], known[-1] + 1) if known else range(0)
