"""Request and response bodies of the verification API (中文 / English)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from jiuzhu_contracts.events.intake import Member
from jiuzhu_contracts.events.verification import AssetLine, IncomeLine
from jiuzhu_contracts.examples import APPLICANT_ID, CHILD_ID
from jiuzhu_contracts.resident_id import ResidentId
from jiuzhu_contracts.tekun import SelfCareItem, SupportMode
from jiuzhu_runtime.api_docs import examples

# Examples shown in /docs, valid as they stand: the example household of intake's application
# (two people, 500 元 a month), dated on its day of acceptance, 1 March 2022 (entered dates may not
# be before acceptance nor after the business day + 1).
DAY = "2022-03-01"
PARTNER = {"id": "inv-2", "name": "李调查"}


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PartnerIn(Body):
    id: str = Field(min_length=1, max_length=64, description="另一名调查人员编号 / The second investigator's id")
    name: str = Field(min_length=1, max_length=50, description="另一名调查人员姓名 / The second investigator's name")


class HomeVisitIn(Body):
    model_config = examples({"visited_on": DAY, "partner": PARTNER, "living_conditions": "租住平房，家具简陋",
                              "findings": "申请人失业，子女在校，无其他收入来源", "household_signed": True})

    visited_on: dt.date = Field(description="入户日期 / Date of the visit")
    partner: PartnerIn = Field(description="同行调查人员（至少两人）/ The second investigator (D21 art. 16)")
    living_conditions: str = Field(min_length=2, max_length=2000, description="居住及生活状况 / Living conditions")
    findings: str = Field(min_length=2, max_length=4000, description="调查结论 / Findings")
    household_signed: bool = Field(description="申请人是否在调查表上签字 / The household signed the visit form")


class TekunPersonIn(Body):
    """特困人员 with the self-care assessment (T21 art. 21–23); the level is scored by the service."""

    id_number: ResidentId = Field(description="特困人员身份证号（须为本户成员）/ A member's ID number")
    name: str = Field(min_length=1, max_length=50, description="姓名 / Name")
    unable: list[SelfCareItem] = Field(default_factory=list, max_length=6, description=(
        "不能自理的项目（自主吃饭、穿衣、上下床、如厕、室内行走、洗澡）/ The items of the six the person cannot "
        "do alone: eating, dressing, transferring, toileting, indoor_walking, bathing"))
    assessed_on: dt.date = Field(description="评估日期 / Date of the assessment")
    support_mode: SupportMode = Field(SupportMode.DISPERSED, description="分散供养 / 集中供养 (dispersed | centralised)")
    institution: str | None = Field(None, max_length=100, description="集中供养：供养服务机构 / The care institution")
    care_paid_to_institution: bool = Field(False, description="照料护理费付供养机构 / Care support paid to the institution")


class HouseholdIn(Body):
    model_config = examples({
        "members": [{"name": "张三", "id_number": APPLICANT_ID, "relation": "self"},
                    {"name": "张小三", "id_number": CHILD_ID, "relation": "child", "in_school": True}],
        "incomes": [{"kind": "wages", "monthly_fen": 50000, "member_id_number": APPLICANT_ID}],
        "assets": [{"kind": "deposit", "value_fen": 100000, "exempt": False}],
        "facts": {}})

    members: list[Member] = Field(min_length=1, max_length=30, description="家庭成员 / Members")
    incomes: list[IncomeLine] = Field(default_factory=list, max_length=100, description="收入 / Income by kind")
    assets: list[AssetLine] = Field(default_factory=list, max_length=100, description="财产 / Assets")
    facts: dict[str, Literal["yes", "no", "unknown"]] = Field(
        default_factory=dict,
        description="类别事实 / Category facts: unable_to_work, no_income_source, no_capable_supporter, "
                    "hardship_confirmed")
    tekun_persons: list[TekunPersonIn] = Field(default_factory=list, max_length=30, description=(
        "特困户：本户特困人员及生活自理能力评估（T21第5、21–23条）/ A tekun household's tekun persons, each assessed"))

    def tekun_entries(self) -> tuple:
        from jiuzhu_verification.service_layer.tekun_persons import TekunPersonEntry
        return tuple(TekunPersonEntry(**p.model_dump()) for p in self.tekun_persons)


class CheckReportIn(Body):
    model_config = examples({"report_no": "HD-650205-2022-0001", "reported_on": DAY, "monthly_income_fen": 50000,
                              "countable_assets_fen": 100000, "findings": "未发现车辆、房产及工商登记"})

    report_no: str = Field(min_length=1, max_length=64, description="核对报告编号 / Report number")
    reported_on: dt.date
    monthly_income_fen: StrictInt = Field(ge=0, description="核对家庭月收入（分）/ Household monthly income, fen")
    countable_assets_fen: StrictInt = Field(ge=0, description="核对应计财产（分）/ Countable assets, fen")
    findings: str = Field(max_length=4000, description="核对发现 / Findings")


class AppraisalIn(Body):
    model_config = examples({"held_on": DAY, "participants": ["王调查", "李调查", "柳树街社区居委会主任", "居民代表三人"],
                              "result": "supports", "minutes": "经评议，多数代表认为该户生活困难属实"})

    held_on: dt.date
    participants: list[str] = Field(min_length=1, max_length=100, description="参加人员 / Participants")
    result: Literal["supports", "opposes", "undecided"]
    minutes: str = Field(min_length=2, max_length=8000, description="评议记录 / Minutes")


class RefusalIn(Body):
    model_config = examples({"circumstances": "两次预约入户调查，申请人均拒绝调查人员进入住所"})

    circumstances: str = Field(min_length=2, max_length=2000, description="不配合调查的情形 / What happened")


class ProposedTrancheIn(Body):
    amount_fen: StrictInt = Field(gt=0, le=2**62, description="本次金额（分）/ This tranche, fen")
    after_days: StrictInt = Field(ge=0, le=366, description=(
        "决定后第几天可发（首次为0）/ Calendar days after the decision it is payable (the first: 0)"))


class ReviewIn(Body):
    # 2 people × 900 元 (urban dibao, 2022) − 500 元 income = 1,300 元 a month: the computed amount.
    model_config = examples({"eligible": True, "proposed_amount_fen": 130000, "reasons": [], "override_reason": None})

    eligible: bool = Field(description="审核意见：是否符合条件 / Opinion: eligible")
    proposed_amount_fen: StrictInt = Field(ge=0, description="拟保障金额（分）/ Proposed amount, fen")
    reasons: list[str] = Field(default_factory=list, max_length=20, description="理由 / Reasons (default: computed)")
    override_reason: str | None = Field(None, max_length=2000,
                                        description="与计算结果不同时的理由 / Why the opinion differs from the computation")
    # 临时救助 (L18 §2(三)–(四)): proposed_amount_fen is the amount by need within the band shown by the
    # computation; a large one carries its reason; tranches dated in days after the decision.
    tranches: list[ProposedTrancheIn] = Field(default_factory=list, max_length=12, description=(
        "临时救助分次发放 / Temporary assistance: tranches (none: one, on the decision's day)"))
    large_amount_reason: str | None = Field(None, max_length=2000, description=(
        "临时救助大额一事一议的理由 / Temporary assistance: the reason for a large amount"))


class ReinvestigationIn(Body):
    model_config = examples({"partner": PARTNER, "objection_upheld": False,
                              "findings": "经重新入户核实，举报所称经营收入不属实"})

    partner: PartnerIn
    objection_upheld: bool = Field(description="异议是否成立 / Whether the objection was upheld")
    findings: str = Field(min_length=2, max_length=4000)


class ComputationOut(BaseModel):
    case_id: str
    eligible: bool
    amount_fen: int
    reasons: list[str]
    household_size: int
    monthly_income_fen: int
    countable_assets_fen: int
    # 临时救助 (L18 §2(三), N22 §4): the band the amount by need is chosen in; null for another category.
    band_max_fen: int | None = None
    large_above_fen: int | None = None
    max_tranches: int | None = None


class TaskOut(BaseModel):
    case_id: str
    status: str
    clock: str | None
    due_on: dt.date | None
    applicant_name: str
    committee: str
    category: str
    close_relative_staff: list[str]
    check_report_received: bool = False  # the economic-check report is in: the case can be reviewed
