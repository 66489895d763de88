"""A supported household's own changes (issue 15 item 6): members added or removed, a new payment
account, a new address — within the jurisdiction, or in another one of the district, which hands
the case over only when the receiving jurisdiction accepts it.

The rules, as plain functions and small values; ``SupportedHousehold`` applies them (its methods
``household_changed``, ``transfer_requested``, ``moved_out``, ``transfer_refused``), and
``IncomingTransfer`` is the request as the receiving jurisdiction holds it until it decides.

* A change of members is a fact the clerk records; the amount it leads to is decided by whoever
  holds the authority (a re-review, ``support_changed``). A death opens the re-review within
  3 months (N22 §1.3). The last member's death is not a change: support ends (停发, cause death).
* A move to another jurisdiction: A's decider asks, B's decider accepts or refuses. B pays from
  the month after its acceptance at the earliest (D21 art. 21, 25: paid from the month after the
  decision), and never before the month A asked for; A pays through the month before B's first.
  So no month is paid twice and none is missed: the two cases have different ids, so the
  disbursement's one-claim-per-(case, month) key could not catch a month paid by both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from enum import StrEnum

from jiuzhu_contracts.base import Area, Category, Signer
from jiuzhu_contracts.events.household import MemberCause
from jiuzhu_kernel.input_limits import month_index, month_of
from jiuzhu_kernel.refusal import DomainRefusal

MEMBERS_RULE = "D21 art. 31: 家庭成员变化 — a member added must not already be in the household, a member removed must be in it"
LAST_MEMBER_RULE = ("D21 art. 32: the last member's death or departure is not a household change: support ends "
                    "(停发, cause death or moved_out)")
CAUSE_RULE = "a member joins by birth, marriage, adoption, moving in or returning; leaves by death, moving out, divorce or marriage"
NOTHING_RULE = "a household change adds or removes a member, or gives a new account or address"
COMMITTEE_RULE = "the committee of a new address is one of this jurisdiction's (district configuration)"
TRANSFER_RULE = ("issue 15 item 6: a move to another jurisdiction hands the case over when that jurisdiction "
                 "accepts it; one move at a time")
TARGET_RULE = "a household moves to another jurisdiction of the same district (district configuration)"
GRADUAL_EXIT_RULE = "N22 §1.3: a household in its gradual exit ends where it is supported; it is not handed over"
FIRST_MONTH_RULE = ("D21 art. 21, 25: the receiving jurisdiction pays from the month after its acceptance at the "
                    "earliest, and not before the month asked for; the sending one pays through the month before")
ANSWERED_RULE = "a transfer is accepted or refused once"

JOINING = frozenset({MemberCause.BIRTH, MemberCause.MARRIAGE, MemberCause.ADOPTION, MemberCause.MOVED_IN,
                     MemberCause.RETURNED, MemberCause.OTHER})
LEAVING = frozenset({MemberCause.DEATH, MemberCause.MOVED_OUT, MemberCause.DIVORCE, MemberCause.MARRIAGE,
                     MemberCause.OTHER})


def next_month(month: str, n: int = 1) -> str:
    index = month_index(month) + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class HouseholdLink:
    """The same household's case in another jurisdiction: where it moved from, or to."""

    jurisdiction: str
    case_id: str
    transfer_id: str


@dataclass(frozen=True)
class PendingTransfer:
    """A move asked for by this jurisdiction, not yet answered by the receiving one."""

    transfer_id: str
    to_jurisdiction: str
    address: str
    from_month: str
    requested_on: dt.date
    reasons: tuple[str, ...]
    signer: Signer
    body: str  # the approving body that asked (ApprovingBody value)


def check_causes(added: list[tuple[str, MemberCause]], removed: list[tuple[str, MemberCause]]) -> None:
    for i, (_, cause) in enumerate(added):
        if cause not in JOINING:
            raise DomainRefusal(f"成员不能因 {cause.value} 加入 / a member does not join by {cause.value}",
                                rule=CAUSE_RULE, status=422, field=f"members_added[{i}].cause")
    for i, (_, cause) in enumerate(removed):
        if cause not in LEAVING:
            raise DomainRefusal(f"成员不能因 {cause.value} 减少 / a member does not leave by {cause.value}",
                                rule=CAUSE_RULE, status=422, field=f"members_removed[{i}].cause")


