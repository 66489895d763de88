"""Events of a supported household's own changes (issue 15 item 6): who lives in it, where its
money goes, where it lives — and its move to another jurisdiction of the district, which hands the
case over only when the receiving jurisdiction accepts it. Published by ``decision``, which holds
each supported household of its jurisdiction.

* ``household_changed`` — members added or removed (each with its cause; a death is a member
  removed with cause ``death``), a new payment account, a new address within the jurisdiction. The
  amount is **not** decided here: a change of size is a fact recorded by the clerk; whoever holds
  the authority decides its consequence (a re-review, ``support_changed``). A death opens the
  re-review within 3 months (N22 §1.3), which the re-review schedule derives from this event.
* ``household_transfer_requested`` — by the sending jurisdiction (A), on A's subject: the household
  moves to jurisdiction B, with what B needs to take it on. B's decision service consumes every
  jurisdiction's requests (its own durable consumer) and keeps those addressed to it.
* ``household_transfer_accepted`` — by B, on B's subject, about the household's **new case in B**:
  support in B from ``first_month_paid``. A, seeing it, ends its own support with
  ``support_ended`` (cause ``moved_out``) with the month before as its last: no month paid twice,
  none missed.
* ``household_transfer_refused`` — by B, on B's subject, about A's case: the household stays on
  support in A.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar

from pydantic import Field, model_validator

from jiuzhu_contracts.base import ApprovingBody, Area, Category, Fen, Frozen, Month, Signer
from jiuzhu_contracts.envelope import Event
from jiuzhu_contracts.events.intake import Member
from jiuzhu_contracts.resident_id import ResidentId


class MemberCause(StrEnum):
    """Why a member joins or leaves a supported household."""

    BIRTH = "birth"
    MARRIAGE = "marriage"
    ADOPTION = "adoption"
    MOVED_IN = "moved_in"  # came to live with the household (共同生活)
    RETURNED = "returned"  # back from school, the army, prison …
    DEATH = "death"  # opens the re-review within 3 months (N22 §1.3)
    MOVED_OUT = "moved_out"  # no longer lives with the household
    DIVORCE = "divorce"
    OTHER = "other"


class MemberAdded(Frozen):
    member: Member
    cause: MemberCause
    since: dt.date = Field(description="When the member joined the household (birth, marriage …).")


class MemberRemoved(Frozen):
    id_number: ResidentId
    name: str = Field(min_length=1, max_length=50)
    cause: MemberCause
    since: dt.date = Field(description="When the member left the household (for a death: the date of death).")


class ConditionChanged(Frozen):
    """特困: a tekun person's condition changed (illness, an accident, recovery …); verification opens
    the self-care re-assessment, due within 10 days (T21 art. 23)."""

    id_number: ResidentId
    name: str = Field(min_length=1, max_length=50)
    noticed_on: dt.date = Field(description="When the change was noticed or reported.")
    description: str = Field(min_length=2, max_length=500)


class HouseholdChanged(Event):
    """户内变更: members, payment account or address (within the jurisdiction) changed."""

    event_type: ClassVar[str] = "household_changed"
    producer: ClassVar[str] = "decision"

    category: Category
    changed_on: dt.date
    members_added: tuple[MemberAdded, ...] = ()
    members_removed: tuple[MemberRemoved, ...] = ()
    household_size: int = Field(ge=1, description="The household's size after the change.")
    public_name: str = Field(description="The name on the public list after the change (a new head of household).")
    payment_account: str | None = Field(None, description="A new account; internal only, never public.")
    address: str | None = Field(None, description="A new address within the jurisdiction.")
    committee: str | None = Field(None, description="The committee of the new address, when it is another one.")
    reasons: tuple[str, ...] = ()
    recorded_by: Signer
    condition_changes: tuple[ConditionChanged, ...] = Field((), description=(
        "特困: tekun persons whose condition changed — each opens a self-care re-assessment (T21 art. 23)."))

    @model_validator(mode="after")
    def _something_changed(self) -> "HouseholdChanged":
        if not (self.members_added or self.members_removed or self.payment_account or self.address
                or self.condition_changes):
            raise ValueError("a household change adds or removes a member, gives a new account or address, "
                             "or reports a tekun person's changed condition")
        return self


class HouseholdTransferRequested(Event):
    """迁出: the household moves to ``to_jurisdiction``; B takes it on only by accepting."""

    event_type: ClassVar[str] = "household_transfer_requested"
    producer: ClassVar[str] = "decision"

    transfer_id: str
    to_jurisdiction: str
    category: Category
    area: Area | None = Field(None, description="None: not known in the sending jurisdiction (a case stored before "
                                                "the area was kept); the receiving one sets it on acceptance.")
    address: str = Field(description="The new address, in the receiving jurisdiction.")
    public_name: str
    household_size: int = Field(ge=1)
    member_id_numbers: tuple[ResidentId, ...] = Field(description="Internal: for the receiving jurisdiction's checks.")
    payment_account: str = Field(description="Internal only, never public.")
    amount_fen: Fen = Field(description="The monthly amount now paid.")
    monthly_income_fen: Fen | None = Field(None, description="The counted income; None: not known here.")
    approved_on: dt.date = Field(description="When the household was first approved.")
    from_month: Month = Field(description="The first month the receiving jurisdiction is asked to pay.")
    requested_on: dt.date
    reasons: tuple[str, ...] = Field(min_length=1)
    approving_body: ApprovingBody
    signer: Signer


class HouseholdTransferAccepted(Event):
    """迁入: B takes the household on as its own new case (this envelope's case id)."""

    event_type: ClassVar[str] = "household_transfer_accepted"
    producer: ClassVar[str] = "decision"

    transfer_id: str
    from_jurisdiction: str
    from_case_id: str
    category: Category
    area: Area
    committee: str
    address: str
    public_name: str
    household_size: int = Field(ge=1)
    member_id_numbers: tuple[ResidentId, ...] = Field(
        (), description="Internal: the members as the request gave them, for the district's index of residents and "
                        "the receiving window's case; () from a producer that did not send them.")
    payment_account: str = Field(description="Internal only, never public.")
    amount_fen: Fen
    first_month_paid: Month = Field(description="The first month B pays; A's last is the month before.")
    accepted_on: dt.date
    approving_body: ApprovingBody
    signer: Signer


class HouseholdTransferRefused(Event):
    """B refuses to take the household on: it stays on support in A (this envelope's case is A's)."""

    event_type: ClassVar[str] = "household_transfer_refused"
    producer: ClassVar[str] = "decision"

    transfer_id: str
    from_jurisdiction: str
    category: Category
    refused_on: dt.date
    reasons: tuple[str, ...] = Field(min_length=1)
    approving_body: ApprovingBody
    signer: Signer
