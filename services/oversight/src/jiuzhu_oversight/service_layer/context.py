from __future__ import annotations

from dataclasses import dataclass

from jiuzhu_runtime.stage_context import StageContext


@dataclass
class Oversight(StageContext):
    """The district's supervision; its events name the jurisdiction they concern."""
