"""Temporary assistance paid outside the monthly roster (L18 §2, N22 §4; issue 16 item 1).

A decision on temporary assistance pays in one or more tranches (``Tranche``, carried on
``case_approved``). Disbursement pays them through one-off batches to finance: a batch is issued
(its tranches claimed, one claim per case and tranche), finance confirms it, and once every tranche
of a case is paid the case is closed (``temporary_assistance_paid``) — the household may apply again.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field

from jiuzhu_contracts.base import Fen, Frozen
from jiuzhu_contracts.envelope import Event


class Tranche(Frozen):
    """One payment of a temporary-assistance decision (分次发放)."""

    no: int = Field(ge=1, description="1, 2, … in the order they are paid.")
    amount_fen: Fen
    payable_on: dt.date = Field(description="The first day it may go on a one-off batch.")


class ProposedTranche(Frozen):
    """One payment the review proposes for an ordinary temporary case (L18 §2(四) 分次发放): dated
    from the decision, which is not yet taken — the first on the decision's day (``after_days`` 0)."""

    amount_fen: Fen
    after_days: int = Field(ge=0, le=366, description="Calendar days after the decision it becomes payable.")


class BatchLine(Frozen):
    case_id: str
    jurisdiction: str
    tranche: int = Field(ge=1)
    amount_fen: Fen
    status: str = Field("submitted", pattern="^(submitted|paid|failed)$")
    failure_reason: str | None = None


class OneOffBatchIssued(Event):
    """A one-off payment batch sent to finance: its lines are claimed (one claim per case and tranche)."""

    event_type: ClassVar[str] = "one_off_batch_issued"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "disbursement"

    batch_id: str
    batch_jurisdiction: str = Field(description="A jurisdiction code, or the district code.")
    issued_on: dt.date
    lines: tuple[BatchLine, ...] = Field(min_length=1)
    total_fen: Fen
    checksum: str = Field(description="SHA-256 of the batch's canonical CSV.")


class OneOffBatchConfirmed(Event):
    """Finance's confirmation of a one-off batch, line by line (paid or failed with its reason)."""

    event_type: ClassVar[str] = "one_off_batch_confirmed"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "disbursement"

    batch_id: str
    confirmed_on: dt.date
    lines: tuple[BatchLine, ...] = Field(min_length=1)


class TemporaryAssistancePaid(Event):
    """Every tranche of the case's decision is paid: the case is closed (the household may apply again)."""

    event_type: ClassVar[str] = "temporary_assistance_paid"
    producer: ClassVar[str] = "disbursement"

    paid_on: dt.date
    amount_fen: Fen = Field(description="The total paid, every tranche.")
    tranches: int = Field(ge=1)
    batches: tuple[str, ...] = Field(min_length=1)
