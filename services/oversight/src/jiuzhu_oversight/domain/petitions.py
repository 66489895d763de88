"""Petitions and reports (信访 / 举报): the bureau registers them at any time, transfers each to
the jurisdiction concerned with a deadline (转办), supervises it until answered (督办) and closes
it (乌尔禾区工作方案 六(二): 公布监督举报电话，接受社会监督; 六(三): 信访件的转办督办).

A petition is a frozen value; each step returns the next one or refuses with the rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from jiuzhu_kernel.refusal import DomainRefusal

RULE = "乌尔禾区工作方案 六(三): 信访件的转办督办"
RE_REVIEW_RULE = ("D21 art. 31; 乌尔禾区工作方案 六(二)–(三): 举报经核实属实的，对涉及的在保家庭启动复核 / a substantiated "
                  "report about a supported household opens its re-review")
PERIOD_RULE = "乌尔禾区工作方案 六(三): 信访件转办街道（乡镇），{n}个工作日内书面答复（期限由区民政局设定）"


class Channel(StrEnum):
    LETTER = "letter"  # 来信
    VISIT = "visit"  # 来访
    HOTLINE = "hotline"  # 监督举报电话
    WEB = "web"  # 网上


class Kind(StrEnum):
    REPORT = "report"  # 举报 (e.g. about a supported household)
    COMPLAINT = "complaint"  # 投诉
    REQUEST = "request"  # 求助
    ENQUIRY = "enquiry"  # 咨询


class Status(StrEnum):
    REGISTERED = "registered"  # 登记
    TRANSFERRED = "transferred"  # 已转办，待答复
    ANSWERED = "answered"  # 已答复
    CLOSED = "closed"  # 办结


CHANNELS_ZH = {Channel.LETTER: "来信", Channel.VISIT: "来访", Channel.HOTLINE: "电话", Channel.WEB: "网上"}
KINDS_ZH = {Kind.REPORT: "举报", Kind.COMPLAINT: "投诉", Kind.REQUEST: "求助", Kind.ENQUIRY: "咨询"}
STATUS_ZH = {Status.REGISTERED: "已登记", Status.TRANSFERRED: "已转办", Status.ANSWERED: "已答复", Status.CLOSED: "已办结"}


def petition_no(district: str, day: dt.date, number: int) -> str:
    return f"XF-{district}-{day.year}-{number:05d}"


@dataclass(frozen=True)
class Petition:
    petition_no: str
    channel: Channel
    kind: Kind
    received_on: dt.date
    summary: str
    petitioner: str  # name, or "匿名"; never in an event
    contact: str  # never in an event
    concerning_case: str | None = None
    status: Status = Status.REGISTERED
    jurisdiction: str | None = None  # the jurisdiction it was transferred to
    instructions: str = ""
    transferred_on: dt.date | None = None
    due_on: dt.date | None = None
    escalated_on: dt.date | None = None
    answer: str = ""
    answered_on: dt.date | None = None
    answered_by: str = ""
    re_review_requested: bool = False
    substantiated: bool | None = None  # 举报属实 / 不属实; None: not a matter of fact (an enquiry)
    conclusion: str = ""
    closed_on: dt.date | None = None

    def ensure_may_act(self, actor_id: str) -> None:
        """The case store's recusal check (D21 art. 11), a no-op: oversight keeps only whether a
        case involves a close relative of staff, not which staff members recuse from it (intake and
        verification hold that), so it cannot tell a recused person acting on a
        petition about that household from anyone else."""

    def transferred(self, to: str, instructions: str, on: dt.date, due_on: dt.date) -> "Petition":
        if self.status is not Status.REGISTERED:
            raise DomainRefusal(f"信访件 {self.petition_no} 已{STATUS_ZH[self.status]}，不能再转办 / petition "
                                f"{self.petition_no} is {self.status.value}; only a registered one is transferred",
                                rule=RULE, status=409)
        if on < self.received_on:
            raise DomainRefusal("转办日期不得早于收到日期 / transferred before it was received", rule=RULE,
                                status=422, field="transferred_on")
        return replace(self, status=Status.TRANSFERRED, jurisdiction=to, instructions=instructions,
                       transferred_on=on, due_on=due_on)

    def answered(self, answer: str, on: dt.date, by: str, jurisdiction: str, re_review: bool | None,
                 substantiated: bool | None = None) -> "Petition":
        """The jurisdiction's written answer. A re-review of the household concerned is opened when the
        answer says so, and by default when the report is found substantiated and names a case."""
        if self.status is not Status.TRANSFERRED:
            raise DomainRefusal(f"信访件 {self.petition_no} 不在待答复状态（{STATUS_ZH[self.status]}）/ petition "
                                f"{self.petition_no} is {self.status.value}, not awaiting an answer", rule=RULE,
                                status=409)
        if jurisdiction != self.jurisdiction:
            raise DomainRefusal(f"信访件 {self.petition_no} 转办给 {self.jurisdiction}，应由该街道（乡镇）答复 / "
                                f"transferred to {self.jurisdiction}; only it answers", rule=RULE, status=403)
        if re_review is None:
            re_review = bool(substantiated) and self.concerning_case is not None
        if re_review and self.concerning_case is None:
            raise DomainRefusal(f"信访件 {self.petition_no} 未涉及具体案件，无从复核 / the petition names no case to "
                                "re-review", rule=RE_REVIEW_RULE, status=422, field="re_review")
        if re_review and substantiated is False:
            raise DomainRefusal("举报不属实的，不因此启动复核 / a report found unsubstantiated opens no re-review",
                                rule=RE_REVIEW_RULE, status=422, field="re_review")
        return replace(self, status=Status.ANSWERED, answer=answer, answered_on=on, answered_by=by,
                       re_review_requested=re_review, substantiated=substantiated)

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_on is None or self.due_on is None:
            return None
        return self.answered_on <= self.due_on

    def overdue(self, today: dt.date) -> bool:
        """督办: transferred, unanswered, past its due date, and not escalated yet (once only)."""
        return (self.status is Status.TRANSFERRED and self.escalated_on is None and self.due_on is not None
                and self.due_on < today)

    def escalated(self, on: dt.date) -> "Petition":
        if not self.overdue(on):
            raise DomainRefusal(f"信访件 {self.petition_no} 未逾期或已督办 / not overdue or already escalated",
                                rule=RULE, status=409)
        return replace(self, escalated_on=on)

    def closed(self, conclusion: str, on: dt.date) -> "Petition":
        """办结: after the jurisdiction's answer, or at once when the bureau settles it itself (an
        enquiry answered on the phone)."""
        if self.status not in (Status.ANSWERED, Status.REGISTERED):
            raise DomainRefusal(f"信访件 {self.petition_no} {STATUS_ZH[self.status]}，待答复后方可办结 / petition "
                                f"{self.petition_no} is {self.status.value}: close it after its answer", rule=RULE,
                                status=409)
        return replace(self, status=Status.CLOSED, conclusion=conclusion, closed_on=on)
