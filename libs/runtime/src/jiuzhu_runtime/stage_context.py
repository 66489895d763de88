"""What every service's handlers need, built once in its composition root: the district's
configuration, the business clock, units of work, the calendar, (for a jurisdiction's services)
the jurisdiction, and (for a service that holds a case) how its case is stored. Also the three
things every handler does with them: open a case, wrap an event in its envelope, and compute a
deadline."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from jiuzhu_contracts import Envelope
from jiuzhu_contracts.base import Due
from jiuzhu_contracts.envelope import SYSTEM_ACTOR, Actor
from jiuzhu_runtime.case_store import CaseKind, CaseStore, OpenCase, open_case
from jiuzhu_kernel.clock import Clock
from jiuzhu_kernel.district_config import DistrictConfig
from jiuzhu_kernel.working_days import WorkingDayCalendar, make_due


@dataclass
class StageContext:
    config: DistrictConfig
    clock: Clock
    unit_of_work: Any  # () -> UnitOfWork
    calendar: WorkingDayCalendar | None = None
    jurisdiction: str | None = None  # None for the district's services
    cases: CaseKind | None = None  # how this service stores its case (case_store), if it holds one

    @property
    def district(self) -> str:
        return self.config.district.code

    def wrap(self, payload, *, case_id: str | None = None, actor: Actor = SYSTEM_ACTOR,
             caused_by: Envelope | None = None, jurisdiction: str | None = None,
             event_id: str | None = None) -> Envelope:
        """The event's envelope, at the business time now; the jurisdiction defaults to this
        service's own, and to the district code for the district's services."""
        return Envelope.wrap(payload, district=self.district,
                             jurisdiction=jurisdiction or self.jurisdiction or self.district, actor=actor,
                             occurred_at=self.clock.now(), case_id=case_id, caused_by=caused_by, event_id=event_id)

    def due(self, clock: str, start: dt.date, days: int, rule: str) -> Due:
        return make_due(self.calendar, clock, start, days, rule)

    def case(self, case_id: str, actor: Actor = SYSTEM_ACTOR, *, uow=None,
             caused_by: Envelope | None = None) -> AbstractAsyncContextManager[OpenCase]:
        """``async with ctx.case(case_id, actor) as case:`` — the case locked, checked, changed by
        the body (``case.state = case.state.<domain method>(…)``), saved with its events."""
        return open_case(self, self._kind(), case_id, actor, uow=uow, caused_by=caused_by)

    def record(self, kind: CaseKind, key: str, actor: Actor = SYSTEM_ACTOR, *, uow=None,
               caused_by: Envelope | None = None) -> AbstractAsyncContextManager[OpenCase]:
        """The same for a service's other kind of record (a petition, a notice…), by its key."""
        return open_case(self, kind, key, actor, uow=uow, caused_by=caused_by)

    def store(self, uow) -> CaseStore:
        """This service's cases inside ``uow`` (creating one, worklists)."""
        return CaseStore(self._kind(), uow.session)

    def _kind(self) -> CaseKind:
        if self.cases is None:
            raise TypeError(f"{type(self).__name__} was built without a CaseKind (cases=…)")
        return self.cases
