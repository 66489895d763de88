"""Active discovery (主动发现, plan 四(三)2): a residents' committee reports a household in difficulty
to the jurisdiction's window, which follows it up by the configured due date — an application made
on the household's behalf with its authorisation (代为申请, plan 五(一): 申请有困难的可委托居（村）
民委员会等代为申请), or the report closed with a reason.

The report is held in the case store like a case (its number is the key), so it is locked, changed
by these methods and saved with its events in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from jiuzhu_contracts.base import Due
from jiuzhu_contracts.events.discovery import (
    Authorisation,
    AuthorisationDocument,
    ClosingReason,
    Difficulty,
    DiscoveryOutcome,
)
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_intake.domain.application import MemberFacts

REPORT_RULE = "乌尔禾区工作方案 四(三)2: 居（村）民委员会履行救助对象主动发现报告职责"
FOLLOW_UP_RULE = "乌尔禾区工作方案 四(三)2、六(三) 及时发现，及时救助: {n}个工作日内跟进主动发现报告（方案未定期限，区配置）"
ON_BEHALF_RULE = "乌尔禾区工作方案 五(一): 申请有困难的可委托居（村）民委员会等代为申请 — 须有家庭的委托"
SIGNER_RULE = ("乌尔禾区工作方案 五(一): 以家庭为单位由共同生活的家庭成员申请 — 委托书由家庭成员签字或按指印，"
               "无民事行为能力者由监护人代签 / the household's own member signs, or a guardian with document "
               "'guardian'")


class ReportStatus(StrEnum):
    OPEN = "open"
    APPLICATION_MADE = "application_made"
    CLOSED = "closed"


@dataclass(frozen=True)
class ReportedHousehold:
    """Who the committee means, as far as it knows (the register's; never on an event)."""

    name: str  # the person the committee spoke to or about (户主或联系人)
    address: str
    contact_phone: str | None = None
    household_size: int | None = None


@dataclass(frozen=True)
class Reporter:
    id: str
    name: str
    role: str


@dataclass(frozen=True)
class DiscoveryReport:
    case_id: str  # the report number: {jurisdiction}-FX-{year}-{n:05d}
    committee: str
    reported_on: dt.date
    household: ReportedHousehold
    difficulties: tuple[Difficulty, ...]
    observed: str
    reported_by: Reporter
    follow_up_due: Due
    status: ReportStatus = ReportStatus.OPEN
    followed_up_on: dt.date | None = None
    followed_up_by: Reporter | None = None
    application_id: str | None = None
    application_case_id: str | None = None  # once the application was accepted
    authorisation: Authorisation | None = None
    closing_reason: ClosingReason | None = None
    note: str | None = None

    @property
    def report_no(self) -> str:
        return self.case_id

    def ensure_may_act(self, actor_id: str) -> None:
        """A report is not a case yet: nobody recuses from following it up (D21 art. 11 binds the
        application's investigation, review and decision, in their own services)."""

    def ensure_open(self) -> None:
        if self.status is not ReportStatus.OPEN:
            raise DomainRefusal(f"report {self.case_id} is {self.status.value}; only an open report is followed up",
                                rule="state", status=409)

    def on_time(self, day: dt.date) -> bool:
        return day <= self.follow_up_due.due_on

    def application_made(self, *, on: dt.date, by: Reporter, application_id: str, case_id: str | None,
                         authorisation: Authorisation, note: str | None) -> "DiscoveryReport":
        self.ensure_open()
        return replace(self, status=ReportStatus.APPLICATION_MADE, followed_up_on=on, followed_up_by=by,
                       application_id=application_id, application_case_id=case_id, authorisation=authorisation,
                       note=note)

    def closed(self, *, on: dt.date, by: Reporter, reason: ClosingReason, note: str) -> "DiscoveryReport":
        self.ensure_open()
        if not note.strip():
            raise DomainRefusal("a closed report states its reason in words", rule=REPORT_RULE, status=422,
                                field="note")
        return replace(self, status=ReportStatus.CLOSED, followed_up_on=on, followed_up_by=by,
                       closing_reason=reason, note=note.strip())

    @property
    def outcome(self) -> DiscoveryOutcome | None:
        return {ReportStatus.APPLICATION_MADE: DiscoveryOutcome.APPLICATION_MADE,
                ReportStatus.CLOSED: DiscoveryOutcome.CLOSED}.get(self.status)


def authorised(signed_by: str, signed_on: dt.date, document: AuthorisationDocument,
               members: tuple[MemberFacts, ...], today: dt.date) -> Authorisation:
    """The household's authorisation of the application made on its behalf: signed by one of its
    members (written or thumbprint), or by a guardian (``guardian``: then the signer is outside the
    household), on or before the day it is used."""
    name = signed_by.strip()
    if signed_on > today:
        raise DomainRefusal("the authorisation is dated after today", rule=ON_BEHALF_RULE, status=422,
                            field="authorisation.signed_on")
    if document is AuthorisationDocument.GUARDIAN:
        return Authorisation(signed_by=name, relation="guardian", signed_on=signed_on, document=document)
    member = next((m for m in members if m.name == name), None)
    if member is None:
        raise DomainRefusal(f"{name!r} is not a member of the household applied for", rule=SIGNER_RULE,
                            status=422, field="authorisation.signed_by")
    return Authorisation(signed_by=name, relation=member.relation, signed_on=signed_on, document=document)
