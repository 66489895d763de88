"""Active discovery (主动发现, plan 四(三)2). Published by ``intake``, the jurisdiction's window: a
residents' committee reports a household in difficulty (履行救助对象主动发现报告职责); the jurisdiction
follows it up by the configured due date, either with an application made on the household's behalf
(代为申请, plan 五(一): 申请有困难的可委托居（村）民委员会等代为申请 — with the household's
authorisation recorded) or by closing the report with a reason.

* ``household_in_difficulty_reported`` — the report, what the committee saw, who reported it and the
  follow-up's ``follow_up_due``. The envelope's ``case_id`` is the report number.
* ``discovery_followed_up`` — ``application_made`` (the application's id, the case's once accepted,
  and the authorisation) or ``closed`` (the reason).

Who the household is (names, ID numbers, telephone) is never in these events: intake's register of
reports holds it, and the application, once made, carries the household as any application does.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar

from pydantic import Field, model_validator

from jiuzhu_contracts.base import Due, Frozen, Signer
from jiuzhu_contracts.envelope import Event


class Difficulty(StrEnum):
    """What kind of difficulty the committee saw (one report may name several)."""

    NO_INCOME = "no_income"  # 无收入来源
    ILLNESS = "illness"  # 重病
    DISABILITY = "disability"  # 残疾
    ELDERLY_ALONE = "elderly_alone"  # 独居老人 / 无人赡养
    CHILD_WITHOUT_CARE = "child_without_care"  # 困境儿童
    ACCIDENT = "accident"  # 突发事件、意外事故
    HOUSING = "housing"  # 住房困难
    OTHER = "other"


class AuthorisationDocument(StrEnum):
    """How the household authorised the application made on its behalf (委托代为申请)."""

    WRITTEN = "written"  # 书面委托书，本人签字
    THUMBPRINT = "thumbprint"  # 委托书，本人按指印（不能书写）
    GUARDIAN = "guardian"  # 监护人代签（无民事行为能力或限制民事行为能力的成员）


class Authorisation(Frozen):
    """The household's authorisation of an application made on its behalf."""

    signed_by: str = Field(min_length=1, max_length=50, description="Who signed: a member of the household, "
                                                                    "or the guardian for a ``guardian`` document.")
    relation: str = Field(description="The signer's relation to the applicant (self, spouse, …, guardian).")
    signed_on: dt.date
    document: AuthorisationDocument


class OnBehalf(Frozen):
    """An application made on the household's behalf after an active-discovery report (代为申请)."""

    report_no: str
    committee: str = Field(description="The committee whose report led to the application.")
    authorisation: Authorisation


class DiscoveryOutcome(StrEnum):
    APPLICATION_MADE = "application_made"  # 代为申请
    CLOSED = "closed"  # 核实后办结，说明理由


class ClosingReason(StrEnum):
    NOT_IN_DIFFICULTY = "not_in_difficulty"  # 核实后家庭不困难
    DECLINED = "declined"  # 家庭不愿申请
    ALREADY_SUPPORTED = "already_supported"  # 已在保或已有在办申请
    NOT_FOUND = "not_found"  # 查无此户 / 已迁出
    REFERRED = "referred"  # 转介其他部门或其他救助
    OTHER = "other"


class HouseholdInDifficultyReported(Event):
    """主动发现报告: the committee reports a household; the jurisdiction follows it up by ``follow_up_due``."""

    event_type: ClassVar[str] = "household_in_difficulty_reported"
    producer: ClassVar[str] = "intake"

    report_no: str
    committee: str
    reported_on: dt.date
    difficulties: tuple[Difficulty, ...] = Field(min_length=1)
    observed: str = Field(min_length=1, max_length=1000, description="What the committee saw (见到的情况).")
    household_size: int | None = Field(None, ge=1, description="As the committee knows it, if it does.")
    reported_by: Signer = Field(description="The committee member (or clerk) who made the report.")
    follow_up_due: Due


class DiscoveryFollowedUp(Event):
    """The jurisdiction followed the report up: an application on the household's behalf, or closed."""

    event_type: ClassVar[str] = "discovery_followed_up"
    producer: ClassVar[str] = "intake"

    report_no: str
    followed_up_on: dt.date
    on_time: bool = Field(description="On or before the follow-up's due date.")
    outcome: DiscoveryOutcome
    application_id: str | None = None
    case_id: str | None = Field(None, description="The case, when the application was accepted at once; "
                                                  "None while it waits for the one-time correction.")
    authorisation: Authorisation | None = None
    closing_reason: ClosingReason | None = None
    note: str | None = Field(None, max_length=1000, description="The follow-up's findings, in words.")
    followed_up_by: Signer

    @model_validator(mode="after")
    def _one_outcome(self) -> "DiscoveryFollowedUp":
        if self.outcome is DiscoveryOutcome.APPLICATION_MADE:
            if self.application_id is None or self.authorisation is None:
                raise ValueError("an application made on the household's behalf names it and its authorisation")
            if self.closing_reason is not None:
                raise ValueError("an application made has no closing reason")
        else:
            if self.closing_reason is None or not self.note:
                raise ValueError("a closed report states its reason")
            if self.application_id or self.case_id or self.authorisation:
                raise ValueError("a closed report made no application")
        return self
