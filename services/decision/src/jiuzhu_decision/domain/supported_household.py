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
