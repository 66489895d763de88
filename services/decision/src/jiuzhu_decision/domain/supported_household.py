"""A household on support (保障对象), from its approval — here or, for 存量对象, under the old
system — until its support ends. The decision service holds it because whoever holds the
authority on the date decides every change (D21 art. 32; the registry, SPEC §3).

What it knows: who the household is, the monthly amount in force from each month on, whether it is
in a gradual exit, and when its support ended. Changes return a new household (frozen).

Its states (``SupportStatus``) and the changes between them, each decided by the body holding the
authority on the date and (except a standard raise) stated in a written notice with reasons:

    supported ──changed()──▶ supported            增发 / 减发, D21 art. 32
    supported ──gradual_exit()──▶ gradual_exit    渐退期, N22 §1.3
    supported | gradual_exit ──ended()──▶ ended   停发, D21 art. 32; tekun T21 art. 26
    gradual_exit ──(its last month passes)──▶ ended, cause gradual_exit
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum

from jiuzhu_contracts.base import Area, Category
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_contracts.base import Due, Signer

from jiuzhu_decision.domain.decision_case import RECUSAL_RULE
from jiuzhu_decision.domain.standard_raise import Recomputation, YearStandards, recompute
from jiuzhu_decision.domain.household_changes import (
    GRADUAL_EXIT_RULE as NO_MOVE_IN_GRADUAL_EXIT,
    TRANSFER_RULE,
    HouseholdLink,
    PendingTransfer,
    members_after,
    next_month,
)

ON_SUPPORT_RULE = "D21 art. 32: only a household on support can have its support changed or ended"
CHANGE_RULE = "D21 art. 32: 增发、减发 change the monthly amount from a month on, with stated reasons"
GRADUAL_EXIT_RULE = "N22 §1.3: 渐退期 — support continues for the configured months (at most 6), then ends"
NOTICE_RULE = "D21 art. 32: the written notice of a change or an end, delivered via the committee"


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


class NoticeKind(StrEnum):
    CHANGE = "change"  # 变更（增发、减发）通知书 — number BG-…
    GRADUAL_EXIT = "gradual_exit"  # 渐退通知书 — JT-…
    END = "end"  # 停发（终止）通知书 — TF-…


NOTICE_PREFIX = {NoticeKind.CHANGE: "BG", NoticeKind.GRADUAL_EXIT: "JT", NoticeKind.END: "TF"}


def notice_number(kind: NoticeKind, case_id: str, seq: int) -> str:
    """``BG-<case id>-03``: the household's third written notice, a change (deterministic: a retried
    request never makes a second number)."""
    return f"{NOTICE_PREFIX[kind]}-{case_id}-{seq:02d}"


def case_of_notice(notice_no: str) -> str | None:
    """The household a notice number belongs to (None when it is not one of ours)."""
    prefix, _, rest = notice_no.partition("-")
    case_id, _, seq = rest.rpartition("-")
    return case_id if prefix in NOTICE_PREFIX.values() and case_id and seq.isdigit() else None


@dataclass(frozen=True)
class SupportNotice:
    """A written notice of a change, a gradual exit or an end, stating its reasons (D21 art. 32),
    to be delivered via the committee within ``due``."""

    notice_no: str
    kind: NoticeKind
    cause: str  # a ChangeCause value
    decided_on: dt.date
    reasons: tuple[str, ...]
    signer: Signer
    body: str  # the approving body on the date
    due: Due
    amount_before_fen: int
    amount_fen: int  # from effective_month on (0: support stops)
    effective_month: str  # the first month of the new amount, or the first month no longer paid
    last_month_paid: str | None = None
    delivered_on: dt.date | None = None
    received_by: str | None = None


def next_month(month: str, n: int = 1) -> str:
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class SupportedHousehold:
    case_id: str
    category: Category
    area: Area | None  # None: not known here (a case stored before the area was kept)
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
    monthly_income_fen: int | None = None  # counted monthly income when last assessed; None: not known here
    tekun_levels: tuple[str, ...] | None = None  # 特困: each tekun person's self-care level (T21 art. 21–23); None: not known
    notices: tuple[str, ...] = field(default=())  # the written notices of its changes, in order
    written: tuple[SupportNotice, ...] = ()  # those issued here, in full (``notices`` also names others')
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

    # --- changes after approval (each returns the new household) ---------------------------------
    def notice(self, notice_no: str) -> SupportNotice:
        for n in self.written:
            if n.notice_no == notice_no:
                return n
        raise DomainRefusal(f"户 {self.case_id} 没有通知书 {notice_no} / household {self.case_id} has no notice "
                            f"{notice_no}", rule="exists", status=404)

    def next_notice_no(self, kind: NoticeKind) -> str:
        return notice_number(kind, self.case_id, len(self.written) + 1)

    def _issued(self, notice: SupportNotice | None) -> dict:
        if notice is None:
            return {}
        return {"notices": self.notices + (notice.notice_no,), "written": self.written + (notice,)}

    def changed(self, amount_fen: int, effective_month: str, notice: SupportNotice | None) -> "SupportedHousehold":
        """增发 / 减发 (D21 art. 32): ``amount_fen`` from ``effective_month`` on. A later change already
        entered keeps its own month."""
        self.ensure_on_support()
        if amount_fen < 1:
            raise DomainRefusal("停发请用停发决定，不以金额0变更 / stopping support is an end (停发), not a change to 0",
                                rule=CHANGE_RULE, status=422, field="amount_fen")
        if effective_month < self.first_month_paid:
            raise DomainRefusal(f"变更月份{effective_month}早于首次发放月份{self.first_month_paid} / {effective_month} "
                                f"is before the first month paid {self.first_month_paid}", rule=CHANGE_RULE,
                                status=422, field="effective_month")
        if self.last_month_paid and effective_month > self.last_month_paid:
            raise DomainRefusal(f"户 {self.case_id} 渐退期至{self.last_month_paid}止 / household {self.case_id} is paid "
                                f"only until {self.last_month_paid} (gradual exit)", rule=GRADUAL_EXIT_RULE,
                                status=409, field="effective_month")
        if self.amount_in(effective_month) == amount_fen:
            raise DomainRefusal(f"{effective_month}起金额已是{amount_fen}分 / the amount from {effective_month} is "
                                f"already {amount_fen} fen", rule=CHANGE_RULE, status=409, field="amount_fen")
        amounts = tuple(a for a in self.amounts if a.month != effective_month) + (AmountFrom(effective_month,
                                                                                               amount_fen),)
        return replace(self, amounts=tuple(sorted(amounts, key=lambda a: a.month)), **self._issued(notice))

    def gradual_exit(self, last_month_paid: str, notice: SupportNotice) -> "SupportedHousehold":
        """渐退期 (N22 §1.3): paid as now until ``last_month_paid``, then ended by itself."""
        self.ensure_on_support()
        if self.status is SupportStatus.GRADUAL_EXIT:
            raise DomainRefusal(f"户 {self.case_id} 已在渐退期，至{self.last_month_paid}止 / household {self.case_id} is "
                                f"already in a gradual exit until {self.last_month_paid}", rule=GRADUAL_EXIT_RULE,
                                status=409)
        return replace(self, status=SupportStatus.GRADUAL_EXIT, last_month_paid=last_month_paid,
                       **self._issued(notice))

    def gradual_exit_over(self, month: str) -> bool:
        """Its last month has passed by ``month`` (the business month): the ticker ends it."""
        return self.status is SupportStatus.GRADUAL_EXIT and self.last_month_paid is not None \
            and month > self.last_month_paid

    def recomputation(self, standards: YearStandards | None, effective_month: str) -> Recomputation:
        """提标: what the year's standards make of the amount paid for ``effective_month``."""
        return recompute(self.category, self.household_size, self.monthly_income_fen,
                         self.amount_in(effective_month) if self.status is not SupportStatus.ENDED else 0,
                         standards if self.area is not None else None, tekun_levels=self.tekun_levels)

    def recomputed_for(self, standards: YearStandards, effective_month: str) -> "SupportedHousehold":
        """提标 (D21 art. 23): the new amount from ``effective_month`` where the rules raise it; the
        household unchanged otherwise. No written notice: the new standard is published."""
        r = self.recomputation(standards, effective_month)
        return self.changed(r.after_fen, effective_month, None) if r.changes else self

    def deliver(self, notice_no: str, delivered_on: dt.date, received_by: str) -> "SupportedHousehold":
        n = self.notice(notice_no)
        if n.delivered_on:
            raise DomainRefusal(f"通知书 {notice_no} 已于{n.delivered_on}送达 / notice {notice_no} was delivered on "
                                f"{n.delivered_on}", rule=NOTICE_RULE, status=409)
        if delivered_on < n.decided_on:
            raise DomainRefusal(f"送达日期不得早于决定日期{n.decided_on} / delivery cannot precede the decision on "
                                f"{n.decided_on}", rule=NOTICE_RULE, status=422, field="delivered_on")
        delivered = replace(n, delivered_on=delivered_on, received_by=received_by)
        return replace(self, written=tuple(delivered if w.notice_no == notice_no else w for w in self.written))

    def ended(self, last_month_paid: str, notice_no: str | None = None,
              notice: SupportNotice | None = None) -> "SupportedHousehold":
        """停发 (D21 art. 32; tekun T21 art. 26): nothing is paid after ``last_month_paid``."""
        self.ensure_on_support()
        issued = self._issued(notice) if notice else {"notices": self.notices + ((notice_no,) if notice_no else ())}
        return replace(self, status=SupportStatus.ENDED, last_month_paid=last_month_paid, **issued)
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
