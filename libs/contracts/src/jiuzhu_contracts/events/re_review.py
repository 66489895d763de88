"""Events of the periodic re-review (定期核查, D21 art. 31; N22 §1.3). Published by ``verification``,
which investigates a supported household again with the steps of a new case — home visit, household
data and economic check, review (plan 五(二)) — and proposes an outcome to whoever holds the
authority (decision), who continues, changes or stops support (D21 art. 32).

* ``re_review_opened`` — the schedule fell due (``periodic``), or staff opened one on a reported
  change, a death, a spot-check finding or a petition; ``due`` is the day it must be completed by.
* ``re_review_completed`` — the reviewer signed the outcome proposed, with the household's means,
  the computed and proposed amounts, the investigators and the reviewer (谁调查、谁签字、谁负责),
  and when the next periodic re-review falls.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar

from pydantic import Field, model_validator

from jiuzhu_contracts.base import Category, Due, Fen, Signer
from jiuzhu_contracts.envelope import Event
from jiuzhu_contracts.tekun import TekunPerson


class ReReviewCause(StrEnum):
    """Why a re-review was opened."""

    PERIODIC = "periodic"  # the schedule (D21 art. 31)
    REPORTED_CHANGE = "reported_change"  # the household or the committee reported a change
    DEATH = "death"  # a member died (N22 §1.3: within 3 months)
    SPOT_CHECK = "spot_check"  # a spot-check finding
    PETITION = "petition"  # a report or petition about the household
    SELF_CARE_CHANGE = "self_care_change"  # 特困: a tekun person's condition changed — re-assessed within 10 days (T21 art. 23)


class HouseholdProfile(StrEnum):
    """Which interval of D21 art. 31 the household's schedule follows."""

    STABLE = "stable"  # yearly
    CHANGING = "changing"  # irregular income or working-age members able to work: every 6 months
    TEKUN = "tekun"  # 特困人员: yearly


class ReReviewOutcome(StrEnum):
    """What the reviewer proposes; the decision is the authority's (D21 art. 32)."""

    CONTINUE = "continue"  # 继续保障, the amount unchanged
    CHANGE = "change"  # 增发 / 减发
    STOP = "stop"  # 停发


class ReReviewOpened(Event):
    """定期核查 opened: to be completed by ``due``."""

    event_type: ClassVar[str] = "re_review_opened"
    producer: ClassVar[str] = "verification"

    round: int = Field(ge=1, description="The household's re-reviews, counted from 1.")
    opened_on: dt.date
    cause: ReReviewCause
    category: Category
    committee: str
    scheduled_on: dt.date | None = Field(None, description="For a periodic re-review: the day it fell due.")
    occurred_on: dt.date | None = Field(None, description="For a death or a reported change: when it happened.")
    reasons: tuple[str, ...] = Field(min_length=1)
    due: Due


class ReReviewCompleted(Event):
    """定期核查 completed: the outcome proposed to the authority, and the next scheduled re-review."""

    event_type: ClassVar[str] = "re_review_completed"
    producer: ClassVar[str] = "verification"

    round: int = Field(ge=1)
    cause: ReReviewCause
    completed_on: dt.date
    category: Category
    outcome: ReReviewOutcome
    household_size: int = Field(ge=1)
    household_monthly_income_fen: Fen
    countable_assets_fen: Fen
    computed_eligible: bool
    computed_amount_fen: Fen
    proposed_amount_fen: Fen = Field(description="Monthly; 0 when the outcome is stop.")
    reasons: tuple[str, ...] = Field(min_length=1)
    override_reason: str | None = Field(None, description="Required when the proposal differs from the computation.")
    investigators: tuple[Signer, ...] = Field(min_length=2)
    reviewer: Signer
    profile: HouseholdProfile
    next_on: dt.date = Field(description="The next periodic re-review; it lapses if support ends.")
    tekun_persons: tuple[TekunPerson, ...] = Field((), description=(
        "特困: the persons supported as now assessed (T21 art. 21–23)."))

    @model_validator(mode="after")
    def _stop_proposes_nothing(self) -> "ReReviewCompleted":
        if self.outcome == ReReviewOutcome.STOP and self.proposed_amount_fen:
            raise ValueError("a proposal to stop support proposes no amount")
        return self
