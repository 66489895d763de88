"""HTTP request and response bodies of the intake API (field descriptions: 中文 / English)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

from jiuzhu_contracts.base import Area, Category, Due, TemporaryKind
from jiuzhu_contracts.events.discovery import OnBehalf
from jiuzhu_contracts.events.intake import MissingItem
from jiuzhu_contracts.examples import APPLICANT_ID, CHILD_ID
from jiuzhu_contracts.resident_id import ResidentId
from jiuzhu_runtime.api_docs import examples

# Examples shown in /docs: valid as they stand (check digits computed, materials complete for this
# household), so "Try it out" gets past validation; dated in the example case's month, March 2022.
APPLICATION_EXAMPLE = {
    "category": "dibao", "area": "urban", "registration_jurisdiction": "650205001", "address": "柳树街1号",
    "committee": "柳树街社区居民委员会",
    "members": [{"name": "张三", "id_number": APPLICANT_ID, "relation": "self"},
                {"name": "张小三", "id_number": CHILD_ID, "relation": "child", "in_school": True}],
    "declared_monthly_income_fen": 50000, "declared_assets_fen": 0, "payment_account": "6222020000000001",
    "contact_phone": "13912345678", "reason": "失业，无固定收入", "consent_signed": True,
    "materials": [{"code": code} for code in ("application_form", "id_cards", "household_register", "income_proof",
                                               "student_certificate")],
}

Relation = Literal["self", "spouse", "child", "parent", "sibling", "grandparent", "grandchild", "other"]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MemberIn(Body):
    name: str = Field(min_length=1, max_length=50, description="姓名 / Name")
    id_number: ResidentId = Field(description="居民身份证号码（GB 11643 校验）/ Resident ID number, check digit verified")
    relation: Relation = Field(description="与申请人关系 / Relation to the applicant; exactly one member is 'self'")
    disabled: bool = Field(False, description="是否残疾 / Has a disability")
    in_school: bool = Field(False, description="是否在校学生 / Is a student")
    seriously_ill: bool = Field(False, description="是否患重病 / Is seriously ill")
    able_to_work: bool | None = Field(None, description="是否有劳动能力 / Able to work (unknown: null)")


class MaterialIn(Body):
    code: str = Field(description="材料代码（见配置）/ Material code from the district's table")
    conforming: bool = Field(True, description="是否符合要求 / Meets the requirements")
    problem: str | None = Field(None, max_length=200, description="不符合的原因 / Why it does not conform")


class ApplicationIn(Body):
    model_config = examples(APPLICATION_EXAMPLE)

    category: Category = Field(description="救助类别 / Assistance category")
    area: Area = Field(description="城市或农村 / Urban or rural")
    registration_jurisdiction: str = Field(pattern=r"^\d{6,12}$",
                                           description="户籍所在地街道（乡镇）代码 / Household registration jurisdiction")
    emergency_jurisdiction: str | None = Field(None, pattern=r"^\d{6,12}$",
                                               description="临时救助：急难发生地 / Temporary: where the emergency happened")
    temporary_kind: TemporaryKind | None = Field(None, description=(
        "临时救助的类型：急难型 emergency / 支出型 expenditure（仅临时救助，必填）/ Temporary assistance's kind "
        "(temporary only, required there)"))
    address: str = Field(min_length=2, max_length=200, description="居住地址 / Address")
    committee: str = Field(min_length=2, max_length=100, description="所在居（村）民委员会 / Community or village committee")
    members: list[MemberIn] = Field(min_length=1, max_length=30, description="共同生活的家庭成员 / Co-resident members")
    declared_monthly_income_fen: StrictInt = Field(ge=0, description="申报家庭月收入（分）/ Declared monthly income, fen")
    declared_assets_fen: StrictInt = Field(ge=0, description="申报家庭财产（分）/ Declared assets, fen")
    payment_account: str = Field(pattern=r"^\d{12,30}$", description="收款银行账号 / Bank account for payment")
    contact_phone: str = Field(pattern=r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", description="联系电话 / Contact phone")
    reason: str = Field(min_length=2, max_length=1000, description="申请理由 / Reason for applying")
    consent_signed: bool = Field(description="是否签订家庭经济状况核对授权书 / Economic-check authorisation signed")
    materials: list[MaterialIn] = Field(default_factory=list, max_length=50,
                                        description="已提交的材料 / Materials handed in")

    @field_validator("members")
    @classmethod
    def one_applicant_and_distinct_people(cls, members: list[MemberIn]) -> list[MemberIn]:
        if sum(m.relation == "self" for m in members) != 1:
            raise ValueError("exactly one member must have relation 'self' (the applicant)")
        numbers = [m.id_number for m in members]
        if len(numbers) != len(set(numbers)):
            raise ValueError("each member's id_number must be different")
        return members

    @field_validator("materials")
    @classmethod
    def each_material_once(cls, materials: list[MaterialIn]) -> list[MaterialIn]:
        codes = [m.code for m in materials]
        if len(codes) != len(set(codes)):
            raise ValueError("each material code may appear once")
        return materials


class OutcomeOut(BaseModel):
    status: Literal["accepted", "correction_requested"] = Field(description="受理 / 一次性告知")
    application_id: str
    case_id: str | None = Field(None, description="案件编号 / Case number, once accepted")
    accepted_on: dt.date | None = None
    investigation_due: Due | None = None
    notice_no: str | None = Field(None, description="一次性告知书编号 / Correction notice number")
    items: list[MissingItem] = Field(default_factory=list, description="需补正的全部材料 / Everything to bring")
    waived: list[str] = Field(default_factory=list, description="不得再要求的材料 / Items that may no longer be demanded")
    close_relative: bool = False
    document_url: str = Field(description="受理回执或一次性告知书 / Printable receipt or notice")


class WithdrawalIn(Body):
    model_config = examples({"reason": "申请人已找到工作，自愿撤回"})

    reason: str = Field(min_length=2, max_length=500, description="撤回理由 / Reason given by the applicant")


class CloseRelativeIn(Body):
    model_config = examples({"staff_id": "clerk-9", "staff_name": "刘窗口", "relative_name": "张小三",
                             "relative_id_number": CHILD_ID, "relation": "grandchild"})

    staff_id: str = Field(min_length=1, max_length=64, description="工作人员编号 / Staff member's id")
    staff_name: str = Field(min_length=1, max_length=50, description="工作人员姓名 / Staff member's name")
    relative_name: str = Field(min_length=1, max_length=50, description="近亲属姓名 / Relative's name")
    relative_id_number: ResidentId = Field(description="近亲属身份证号码 / Relative's resident ID number")
    relation: str = Field(description="关系 / Relation: spouse, parent, child, sibling, grandparent, grandchild")


class TimelineEntry(BaseModel):
    event_type: str
    label: str
    occurred_at: dt.datetime
    actor_name: str


class HouseholdMemberOut(BaseModel):
    name: str | None = Field(description="姓名；迁入户未随转移提供时为空 / None: not known here (moved in)")
    relation: str | None = Field(description="与申请人关系；同上 / None: not known here (moved in)")
    id_number: str


class CaseOut(BaseModel):
    case_id: str
    application_id: str
    category: Category
    area: Area
    committee: str
    applicant_name: str
    household_size: int
    stage: str = Field(description="当前环节 / Current stage")
    accepted_on: dt.date
    dues: dict[str, Due] = Field(description="各环节时限 / Due dates by clock")
    close_relative: bool
    timeline: list[TimelineEntry] = Field(default_factory=list)
    address: str | None = Field(None, description="居住地址（仅单个案件）/ Address (one case only)")
    members: list[HouseholdMemberOut] = Field(default_factory=list,
                                              description="共同生活家庭成员（仅单个案件）/ Household (one case only)")
    on_behalf: OnBehalf | None = Field(None, description="代为申请：所跟进的主动发现报告及家庭的委托（仅单个案件）/ "
                                                         "Made on the household's behalf: the report and the "
                                                         "authorisation (one case only)")
    moved_from: dict[str, str] | None = Field(None, description="迁入户在迁出地的案件 / The case it moved here from: "
                                                                 "jurisdiction, case_id, transfer_id")


class CorrectionNoticeOut(BaseModel):
    """The one-time notice an application got (plan 五(一)), as it was issued."""

    notice_no: str = Field(description="一次性告知书编号 / Correction notice number")
    issued_on: dt.date = Field(description="告知日期 / Date of the notice")
    items: list[MissingItem] = Field(description="告知书列明的全部补正事项 / Every item the notice listed")
    due_on: dt.date | None = Field(None, description="补正期限；无规定时为空 / Last day to bring them; none when no rule sets one")
    due_rule: str = Field(description="期限依据 / Where the due date (or its absence) comes from")
    document_url: str = Field(description="可打印的告知书 / The printable notice")


class AwaitingCorrectionOut(BaseModel):
    application_id: str
    applicant_name: str = Field(description="申请人 / Applicant")
    category: Category
    committee: str
    household_size: int
    submissions: int = Field(description="已提交次数 / Times submitted")
    last_submitted_at: dt.datetime = Field(description="最近一次提交 / Last submission")
    notice: CorrectionNoticeOut


class ApplicationOut(BaseModel):
    application_id: str
    status: Literal["awaiting_correction", "accepted"] = Field(description="待补正 / 已受理")
    submissions: int = Field(description="已提交次数 / Times submitted")
    case_id: str | None = Field(None, description="案件编号（已受理）/ Case number, once accepted")
    notice: CorrectionNoticeOut | None = Field(None, description="一次性告知书（如有）/ The correction notice, if any")
    content: ApplicationIn = Field(description="最近一次提交的申请内容，与 POST /applications 格式相同 / "
                                               "The latest submission, in the shape POST /applications takes")
