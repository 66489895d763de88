"""Events of the standing caseload: households already supported (D21 art. 31–32, N22 §1.3,
T21 art. 26). Published by ``decision``, which holds each supported household of its jurisdiction.

* ``recipient_migrated`` — 存量对象: a household supported under the old system, imported from the
  district's own list on the day it switches over; from then on it is supported like one approved
  here (roster, public list, register, statistics).
* ``support_changed`` — 增发 / 减发: the monthly amount changes from a month on, with the reasons
  and (except a standard raise, announced publicly) a written notice via the committee.
* ``gradual_exit_started`` — 渐退期: income rose above the standard; support continues for the
  configured months (≤ 6) and then ends by itself with ``support_ended``.
* ``support_notice_delivered`` — the written notice of a change or an end, delivered.
``support_ended`` (停发) stays in ``events.decision``; it now also says why and by which notice.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from jiuzhu_contracts.base import ApprovingBody, Area, Category, Due, Fen, Frozen, Month, Signer
from jiuzhu_contracts.envelope import Event
from jiuzhu_contracts.events.intake import Member


class ChangeCause(StrEnum):
    """Why a supported household's support changes or ends (D21 art. 31–32)."""

    RE_REVIEW = "re_review"  # 定期核查
    REPORTED_CHANGE = "reported_change"  # the household reported a change of circumstances
    DEATH = "death"
    MOVED_OUT = "moved_out"  # moved out of the jurisdiction
    SPOT_CHECK = "spot_check"  # a spot-check finding
    STANDARD_RAISE = "standard_raise"  # 提标
    GRADUAL_EXIT = "gradual_exit"  # 渐退期 over
    PETITION = "petition"  # a report or petition about the household
    HOUSEHOLD_CHANGE = "household_change"  # members added or removed


class MigrationSource(Frozen):
    """Where an imported household came from: the file (by its SHA-256) and the row."""

    file_name: str = Field(max_length=200)
    file_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    row: int = Field(ge=2, description="The spreadsheet row, the header being row 1.")


class RecipientMigrated(Event):
    """存量对象导入: a household already supported under the old system, now held here."""

    event_type: ClassVar[str] = "recipient_migrated"
    producer: ClassVar[str] = "decision"

    approved_on: dt.date = Field(description="When the old system approved it.")
    category: Category
    area: Area
    amount_fen: Fen = Field(description="Monthly amount.")
    household_size: int = Field(ge=1)
    members: tuple[Member, ...] = Field(min_length=1)
    first_month_paid: Month = Field(description="The first month this system pays (the old one paid before).")
    approving_body: ApprovingBody
    public_name: str
    committee: str
    address: str
    payment_account: str = Field(description="Internal only, never public.")
    source: MigrationSource
    imported_by: Signer


class SupportChanged(Event):
    """增发 / 减发: the monthly amount from ``effective_month`` on (D21 art. 32)."""

    event_type: ClassVar[str] = "support_changed"
    producer: ClassVar[str] = "decision"

    category: Category
    cause: ChangeCause
    decided_on: dt.date
    amount_before_fen: Fen
    amount_fen: Fen
    household_size: int = Field(ge=1)
    effective_month: Month
    reasons: tuple[str, ...] = Field(min_length=1)
    approving_body: ApprovingBody
    signer: Signer
    notice_no: str | None = Field(None, description="The written notice; none for a standard raise.")
    notice_due: Due | None = None


class GradualExitStarted(Event):
    """渐退期: income is above the standard; support continues ``months`` months, then ends (N22 §1.3)."""

    event_type: ClassVar[str] = "gradual_exit_started"
    producer: ClassVar[str] = "decision"

    category: Category
    cause: ChangeCause
    decided_on: dt.date
    months: int = Field(ge=1, le=6)
    last_month_paid: Month
    reasons: tuple[str, ...] = Field(min_length=1)
    approving_body: ApprovingBody
    signer: Signer
    notice_no: str
    notice_due: Due


class SupportNoticeDelivered(Event):
    """The written notice of a change, a gradual exit or an end, delivered via the committee."""

    event_type: ClassVar[str] = "support_notice_delivered"
    producer: ClassVar[str] = "decision"

    notice_no: str
    committee: str
    delivered_on: dt.date
    received_by: str
