"""What a temporary-assistance decision grants (L18 §2, N22 §4; issue 16 item 1): the amount by need,
its tranches, and — for an assist-first decision — what happens to the means check and publicity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiuzhu_contracts.base import Due


@dataclass(frozen=True)
class PlannedTranche:
    no: int
    amount_fen: int
    payable_on: dt.date


@dataclass(frozen=True)
class TemporaryGrant:
    kind: str | None  # TemporaryKind: emergency | expenditure (None: a case accepted before kinds were recorded)
    amount_fen: int
    tranches: tuple[PlannedTranche, ...]
    assist_first: bool = False
    follow_up: str | None = None  # complete_afterwards | skipped (assist-first only)
    follow_up_due: Due | None = None
    large: bool = False
    large_amount_reason: str | None = None
