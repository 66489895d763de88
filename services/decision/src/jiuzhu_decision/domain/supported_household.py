"""A household on support (保障对象), from its approval — here or, for 存量对象, under the old
system — until its support ends. The decision service holds it because whoever holds the
authority on the date decides every change (D21 art. 32; the registry, SPEC §3).

What it knows: who the household is, the monthly amount in force from each month on, whether it is
in a gradual exit, and when its support ended. Changes return a new household (frozen).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum

from jiuzhu_contracts.base import Area, Category
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_decision.domain.decision_case import RECUSAL_RULE
from jiuzhu_decision.domain.household_changes import (
    GRADUAL_EXIT_RULE as NO_MOVE_IN_GRADUAL_EXIT,
    TRANSFER_RULE,
    HouseholdLink,
    PendingTransfer,
    members_after,
    next_month,
)

ON_SUPPORT_RULE = "D21 art. 32: only a household on support can have its support changed or ended"


class SupportStatus(StrEnum):
    SUPPORTED = "supported"  # 在保
    GRADUAL_EXIT = "gradual_exit"  # 渐退期 (N22 §1.3)
    ENDED = "ended"  # 停发


@dataclass(frozen=True)
class AmountFrom:
    """The monthly amount from ``month`` (YYYY-MM) on, until the next change."""

    month: str
    amount_fen: int


@dataclass(frozen=True)
class Migration:
    """存量对象: imported from the district's own list (file SHA-256 and row)."""

    file_name: str
    file_sha256: str
    row: int


@dataclass(frozen=True)
class SupportedHousehold:
    case_id: str
    category: Category
    area: Area
    committee: str
    public_name: str
    household_size: int
    member_id_numbers: tuple[str, ...]
    payment_account: str
    approved_on: dt.date
    amounts: tuple[AmountFrom, ...]  # in month order; the first is the first month paid
    status: SupportStatus = SupportStatus.SUPPORTED
    last_month_paid: str | None = None  # set when it ends or enters a gradual exit
    recused: frozenset[str] = frozenset()
    migration: Migration | None = None
    address: str = ""
    monthly_income_fen: int = 0  # the household's counted monthly income when last assessed (for a standard raise)
    notices: tuple[str, ...] = field(default=())  # the written notices of its changes, in order
    # Its own changes and moves (issue 15 item 6; domain/household_changes.py)
    moved_from: HouseholdLink | None = None  # its case in the jurisdiction it moved from
    moved_to: HouseholdLink | None = None  # its case in the jurisdiction it moved to
    transfer: PendingTransfer | None = None  # a move asked for and not yet answered
    transfers_asked: int = 0  # numbers the next transfer id

    @property
    def first_month_paid(self) -> str:
        return self.amounts[0].month

    @property
    def amount_fen(self) -> int:
        """The amount of the latest change (what the next roster pays unless it ends)."""
        return self.amounts[-1].amount_fen

    def amount_in(self, month: str) -> int:
        """What is paid for ``month``: 0 before the first month paid and after the last."""
        if month < self.first_month_paid or (self.last_month_paid and month > self.last_month_paid):
            return 0
        return [a for a in self.amounts if a.month <= month][-1].amount_fen

    def ensure_may_act(self, person_id: str) -> None:
        if person_id in self.recused:
            raise DomainRefusal(f"{person_id} 是本户家庭成员的近亲属备案工作人员，应当回避 / {person_id} is registered "
                                f"as a close relative's staff member for household {self.case_id} and must recuse",
                                rule=RECUSAL_RULE, status=403)

    def ensure_on_support(self) -> None:
        if self.status is SupportStatus.ENDED:
            raise DomainRefusal(f"户 {self.case_id} 已于 {self.last_month_paid} 停发 / household {self.case_id} "
                                f"is no longer on support (last month paid {self.last_month_paid})",
                                rule=ON_SUPPORT_RULE, status=409)

    def ended(self, last_month_paid: str, notice_no: str | None = None) -> "SupportedHousehold":
        self.ensure_on_support()
        return replace(self, status=SupportStatus.ENDED, last_month_paid=last_month_paid,
                       notices=self.notices + ((notice_no,) if notice_no else ()))

    # --- its own changes and moves (issue 15 item 6; the rules in domain/household_changes.py) -------
    def household_changed(self, *, added: tuple[str, ...] = (), removed: tuple[str, ...] = (),
                          payment_account: str | None = None, address: str | None = None,
                          committee: str | None = None, public_name: str | None = None) -> "SupportedHousehold":
        """户内变更: members (resident ID numbers), account, address within the jurisdiction. The amount
        stays as decided: its consequence is the decider's (a re-review, ``support_changed``)."""
        self.ensure_on_support()
        members = members_after(self.member_id_numbers, added, removed)
        size = self.household_size + len(added) - len(removed)
        return replace(self, member_id_numbers=members, household_size=max(size, 1),
                       payment_account=payment_account or self.payment_account, address=address or self.address,
                       committee=committee or self.committee, public_name=public_name or self.public_name)

    def transfer_requested(self, transfer: PendingTransfer) -> "SupportedHousehold":
        """迁出: asked to hand the household over to ``transfer.to_jurisdiction``."""
        self.ensure_on_support()
        if self.status is SupportStatus.GRADUAL_EXIT:
            raise DomainRefusal(f"户 {self.case_id} 在渐退期，至{self.last_month_paid}止 / household {self.case_id} is in "
                                "its gradual exit", rule=NO_MOVE_IN_GRADUAL_EXIT, status=409)
        if self.transfer is not None:
            raise DomainRefusal(f"户 {self.case_id} 已申请迁往 {self.transfer.to_jurisdiction}（{self.transfer.transfer_id}），"
                                f"尚待答复 / household {self.case_id} already awaits the answer to transfer "
                                f"{self.transfer.transfer_id}", rule=TRANSFER_RULE, status=409)
        return replace(self, transfer=transfer, transfers_asked=self.transfers_asked + 1)

    def moved_out(self, link: HouseholdLink, first_month_there: str) -> "SupportedHousehold":
        """The receiving jurisdiction accepted: paid here through the month before its first."""
        return replace(self.ended(next_month(first_month_there, -1)), moved_to=link, transfer=None)

    def transfer_refused(self, transfer_id: str) -> "SupportedHousehold":
        """The receiving jurisdiction refused: the household stays on support here."""
        return replace(self, transfer=None) if self.transfer and self.transfer.transfer_id == transfer_id else self
