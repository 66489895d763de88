"""A case as the window holds it, from acceptance to the end (SPEC §5): who the household is, where
the case stands, its due dates by clock, the staff who recuse from it, and the receipt handed out.
The window follows the other stages' events; its own acts on the case are withdrawal and the late
flag of a close relative."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from jiuzhu_contracts.base import Area, Category, Due
from jiuzhu_contracts.events.intake import CloseRelativeFlag
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_intake.domain.case_stage import Stage, may_withdraw, next_stage
from jiuzhu_intake.domain.close_relatives import RegisteredRelative, late_flag, may_be_flagged_late
from jiuzhu_intake.domain.household_changes import Household, HouseholdMember, MovedFrom, MovedIn
from jiuzhu_intake.domain.imported_household import RECEIPT_RULE, Imported, ImportedFrom, application_id, head_of

WITHDRAWAL_RULE = "plan 五: withdrawal before the decision"


@dataclass(frozen=True)
class Receipt:
    """What the acceptance receipt (受理回执) lists."""

    address: str
    materials: tuple[str, ...]  # conforming materials handed in
    household_size: int
    waived: tuple[str, ...] = ()


@dataclass(frozen=True)
class IntakeCase:
    case_id: str
    application_id: str
    category: Category
    area: Area
    committee: str
    applicant_name: str
    member_ids: tuple[str, ...]
    accepted_on: dt.date
    receipt: Receipt
    stage: Stage = Stage.INVESTIGATING
    dues: dict[str, Due] = field(default_factory=dict)  # by clock: the latest due date each stage announced
    close_relative_staff_ids: tuple[str, ...] = ()
    # Issue 15: a household imported from the old system (no application here); None for every other.
    imported_from: ImportedFrom | None = None
    # Issue 15 item 6: the household as it is now once changed after the decision (None: as accepted
    # or imported), and the case it moved here from (None: it did not move here).
    household: Household | None = None
    moved_from: MovedFrom | None = None

    @classmethod
    def imported(cls, household: Imported) -> "IntakeCase":
        """存量对象: supported already, as if approved here (domain/imported_household.py)."""
        src = household.source
        return cls(case_id=household.case_id, application_id=application_id(src.file_sha256, src.row),
                   category=household.category, area=household.area, committee=household.committee,
                   applicant_name=head_of(src.members).name, member_ids=tuple(m.id_number for m in src.members),
                   accepted_on=household.approved_on, stage=Stage.APPROVED, imported_from=src,
                   receipt=Receipt(address=household.address, materials=(), household_size=len(src.members)))

    @classmethod
    def moved_in(cls, household: MovedIn) -> "IntakeCase":
        """迁入: supported here from B's acceptance, as if approved here (domain/household_changes.py)."""
        return cls(case_id=household.case_id, application_id=household.moved_from.transfer_id,
                   category=household.category, area=household.area, committee=household.committee,
                   applicant_name=household.public_name, member_ids=household.member_ids,
                   accepted_on=household.accepted_on, stage=Stage.APPROVED, moved_from=household.moved_from,
                   receipt=Receipt(address=household.address, materials=(), household_size=len(household.member_ids)),
                   household=Household(household.address, tuple(HouseholdMember(n) for n in household.member_ids)))

    def household_changed(self, now: Household, *, added: tuple[HouseholdMember, ...], removed: tuple[str, ...],
                          address: str | None, committee: str | None) -> "IntakeCase":
        """Members added or removed, a new address (and committee): ``now`` is the household before."""
        after = now.changed(added=added, removed=removed, address=address)
        return replace(self, household=after, member_ids=tuple(m.id_number for m in after.members),
                       committee=committee or self.committee)

    def ensure_receipt(self) -> None:
        if self.imported_from is not None:
            raise DomainRefusal(f"case {self.case_id} was imported from the old system: it was never accepted here",
                                rule=RECEIPT_RULE, status=404)
        if self.moved_from is not None:
            raise DomainRefusal(f"case {self.case_id} moved here from {self.moved_from.jurisdiction}: it was never "
                                "accepted here", rule=RECEIPT_RULE, status=404)

    def ensure_may_act(self, actor_id: str) -> None:
        """The window records what the applicant asks (a withdrawal); the recusal of D21 art. 11 binds
        those who investigate, review and decide, in their own services — nobody is refused here."""

    def followed(self, event_type: str, dues: Iterable[Due]) -> "IntakeCase":
        """Another stage's event: the stage it leads to, and the due dates it announced."""
        return replace(self, stage=next_stage(self.stage, event_type),
                       dues={**self.dues, **{due.clock: due for due in dues}})

    def withdrawn(self) -> "IntakeCase":
        """The applicant withdraws, through the clerk, before the decision."""
        if not may_withdraw(self.stage):
            raise DomainRefusal(f"case {self.case_id} is {self.stage}; an application can be withdrawn only "
                                "until the decision", rule=WITHDRAWAL_RULE, status=409)
        return replace(self, stage=Stage.WITHDRAWN)

    def flagged_late(self, relative: RegisteredRelative) -> tuple["IntakeCase", CloseRelativeFlag] | None:
        """A close relative registered after acceptance (D21 art. 11): the staff member recuses from
        this case from now on — unless they already do, or the case is closed."""
        flag = late_flag(relative, self.close_relative_staff_ids)
        if flag is None or not may_be_flagged_late(self.stage):
            return None
        return replace(self, close_relative_staff_ids=self.close_relative_staff_ids + flag.staff_ids), flag
