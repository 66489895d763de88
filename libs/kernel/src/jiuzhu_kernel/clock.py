"""The business clock's protocol and the two clocks without infrastructure. Domain code never
reads the system clock; it is given ``now`` (or a ``Clock``). The clock moved over the bus in
rehearsals (``BusClock``) lives in the runtime."""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> dt.datetime: ...
    def today(self) -> dt.date: ...


class SystemClock:
    def __init__(self, tz: str = "Asia/Shanghai"):
        self.tz = ZoneInfo(tz)

    def now(self) -> dt.datetime:
        return dt.datetime.now(self.tz)

    def today(self) -> dt.date:
        return self.now().date()


class FixedClock:
    """A clock a test sets by hand."""

    def __init__(self, at: dt.datetime):
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def today(self) -> dt.date:
        return self.at.date()

    def set(self, at: dt.datetime) -> None:
        self.at = at
