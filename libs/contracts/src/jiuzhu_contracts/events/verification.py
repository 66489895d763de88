"""Events of investigation and review (SPEC §5.2–5.3, plan 五(二)). Published by ``verification``."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field

from jiuzhu_contracts.base import Category, Due, Fen, Frozen, Signer
from jiuzhu_contracts.envelope import Event
from jiuzhu_contracts.events.intake import Member
from jiuzhu_contracts.events.temporary import ProposedTranche
from jiuzhu_contracts.resident_id import ResidentId
from jiuzhu_contracts.tekun import TekunPerson


class HomeVisitRecorded(Event):
    """入户调查: at least two investigators (D21 art. 16); starts the 5-working-day review clock."""

    event_type: ClassVar[str] = "home_visit_recorded"
    producer: ClassVar[str] = "verification"

    visited_on: dt.date
    investigators: tuple[Signer, ...] = Field(min_length=2)
    living_conditions: str
    findings: str
    household_signed: bool
    review_due: Due


class IncomeLine(Frozen):
    kind: str = Field(description="wages | business | property | transfer | other")
    monthly_fen: Fen
    member_id_number: ResidentId | None = None


class AssetLine(Frozen):
    kind: str = Field(description="deposit | securities | vehicle | housing | insurance | claim | other")
    value_fen: Fen
    exempt: bool = Field(False, description="Necessities are exempt (D21 art. 14).")


class HouseholdRecorded(Event):
    event_type: ClassVar[str] = "household_recorded"
    producer: ClassVar[str] = "verification"

    members: tuple[Member, ...] = Field(min_length=1)
    incomes: tuple[IncomeLine, ...]
    assets: tuple[AssetLine, ...]
    category_facts: dict[str, str] = Field(default_factory=dict)
    tekun_persons: tuple[TekunPerson, ...] = Field((), description=(
        "特困: which members are tekun persons, their self-care level and way of support (T21 art. 19–23)."))


class EconomicCheckRequested(Event):
    """居民家庭经济状况核对 started with the check centre, in the same step as data entry."""

    event_type: ClassVar[str] = "economic_check_requested"
    producer: ClassVar[str] = "verification"

    request_id: str
    member_id_numbers: tuple[ResidentId, ...] = Field(min_length=1)
    requested_on: dt.date


class EconomicCheckReported(Event):
    event_type: ClassVar[str] = "economic_check_reported"
    producer: ClassVar[str] = "verification"

    request_id: str
    report_no: str
    reported_on: dt.date
    monthly_income_fen: Fen
    countable_assets_fen: Fen
    findings: str


class DemocraticAppraisalHeld(Event):
    """民主评议 for a disputed case (plan 五(二))."""

    event_type: ClassVar[str] = "democratic_appraisal_held"
    producer: ClassVar[str] = "verification"

    held_on: dt.date
    participants: tuple[str, ...] = Field(min_length=1)
    result: str = Field(description="supports | opposes | undecided")
    minutes: str


class ReviewSigned(Event):
    """审核意见 signed by the reviewer; ``round`` 2+ follows a re-investigation."""

    event_type: ClassVar[str] = "review_signed"
    producer: ClassVar[str] = "verification"

    round: int = Field(ge=1)
    signed_on: dt.date
    category: Category
    eligible: bool
    computed_eligible: bool
    household_size: int = Field(ge=1)
    household_monthly_income_fen: Fen
    computed_amount_fen: Fen
    proposed_amount_fen: Fen = Field(description="Monthly for dibao/tekun; one-off for temporary.")
    reasons: tuple[str, ...]
    override_reason: str | None = Field(None, description="Required when the opinion differs from the computation.")
    investigators: tuple[Signer, ...] = Field(min_length=2)
    reviewer: Signer
    applicant_name: str
    committee: str
    tekun_persons: tuple[TekunPerson, ...] = Field((), description=(
        "特困: the persons supported, each with basic living + care support (T21 art. 5, 21–23)."))
    # 临时救助 (L18 §2(三)–(四)): the amount by need is proposed_amount_fen; a review written before
    # these fields proposes one tranche on the decision's day and no large-amount reason.
    tranches: tuple[ProposedTranche, ...] = Field((), description="分次发放: the proposed tranches, summing to the amount.")
    large_amount_reason: str | None = Field(None, description="大额，一事一议: the recorded reason.")


class ReinvestigationOpened(Event):
    """Objection during publicity → staff re-investigate (plan 五(三)); decision within 15 working days."""

    event_type: ClassVar[str] = "reinvestigation_opened"
    producer: ClassVar[str] = "verification"

    opened_on: dt.date
    objection_ids: tuple[str, ...]
    due: Due


class ReinvestigationCompleted(Event):
    event_type: ClassVar[str] = "reinvestigation_completed"
    producer: ClassVar[str] = "verification"

    completed_on: dt.date
    objection_upheld: bool
    findings: str
    investigators: tuple[Signer, ...] = Field(min_length=2)