def members_after(current: tuple[str, ...], added: tuple[str, ...], removed: tuple[str, ...]) -> tuple[str, ...]:
    """The household's members (resident ID numbers, normalised) after the change."""
    if not (added or removed):
        return current
    for i, number in enumerate(added):
        if number in current or number in added[:i]:
            raise DomainRefusal(f"身份证号 {number[:6]}…{number[-4:]} 已是本户成员 / this person is already a member",
                                rule=MEMBERS_RULE, status=409, field=f"members_added[{i}].member.id_number")
    for i, number in enumerate(removed):
        if number not in current or number in removed[:i]:
            raise DomainRefusal(f"身份证号 {number[:6]}…{number[-4:]} 不是本户成员 / this person is not a member "
                                "of the household", rule=MEMBERS_RULE, status=422,
                                field=f"members_removed[{i}].id_number")
    after = tuple(n for n in current if n not in removed) + added
    if not after:
        raise DomainRefusal("户内已无成员，应作停发决定 / no member would be left: end the support instead",
                            rule=LAST_MEMBER_RULE, status=409, field="members_removed")
    return after


def transfer_id_for(case_id: str, n: int) -> str:
    """``ZY-<case id>-01``: the household's first move (转移). Deterministic: one per request."""
    return f"ZY-{case_id}-{n:02d}"


def case_id_in(jurisdiction: str, transfer_id: str) -> str:
    """The household's new case id in the receiving jurisdiction (迁入, ``ZR``), derived from the
    transfer: accepting twice can only find the case it made the first time."""
    return f"{jurisdiction}-ZR-{hashlib.sha256(transfer_id.encode()).hexdigest()[:8]}"


def check_target(own: str, to_jurisdiction: str, jurisdictions: set[str]) -> None:
    if to_jurisdiction == own or to_jurisdiction not in jurisdictions:
        where = "本辖区" if to_jurisdiction == own else "本区以外"
        raise DomainRefusal(f"{to_jurisdiction} 是{where} / {to_jurisdiction} is not another jurisdiction of this "
                            "district (a new address here is a household change)", rule=TARGET_RULE, status=422,
                            field="to_jurisdiction")


def earliest_first_month(from_month: str, accepted_on: dt.date) -> str:
    """The first month the receiving jurisdiction may pay."""
    after = next_month(month_of(accepted_on))
    return max(from_month, after)


class TransferStatus(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    REFUSED = "refused"


@dataclass(frozen=True)
class IncomingTransfer:
    """A household another jurisdiction asks this one to take on (迁入申请), as this one holds it.
    Its ``case_id`` is the transfer id (the case store's key)."""

    case_id: str  # the transfer id
    from_jurisdiction: str
    from_case_id: str
    category: Category
    area: Area | None  # None: not known where it comes from; set on acceptance
    address: str
    public_name: str
    household_size: int
    member_id_numbers: tuple[str, ...]
    payment_account: str
    amount_fen: int
    monthly_income_fen: int | None  # None: not known where it comes from
    approved_on: dt.date
    from_month: str
    requested_on: dt.date
    reasons: tuple[str, ...]
    requested_by: Signer
    status: TransferStatus = TransferStatus.REQUESTED
    new_case_id: str | None = None
    committee: str | None = None
    first_month_paid: str | None = None
    decided_on: dt.date | None = None
    decided_by: Signer | None = None
    refusal_reasons: tuple[str, ...] = ()

    @property
    def transfer_id(self) -> str:
        return self.case_id

    def ensure_may_act(self, person_id: str) -> None:
        """Nobody of the receiving jurisdiction is recused yet: its close-relative register is
        checked when the household is on support here (a later household change, a re-review)."""

    def ensure_open(self) -> None:
        if self.status is not TransferStatus.REQUESTED:
            raise DomainRefusal(f"迁入申请 {self.case_id} 已{'接收' if self.status is TransferStatus.ACCEPTED else '拒绝'}"
                                f" / transfer {self.case_id} was already {self.status.value}", rule=ANSWERED_RULE,
                                status=409)

    def accepted(self, *, committee: str, first_month_paid: str, on: dt.date, by: Signer,
                 jurisdiction: str) -> "IncomingTransfer":
        self.ensure_open()
        earliest = earliest_first_month(self.from_month, on)
        if month_index(first_month_paid) < month_index(earliest):
            raise DomainRefusal(f"首次发放月份不得早于{earliest} / the first month paid here cannot be before {earliest}",
                                rule=FIRST_MONTH_RULE, status=422, field="first_month_paid")
        return replace(self, status=TransferStatus.ACCEPTED, committee=committee, first_month_paid=first_month_paid,
                       decided_on=on, decided_by=by, new_case_id=case_id_in(jurisdiction, self.case_id))

    def refused(self, *, reasons: tuple[str, ...], on: dt.date, by: Signer) -> "IncomingTransfer":
        self.ensure_open()
        return replace(self, status=TransferStatus.REFUSED, decided_on=on, decided_by=by, refusal_reasons=reasons)
