"""Accountability (追责): after a deadline breach, a spot check that found a fault, an inspection
finding, a petition or an unanswered rectification order, the bureau records who is held to
account, on what facts, by which procedure, and the measure taken and when (乌尔禾区工作方案 六(二):
对于救助审核审批环节中的违规问题，根据有关程序予以追责).

Who may read a record: the bureau and its inspectors, and the leader of the person's own
jurisdiction for its own staff; nobody else. A record is never on a public page."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, replace
from enum import StrEnum

from jiuzhu_kernel.refusal import DomainRefusal

RULE = "乌尔禾区工作方案 六(二): 对于救助审核审批环节中的违规问题，根据有关程序予以追责"
AUTHORITY_RULE = ("诫勉、组织处理、处分按干部管理权限由所在单位（任免机关）或纪检监察机关作出，区民政局不直接作出"
                  "（公职人员政务处分法 第三条；中国共产党问责条例 第八条）")


class Basis(StrEnum):
    BREACH = "breach"  # a deadline breached (ref: the clock's opening event id, as on deadline_breached)
    SPOT_CHECK = "spot_check"  # a spot check that found a fault (ref: the case checked)
    INSPECTION_FINDING = "inspection_finding"  # ref: the finding number
    PETITION = "petition"  # ref: the petition number
    RECTIFICATION = "rectification"  # ref: the order number (e.g. escalated, unanswered)


class Procedure(StrEnum):
    BUREAU = "bureau"  # 区民政局直接处理（谈话提醒、批评教育、责令检查、通报批评）
    EMPLOYER = "employer"  # 移交所在单位（街道党工委、乡镇党委）按管理权限处理
    DISCIPLINE_INSPECTION = "discipline_inspection"  # 移送纪检监察机关
    JUDICIAL = "judicial"  # 涉嫌犯罪，移送司法机关


class Measure(StrEnum):
    TALK_REMINDER = "talk_reminder"  # 谈话提醒
    CRITICISM_EDUCATION = "criticism_education"  # 批评教育
    WRITTEN_EXAMINATION = "written_examination"  # 责令检查
    CIRCULATED_CRITICISM = "circulated_criticism"  # 通报批评
    ADMONISHMENT = "admonishment"  # 诫勉
    ORGANISATIONAL = "organisational"  # 组织处理（调离岗位、停职检查等）
    SANCTION = "sanction"  # 处分（政务处分、党纪处分）
    NO_LIABILITY = "no_liability"  # 经核实不予追责（尽职免责）


class Status(StrEnum):
    REFERRED = "referred"  # 已移送，待处理结果
    CONCLUDED = "concluded"  # 已处理


BASES_ZH = {Basis.BREACH: "办理超时", Basis.SPOT_CHECK: "备案抽查发现问题", Basis.INSPECTION_FINDING: "督查发现问题",
            Basis.PETITION: "信访举报", Basis.RECTIFICATION: "整改通知"}
PROCEDURES_ZH = {Procedure.BUREAU: "区民政局直接处理", Procedure.EMPLOYER: "移交所在单位处理",
                 Procedure.DISCIPLINE_INSPECTION: "移送纪检监察机关", Procedure.JUDICIAL: "移送司法机关"}
MEASURES_ZH = {Measure.TALK_REMINDER: "谈话提醒", Measure.CRITICISM_EDUCATION: "批评教育",
               Measure.WRITTEN_EXAMINATION: "责令检查", Measure.CIRCULATED_CRITICISM: "通报批评",
               Measure.ADMONISHMENT: "诫勉", Measure.ORGANISATIONAL: "组织处理", Measure.SANCTION: "处分",
               Measure.NO_LIABILITY: "不予追责"}
STATUS_ZH = {Status.REFERRED: "已移送待处理", Status.CONCLUDED: "已处理"}

# What the bureau itself may do; the rest is decided by the person's employer or the commission.
BUREAU_MEASURES = frozenset({Measure.TALK_REMINDER, Measure.CRITICISM_EDUCATION, Measure.WRITTEN_EXAMINATION,
                             Measure.CIRCULATED_CRITICISM, Measure.NO_LIABILITY})


def record_no(district: str, day: dt.date, number: int) -> str:
    return f"ZZ-{district}-{day.year}-{number:05d}"


def measure_problem(procedure: Procedure, measure: Measure | None) -> str | None:
    """The bureau's own procedure takes a measure at once, and only one of its own (BUREAU_MEASURES);
    a referral may wait for the body it went to, which may decide any measure."""
    if procedure is Procedure.BUREAU and measure is None:
        return "区民政局直接处理的，须同时记录处理方式 / the bureau's own procedure records its measure"
    if procedure is Procedure.BUREAU and measure not in BUREAU_MEASURES:
        return f"{MEASURES_ZH[measure]}不由区民政局直接作出，须移交所在单位或纪检监察机关 / {measure.value} is " \
               f"decided by the employer or the discipline inspection commission"
    return None


@dataclass(frozen=True)
class Person:
    id: str  # the staff id their token carries
    name: str
    post: str = ""  # 职务


@dataclass(frozen=True)
class Accountability:
    record_no: str
    basis: Basis
    basis_ref: str
    jurisdiction: str  # the person's (the district's code: the bureau's own staff)
    person: Person
    facts: str
    procedure: Procedure
    recorded_on: dt.date
    recorded_by: str
    measure: Measure | None = None
    decided_on: dt.date | None = None
    decided_by: str = ""  # the body that decided it (e.g. 区纪委监委), where referred
    concerning_case: str | None = None
    notes: str = ""

    def ensure_may_act(self, actor_id: str) -> None:
        """The case store's recusal check (D21 art. 11), a no-op: oversight keeps only whether a
        case involves a close relative of staff, not which staff members recuse from it (intake and
        verification hold that), so it cannot tell a recused person concluding a
        record about that case from anyone else."""

    @property
    def status(self) -> Status:
        return Status.CONCLUDED if self.measure is not None else Status.REFERRED

    def concluded(self, measure: Measure, decided_on: dt.date, decided_by: str, notes: str) -> "Accountability":
        if self.measure is not None:
            raise DomainRefusal(f"追责记录 {self.record_no} 已于{self.decided_on}记录处理结果 / the outcome was "
                                f"recorded on {self.decided_on}", rule=RULE + "（处理结果记录一次）", status=409)
        if decided_on < self.recorded_on:
            raise DomainRefusal("处理日期早于移送记录日期 / decided before it was referred", rule=RULE, status=422,
                                field="decided_on")
        return replace(self, measure=measure, decided_on=decided_on, decided_by=decided_by, notes=notes)

    def sha256(self) -> str:
        """The record as registered, hashed (the events carry this instead of its content)."""
        body = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(body.encode()).hexdigest()


def basis_problem(basis_jurisdiction: str | None, jurisdiction: str, district: str) -> str | None:
    """The person answers for what happened in their own jurisdiction; the bureau's own staff (the
    district's code) may answer for anything in the district."""
    if basis_jurisdiction is None or jurisdiction in (district, basis_jurisdiction):
        return None
    return f"所涉事项属于 {basis_jurisdiction}，与被追责人员所在的 {jurisdiction} 不符 / the matter is " \
           f"{basis_jurisdiction}'s, the person is {jurisdiction}'s"
