"""Commands of the decision service (imperative)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiuzhu_contracts.envelope import Actor


@dataclass(frozen=True)
class DecideCase:
    case_id: str
    approve: bool
    reasons: tuple[str, ...]
    actor: Actor
    at_district: bool  # the caller is the district bureau, not the jurisdiction's leader


@dataclass(frozen=True)
class AssistFirst:
    """先行救助: decide a temporary emergency at once (L18 §2(二)2)."""
    case_id: str
    amount_fen: int
    tranches: tuple[tuple[int, dt.date], ...]  # (amount, payable on); empty: one tranche today
    reasons: tuple[str, ...]
    large_amount_reason: str | None
    actor: Actor
    at_district: bool


@dataclass(frozen=True)
class RecordRefusalNoticeDelivery:
    case_id: str
    delivered_on: dt.date
    received_by: str
    actor: Actor


@dataclass(frozen=True)
class EndSupport:
    case_id: str
    last_month_paid: str  # YYYY-MM
    reasons: tuple[str, ...]
    actor: Actor
    at_district: bool
