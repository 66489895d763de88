"""Events of the decision (SPEC §3, §5.5–5.6, plan 五(三)(四)). Published by ``decision``."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field

from jiuzhu_contracts.base import ApprovingBody, Category, Due, Fen, Frozen, Month, Signer, TemporaryKind
from jiuzhu_contracts.envelope import Event
from jiuzhu_contracts.events.temporary import Tranche
from jiuzhu_contracts.resident_id import ResidentId


class CaseApproved(Event):
    event_type: ClassVar[str] = "case_approved"
    producer: ClassVar[str] = "decision"

    decided_on: dt.date
    category: Category
    amount_fen: Fen = Field(description="Monthly amount; for temporary assistance the one-off amount.")
    household_size: int = Field(ge=1)
    first_month_paid: Month = Field(description="The month after the decision (D21 art. 21, 25).")
    approving_body: ApprovingBody
    signer: Signer
    public_name: str
    committee: str
    payment_account: str = Field(description="Internal only, never public.")
    # Temporary assistance (issue 16 item 1; L18 §2, N22 §4): absent on other categories and on events
    # written before it — a temporary approval without tranches is paid once, on the day decided.
    temporary_kind: TemporaryKind | None = None
    tranches: tuple[Tranche, ...] = Field((), description="分次发放: the tranches summing to amount_fen.")
    assist_first: bool = Field(False, description="先行救助: decided before the means check and publicity.")
    follow_up: str | None = Field(None, pattern="^(complete_afterwards|skipped)$", description=(
        "After an assist-first decision: the means check and publicity completed afterwards, or skipped "
        "(the amount below the configured threshold)."))
    follow_up_due: Due | None = Field(None, description="By when the completing-afterwards steps are done.")
    large_amount_reason: str | None = Field(None, description="大额，一事一议: the recorded reason.")


class CaseRefused(Event):
    event_type: ClassVar[str] = "case_refused"
    producer: ClassVar[str] = "decision"

    decided_on: dt.date
    category: Category
    reasons: tuple[str, ...] = Field(min_length=1)
    approving_body: ApprovingBody
    signer: Signer
    refusal_notice_due: Due


class RefusalNoticeIssued(Event):
    """书面通知 to the committee, which tells the applicant (plan 五(三): within 3 working days)."""

    event_type: ClassVar[str] = "refusal_notice_issued"
    producer: ClassVar[str] = "decision"

    notice_no: str
    issued_on: dt.date
    committee: str
    delivered_on: dt.date | None = None
    received_by: str | None = None


class FilingPerson(Frozen):
    id: str
    name: str
    duty: str = Field(description="investigated | reviewed | decided")


class CaseFiled(Event):
    """备案: every decision is filed with the district bureau with what its review needs (plan 五(四))."""

    event_type: ClassVar[str] = "case_filed"
    producer: ClassVar[str] = "decision"

    filed_on: dt.date
    outcome: str = Field(pattern="^(approved|refused)$")
    category: Category
    amount_fen: Fen
    people: tuple[FilingPerson, ...]
    accepted_on: dt.date
    visited_on: dt.date | None
    reviewed_on: dt.date | None
    decided_on: dt.date
    materials: tuple[str, ...]
    close_relative: bool
    close_relative_staff_ids: tuple[str, ...] = ()
    objections: int = Field(ge=0)
    member_id_numbers: tuple[ResidentId, ...] = Field(description="For oversight's cross-jurisdiction check; internal.")
    assist_first: bool = Field(False, description="先行救助: decided before the means check and publicity (L18 §2).")


class SupportEnded(Event):
    """A household's support stops (D21 art. 32: only with stated reasons)."""

    event_type: ClassVar[str] = "support_ended"
    producer: ClassVar[str] = "decision"

    category: Category
    last_month_paid: Month
    reasons: tuple[str, ...] = Field(min_length=1)
    signer: Signer
    # Since the standing caseload (issue 15); absent on events written before it.
    cause: str | None = Field(None, description="A ChangeCause value (events.support), e.g. death, re_review.")
    decided_on: dt.date | None = None
    approving_body: ApprovingBody | None = None
    notice_no: str | None = Field(None, description="The written notice via the committee (D21 art. 32).")
    notice_due: Due | None = None


class AuthorityGranted(Event):
    """权限移交: from ``effective_from`` the named body decides (jurisdiction, category)."""

    event_type: ClassVar[str] = "authority_granted"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "decision"

    granted_to_jurisdiction: str
    category: Category
    body: ApprovingBody
    effective_from: dt.date
    instrument: str = Field(description="The order or plan that grants it.")
