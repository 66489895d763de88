from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from jiuzhu_contracts import Envelope
from jiuzhu_contracts.base import Due
from jiuzhu_contracts.envelope import SYSTEM_ACTOR, Actor
from jiuzhu_runtime.clock import Clock
from jiuzhu_runtime.district_config import DistrictConfig
from jiuzhu_runtime.working_days import WorkingDayCalendar, make_due


@dataclass
class Oversight:
    config: DistrictConfig
    calendar: WorkingDayCalendar
    clock: Clock
    unit_of_work: Any

    @property
    def district(self) -> str:
        return self.config.district.code

    def due(self, clock: str, start: dt.date, days: int, rule: str) -> Due:
        return make_due(self.calendar, clock, start, days, rule)

    def wrap(self, payload, *, jurisdiction: str, case_id: str | None = None, actor: Actor = SYSTEM_ACTOR,
             caused_by: Envelope | None = None) -> Envelope:
        return Envelope.wrap(payload, district=self.district, jurisdiction=jurisdiction, actor=actor,
                             occurred_at=self.clock.now(), case_id=case_id, caused_by=caused_by)
