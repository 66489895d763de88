"""Events of the window (SPEC §5.1, plan 五(一) 申请受理). Published by ``intake``."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field

from jiuzhu_contracts.base import Area, Category, Due, Fen, Frozen, TemporaryKind
from jiuzhu_contracts.envelope import Event
from jiuzhu_contracts.events.discovery import OnBehalf
from jiuzhu_contracts.resident_id import ResidentId


class Member(Frozen):
    """A co-resident household member (共同生活的家庭成员)."""

    name: str = Field(min_length=1, max_length=50)
    id_number: ResidentId
    relation: str = Field(description="Relation to the applicant: self, spouse, child, parent, …")
    disabled: bool = False
    in_school: bool = False
    seriously_ill: bool = False
    able_to_work: bool | None = None


class CloseRelativeFlag(Frozen):
    """近亲属备案: a member is a close relative of a staff member or committee cadre (D21 art. 11)."""

    staff_ids: tuple[str, ...] = Field(min_length=1, description="Staff who must recuse themselves.")
    member_id_numbers: tuple[ResidentId, ...]
    relations: tuple[str, ...]


class MissingItem(Frozen):
    code: str = Field(description="Material code from the configured rule table.")
    label: str = Field(description="What the household must bring, in Chinese.")
    reason: str = Field(description="missing | non_conforming, and why it is needed.")


class ApplicationSubmitted(Event):
    event_type: ClassVar[str] = "application_submitted"
    producer: ClassVar[str] = "intake"

    application_id: str
    category: Category
    area: Area
    committee: str
    channel: str = Field(description="window | committee (委托居村委会代为申请) | discovery (主动发现后由街道代为申请)")
    household_size: int = Field(ge=1)
    materials_handed_in: tuple[str, ...]
    on_behalf: OnBehalf | None = Field(None, description="代为申请: the report it followed and the household's "
                                                         "authorisation (plan 四(三)2, 五(一)).")


class CorrectionRequested(Event):
    """一次性告知: the one correction notice, listing every missing or non-conforming item."""

    event_type: ClassVar[str] = "correction_requested"
    producer: ClassVar[str] = "intake"

    application_id: str
    notice_no: str
    items: tuple[MissingItem, ...] = Field(min_length=1)
    issued_on: dt.date


class ApplicationAccepted(Event):
    """受理: the case exists from here; the investigation clock starts (plan 五(二))."""

    event_type: ClassVar[str] = "application_accepted"
    producer: ClassVar[str] = "intake"

    application_id: str
    accepted_on: dt.date
    category: Category
    area: Area
    committee: str
    address: str
    applicant_name: str
    members: tuple[Member, ...] = Field(min_length=1)
    declared_monthly_income_fen: Fen
    declared_assets_fen: Fen
    payment_account: str = Field(description="Bank account for payment; internal only, never public.")
    contact_phone: str = Field(description="Internal only, never public.")
    reason: str
    materials: tuple[str, ...]
    consent_signed: bool = Field(description="家庭经济状况核对授权书 signed.")
    close_relative: CloseRelativeFlag | None = None
    investigation_due: Due
    waived_materials: tuple[str, ...] = Field(
        (), description="Items the one-time notice did not list, which the window may no longer demand.")
    on_behalf: OnBehalf | None = Field(None, description="代为申请: the report it followed and the household's "
                                                         "authorisation (plan 四(三)2, 五(一)).")
    # Issue 16 item 1: temporary assistance's kind (L18 §1(二)); None for the other categories.
    temporary_kind: TemporaryKind | None = Field(None, description="临时救助：急难型 emergency / 支出型 expenditure.")


class ApplicationWithdrawn(Event):
    """The applicant withdrew through the clerk before the decision."""

    event_type: ClassVar[str] = "application_withdrawn"
    producer: ClassVar[str] = "intake"

    withdrawn_on: dt.date
    reason: str


class ApplicationDeemedWithdrawn(Event):
    """视为放弃申请: the household refused to cooperate with the investigation (plan 五(一))."""

    event_type: ClassVar[str] = "application_deemed_withdrawn"
    producer: ClassVar[str] = "verification"

    recorded_on: dt.date
    circumstances: str


class CloseRelativeRegistered(Event):
    """近亲属备案: a staff member's close relative entered in the jurisdiction's register (plan 四(二)3,
    D21 art. 11). Concerns the jurisdiction, not one case: no case id. The relative's ID number is
    carried as ``application_accepted`` carries members' (internal data); the name is not."""

    event_type: ClassVar[str] = "close_relative_registered"
    producer: ClassVar[str] = "intake"
    scope: ClassVar[str] = "jurisdiction"

    staff_id: str
    staff_name: str
    relative_id_number: ResidentId
    relation: str = Field(description="Of the relative to the staff member (D12 art. 14).")
    registered_on: dt.date


class CloseRelativeFlagged(Event):
    """A case flagged after its acceptance, because a close relative of a staff member in its household
    was registered later (caused by ``close_relative_registered``). Same consequences as a flag at
    acceptance: ``staff_ids`` recuse themselves from the case; oversight always spot-checks it."""

    event_type: ClassVar[str] = "close_relative_flagged"
    producer: ClassVar[str] = "intake"

    flagged_on: dt.date
    close_relative: CloseRelativeFlag
