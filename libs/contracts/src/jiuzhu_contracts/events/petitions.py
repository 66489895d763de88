"""Petitions and reports (信访 / 举报, plan 六(二) 公布监督举报电话, 六(三) 信访件的转办督办).
Published by ``oversight``: the bureau registers what comes in by letter, visit, hotline or the
web at any time, transfers it to the jurisdiction concerned with a deadline (转办), supervises it
until answered (督办: escalated once when overdue) and closes it.

Who petitioned and how to reach them are never in an event: only the bureau's register holds them.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field

from jiuzhu_contracts.base import Due
from jiuzhu_contracts.envelope import Event


class PetitionRegistered(Event):
    event_type: ClassVar[str] = "petition_registered"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "oversight"

    petition_no: str
    channel: str = Field(description="letter | visit | hotline | web")
    kind: str = Field(description="report (举报) | complaint (投诉) | request (求助) | enquiry (咨询)")
    received_on: dt.date
    concerning_case: str | None = None


class PetitionTransferred(Event):
    """转办: to the jurisdiction concerned, to answer in writing by ``due``."""

    event_type: ClassVar[str] = "petition_transferred"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "oversight"

    petition_no: str
    to_jurisdiction: str
    concerning_case: str | None = None
    instructions: str
    due: Due


class PetitionAnswered(Event):
    event_type: ClassVar[str] = "petition_answered"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "oversight"

    petition_no: str
    answered_on: dt.date
    on_time: bool
    re_review_requested: bool = Field(False, description="The answer opens a re-review of the household (D21 art. 31).")
    # Additive (issue 16 item 6): the jurisdiction's verification opens the re-review of this case
    # when ``re_review_requested`` — the report was found substantiated.
    concerning_case: str | None = Field(None, description="The case the petition concerns, if any.")
    substantiated: bool | None = Field(None, description="举报属实 (true) / 不属实 (false); none for an enquiry.")


class PetitionEscalated(Event):
    """督办: the answer is overdue; raised once."""

    event_type: ClassVar[str] = "petition_escalated"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "oversight"

    petition_no: str
    escalated_on: dt.date
    overdue_since: dt.date


class PetitionClosed(Event):
    event_type: ClassVar[str] = "petition_closed"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "oversight"

    petition_no: str
    closed_on: dt.date
    conclusion: str
