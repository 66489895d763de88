from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from jiuzhu_runtime.stage_context import StageContext


@dataclass
class Oversight(StageContext):
    """The district's supervision; its events name the jurisdiction they concern."""

    @property
    def tz(self) -> ZoneInfo:
        """The district's time zone: an event's business day is its time there."""
        return ZoneInfo(self.config.district.timezone)
