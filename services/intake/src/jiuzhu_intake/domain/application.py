"""What a household hands in at the window (plan 五(一)), as plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from jiuzhu_contracts.base import Area, Category, TemporaryKind
from jiuzhu_contracts.events.discovery import OnBehalf
from jiuzhu_kernel.refusal import DomainRefusal


class ApplicationStatus(StrEnum):
    """An application from its first submission to its acceptance (stored as these strings)."""

    SUBMITTED = "submitted"
    AWAITING_CORRECTION = "awaiting_correction"  # the one-time notice was issued (plan 五(一))
    ACCEPTED = "accepted"  # a case was opened for it


def ensure_resubmittable(application_id: str, status: str) -> None:
    """Only an application the one-time notice sent back may be handed in again."""
    if status != ApplicationStatus.AWAITING_CORRECTION:
        raise DomainRefusal(f"application {application_id} is {status}; only an application "
                            "awaiting correction can be resubmitted", rule="state", status=409)


@dataclass(frozen=True)
class MemberFacts:
    name: str
    id_number: str
    relation: str  # to the applicant: self, spouse, child, parent, sibling, grandparent, grandchild, other
    disabled: bool = False
    in_school: bool = False
    seriously_ill: bool = False
    able_to_work: bool | None = None


@dataclass(frozen=True)
class HandedIn:
    """A material the household handed in, as the clerk found it."""

    code: str
    conforming: bool = True
    problem: str | None = None  # why it does not conform (illegible, expired, wrong person …)


@dataclass(frozen=True)
class ApplicationContent:
    category: Category
    area: Area
    registration_jurisdiction: str  # 户籍所在地
    address: str
    committee: str
    members: tuple[MemberFacts, ...]
    declared_monthly_income_fen: int
    declared_assets_fen: int
    payment_account: str
    contact_phone: str
    reason: str
    consent_signed: bool  # 家庭经济状况核对授权书
    handed_in: tuple[HandedIn, ...] = ()
    channel: str = "window"
    emergency_jurisdiction: str | None = None  # temporary assistance: where the emergency happened
    extra: dict[str, str] = field(default_factory=dict)
    on_behalf: OnBehalf | None = None  # 代为申请 after an active-discovery report (domain/discovery.py)
    temporary_kind: TemporaryKind | None = None  # 临时救助: 急难型 or 支出型 (domain/temporary_application.py)

    @property
    def applicant(self) -> MemberFacts:
        return next(m for m in self.members if m.relation == "self")

    @property
    def id_numbers(self) -> tuple[str, ...]:
        return tuple(m.id_number for m in self.members)

    def handed_in_conforming(self) -> set[str]:
        return {h.code for h in self.handed_in if h.conforming}
