"""Events of the notice board (SPEC §5.4, plan 五(三)). Published by ``publicity``."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field

from jiuzhu_contracts.base import Category, Due, Fen
from jiuzhu_contracts.envelope import Event


class PublicityOpened(Event):
    """公示 on the committee's board for 7 working days; carries only what may be public (D21 art. 24)."""

    event_type: ClassVar[str] = "publicity_opened"
    producer: ClassVar[str] = "publicity"

    notice_no: str
    round: int = Field(ge=1)
    committee: str
    opens_on: dt.date
    closes: Due
    public_name: str
    household_size: int = Field(ge=1)
    category: Category
    proposed_amount_fen: Fen


class ObjectionRaised(Event):
    event_type: ClassVar[str] = "objection_raised"
    producer: ClassVar[str] = "publicity"

    objection_id: str
    notice_no: str
    received_on: dt.date
    channel: str = Field(description="web | phone | letter | in_person")
    anonymous: bool
    summary: str


class PublicityClosed(Event):
    """The window ended on the business clock: clean, or objected with the objections."""

    event_type: ClassVar[str] = "publicity_closed"
    producer: ClassVar[str] = "publicity"

    notice_no: str
    round: int = Field(ge=1)
    closed_on: dt.date
    outcome: str = Field(pattern="^(clean|objected)$")
    objection_ids: tuple[str, ...] = ()
    decision_due: Due
