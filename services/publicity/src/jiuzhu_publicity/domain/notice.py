"""One publicity notice (plan 五(三)): posted on the committee's board for its window, taking
objections while the window runs, then closed clean or objected — or taken down at once when the
application is withdrawn. A case has one notice per round (a new one after each re-investigation)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from jiuzhu_contracts.base import Category, Due
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_publicity.domain import window

OBJECTION_RULE = "乌尔禾区工作方案 五(三): 公示期内任何人可提出异议"


class NoticeStatus(StrEnum):
    OPEN = "open"  # on the board
    CLOSED = "closed"  # its window has passed; the case went to decision
    WITHDRAWN = "withdrawn"  # taken down: the application was withdrawn


class WindowOutcome(StrEnum):
    CLEAN = "clean"
    OBJECTED = "objected"


@dataclass(frozen=True)
class Objection:
    objection_id: str
    notice_no: str
    case_id: str
    received_on: dt.date
    channel: str
    anonymous: bool
    summary: str
    contact: str | None  # private: never on a public page or the bus
    recorded_by: str


@dataclass(frozen=True)
class Notice:
    notice_no: str
    case_id: str
    round: int
    committee: str
    public_name: str
    household_size: int
    category: Category
    amount_fen: int
    opens_on: dt.date
    closes: Due  # the window's last day, with its rule
    status: NoticeStatus = NoticeStatus.OPEN
    outcome: WindowOutcome | None = None

    @property
    def closes_on(self) -> dt.date:
        return self.closes.due_on

    @classmethod
    def post(cls, case_id: str, round_no: int, *, committee: str, public_name: str, household_size: int,
             category: Category, amount_fen: int, opens_on: dt.date, closes: Due) -> "Notice":
        """Round ``round_no`` of the case's notice, posted on ``opens_on``."""
        return cls(notice_no=f"GS-{case_id}-{round_no}", case_id=case_id, round=round_no, committee=committee,
                   public_name=public_name, household_size=household_size, category=category,
                   amount_fen=amount_fen, opens_on=opens_on, closes=closes)

    def ensure_may_act(self, actor_id: str) -> None:
        """Anyone may object to a notice, and staff record objections for anyone (plan 五(三)):
        a notice names no staff recused from it."""

    def objection(self, objection_id: str, *, received_on: dt.date, channel: str, anonymous: bool, summary: str,
                  contact: str | None, recorded_by: str) -> Objection:
        """An objection to this notice, taken on any day of its window while it is on the board
        (plan 五(三): 公示期内任何人可提出异议). An anonymous one keeps no contact."""
        if self.status != NoticeStatus.OPEN or not window.accepts_objections(self.opens_on, self.closes_on,
                                                                             received_on):
            raise DomainRefusal(f"公示{self.notice_no}不在公示期内（{self.opens_on}至{self.closes_on}）/ "
                                f"notice {self.notice_no} is not in its publicity window "
                                f"({self.opens_on} – {self.closes_on})", rule=OBJECTION_RULE, status=409,
                                field="notice_no", details={"opens_on": self.opens_on.isoformat(),
                                                            "closes_on": self.closes_on.isoformat()})
        return Objection(objection_id, self.notice_no, self.case_id, received_on, channel, anonymous, summary,
                         None if anonymous else contact, recorded_by)

    def has_ended(self, today: dt.date) -> bool:
        return self.status == NoticeStatus.OPEN and window.has_ended(self.closes_on, today)

    def closed(self, objected: bool) -> "Notice":
        """The window has passed: the notice comes down, clean or objected."""
        if self.status != NoticeStatus.OPEN:
            raise ValueError(f"notice {self.notice_no} is {self.status}, not open")
        return replace(self, status=NoticeStatus.CLOSED,
                       outcome=WindowOutcome.OBJECTED if objected else WindowOutcome.CLEAN)

    def withdrawn(self) -> "Notice":
        """The application was withdrawn: an open notice comes off the board at once."""
        if self.status != NoticeStatus.OPEN:
            return self
        return replace(self, status=NoticeStatus.WITHDRAWN)
