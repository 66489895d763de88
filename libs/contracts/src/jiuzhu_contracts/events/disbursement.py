"""Events of funds (SPEC §5.7, plan 五(五)). Published by ``disbursement``."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field

from jiuzhu_contracts.base import Category, Fen, Frozen, Month
from jiuzhu_contracts.envelope import Event


class CategoryTotal(Frozen):
    category: Category
    households: int = Field(ge=0)
    amount_fen: Fen


class RosterCompiled(Event):
    event_type: ClassVar[str] = "roster_compiled"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "disbursement"

    roster_id: str
    month: Month
    roster_jurisdiction: str = Field(description="A jurisdiction code, or the district code for the whole district.")
    roster_version: int = Field(ge=1)
    lines: int = Field(ge=0)
    totals: tuple[CategoryTotal, ...]
    checksum: str = Field(description="SHA-256 of the canonical CSV export.")
    compiled_on: dt.date


class RosterSubmitted(Event):
    event_type: ClassVar[str] = "roster_submitted"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "disbursement"

    roster_id: str
    roster_version: int = Field(ge=1)
    month: Month
    checksum: str
    submitted_on: dt.date


class PaymentLine(Frozen):
    case_id: str
    category: Category
    month: Month
    amount_fen: Fen
    status: str = Field(pattern="^(paid|failed)$")
    failure_reason: str | None = None


class PaymentConfirmed(Event):
    event_type: ClassVar[str] = "payment_confirmed"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "disbursement"

    roster_id: str
    confirmed_on: dt.date
    lines: tuple[PaymentLine, ...] = Field(min_length=1)
