"""What every page's service-layer function gets: the district, its calendar, the services' APIs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from jiuzhu_kernel.district_config import DistrictConfig
from jiuzhu_kernel.working_days import WorkingDayCalendar

from jiuzhu_console.adapters.services_api import ServicesApi
from jiuzhu_console.domain.person import Person
from jiuzhu_console.domain.urgency import Deadline, deadline


@dataclass
class Console:
    config: DistrictConfig
    calendar: WorkingDayCalendar
    api: ServicesApi

    @property
    def district(self) -> str:
        return self.config.district.code

    async def now(self) -> dt.datetime:
        """The district's business time (the services' clock), else the wall clock in its zone."""
        seen = await self.api.business_now()
        tz = ZoneInfo(self.config.district.timezone)
        if seen:
            return dt.datetime.fromisoformat(seen).astimezone(tz)
        return dt.datetime.now(tz)

    async def today(self) -> dt.date:
        return (await self.now()).date()

    def deadline(self, due_on, today: dt.date) -> Deadline:
        return deadline(due_on, today, self.calendar)

    def jurisdiction_name(self, code: str) -> str:
        if code == self.district:
            return self.config.district.name + "民政局"
        try:
            return self.config.jurisdiction(code).name
        except KeyError:
            return code

    def jurisdictions_of(self, person: Person) -> list[str]:
        """Whose cases a person works on: their own jurisdiction; district staff, every one."""
        if person.at_district:
            return [j.code for j in self.config.jurisdictions]
        return [person.jurisdiction]
