"""Joint inspections (督查): the bureau, with discipline inspection, finance and others, visits the
jurisdictions at set times or unannounced, draws cases and reads their files, and records what it
found per jurisdiction and per person (乌尔禾区工作方案 六(二)).

An inspection is a frozen value; its findings are added one by one, each refused with its rule
when it does not fit the inspection."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum

from jiuzhu_kernel.refusal import DomainRefusal

RULE = "乌尔禾区工作方案 六(二): 区民政局会同同级纪委监委、财政等部门组成工作组，定期或不定期到街道（乡镇）进行督查"
GROUP_RULE = RULE + "（工作组由区民政局会同至少一个其他部门组成）"


class InspectionKind(StrEnum):
    REGULAR = "regular"  # 定期
    UNANNOUNCED = "unannounced"  # 不定期


class GroupBody(StrEnum):
    CIVIL_AFFAIRS = "civil_affairs"  # 区民政局
    DISCIPLINE_INSPECTION = "discipline_inspection"  # 区纪委监委
    FINANCE = "finance"  # 区财政局
    AUDIT = "audit"  # 区审计局
    OTHER = "other"


class FindingKind(StrEnum):
    """What kind of problem: the three a rectification order knows, and staff conduct."""

    MISSED_COVERAGE = "missed_coverage"  # 应保未保（漏保）
    IRREGULAR_APPROVAL = "irregular_approval"  # 审批不规范
    PROCEDURE = "procedure"  # 办理程序问题
    CONDUCT = "conduct"  # 工作作风、违规违纪问题 (no rectification order: accountability)


class Severity(StrEnum):
    MINOR = "minor"  # 一般
    SERIOUS = "serious"  # 较重
    GRAVE = "grave"  # 严重


KINDS_ZH = {InspectionKind.REGULAR: "定期督查", InspectionKind.UNANNOUNCED: "不定期督查"}
BODIES_ZH = {GroupBody.CIVIL_AFFAIRS: "区民政局", GroupBody.DISCIPLINE_INSPECTION: "区纪委监委",
             GroupBody.FINANCE: "区财政局", GroupBody.AUDIT: "区审计局", GroupBody.OTHER: "其他部门"}
FINDING_KINDS_ZH = {FindingKind.MISSED_COVERAGE: "应保未保（漏保）", FindingKind.IRREGULAR_APPROVAL: "审批不规范",
                    FindingKind.PROCEDURE: "办理程序问题", FindingKind.CONDUCT: "工作作风、违规违纪问题"}
SEVERITIES_ZH = {Severity.MINOR: "一般", Severity.SERIOUS: "较重", Severity.GRAVE: "严重"}


def inspection_no(district: str, day: dt.date, number: int) -> str:
    return f"DC-{district}-{day.year}-{number:05d}"


def finding_no(number: str, index: int) -> str:
    return f"{number}-{index:02d}"


def inspection_of(finding: str) -> str:
    """The inspection a finding number belongs to (``DC-…-00001-02`` → ``DC-…-00001``)."""
    return finding.rsplit("-", 1)[0]


def case_in(case_id: str, jurisdiction: str) -> bool:
    return case_id.startswith(f"{jurisdiction}-")


@dataclass(frozen=True)
class Member:
    name: str
    body: GroupBody
    post: str = ""  # 职务


@dataclass(frozen=True)
class Staff:
    """The person a finding concerns: the staff id their token carries, and their name."""

    id: str
    name: str
    post: str = ""


@dataclass(frozen=True)
class Finding:
    finding_no: str
    jurisdiction: str
    kind: FindingKind
    severity: Severity
    text: str
    recorded_on: dt.date
    concerning_case: str | None = None
    staff: Staff | None = None
    rectification_order: str | None = None


@dataclass(frozen=True)
class Inspection:
    inspection_no: str
    kind: InspectionKind
    started_on: dt.date
    ended_on: dt.date
    jurisdictions: tuple[str, ...]
    members: tuple[Member, ...]
    scope: str  # what was checked (内容)
    cases_checked: tuple[str, ...]
    files_checked: int
    recorded_on: dt.date
    findings: tuple[Finding, ...] = field(default=())

    def ensure_may_act(self, actor_id: str) -> None:
        """The case store's recusal check (D21 art. 11), a no-op: oversight keeps only whether a
        case involves a close relative of staff, not which staff members recuse from it (intake and
        verification hold that), so it cannot tell a recused inspector recording a
        finding about that case from anyone else."""

    @property
    def bodies(self) -> tuple[GroupBody, ...]:
        return tuple(dict.fromkeys(m.body for m in self.members))

    def with_finding(self, finding: Finding) -> "Inspection":
        if finding.jurisdiction not in self.jurisdictions:
            raise DomainRefusal(f"督查 {self.inspection_no} 未到 {finding.jurisdiction}，不能记录其问题 / the inspection "
                                f"did not visit {finding.jurisdiction}", rule=RULE, status=422, field="jurisdiction")
        if finding.concerning_case and not case_in(finding.concerning_case, finding.jurisdiction):
            raise DomainRefusal(f"案件 {finding.concerning_case} 不属于 {finding.jurisdiction} / the case is not "
                                f"{finding.jurisdiction}'s", rule="问题所涉案件属于该街道（乡镇）", status=422,
                                field="concerning_case")
        if finding.recorded_on < self.started_on:
            raise DomainRefusal("问题记录日期早于督查开始日期 / a finding before the inspection began", rule=RULE,
                                status=422, field="recorded_on")
        return replace(self, findings=self.findings + (finding,))

    def next_finding_no(self) -> str:
        return finding_no(self.inspection_no, len(self.findings) + 1)

    def finding(self, number: str) -> Finding | None:
        return next((f for f in self.findings if f.finding_no == number), None)

    def seen_by(self, jurisdiction: str) -> "Inspection":
        """What a visited jurisdiction reads: the inspection with its own findings only."""
        return replace(self, findings=tuple(f for f in self.findings if f.jurisdiction == jurisdiction))


def group_problem(members: tuple[Member, ...]) -> str | None:
    """六(二): the bureau 会同 discipline inspection, finance and others — the bureau and at least one
    other body (one body alone is the bureau's own check, not a joint inspection)."""
    bodies = {m.body for m in members}
    if GroupBody.CIVIL_AFFAIRS not in bodies:
        return "工作组须有区民政局人员 / the working group includes the civil-affairs bureau"
    if len(bodies) < 2:
        return "工作组须由区民政局会同纪委监委、财政等至少一个部门组成 / the bureau and at least one other body"
    return None


def period_problem(started_on: dt.date, ended_on: dt.date) -> str | None:
    if ended_on < started_on:
        return f"结束日期{ended_on}早于开始日期{started_on} / ends before it starts"
    return None


def cases_problem(cases: tuple[str, ...], jurisdictions: tuple[str, ...]) -> str | None:
    stray = [c for c in cases if not any(case_in(c, j) for j in jurisdictions)]
    if stray:
        return f"抽查案件 {', '.join(stray)} 不属于被督查的街道（乡镇）/ cases not of a visited jurisdiction"
    return None


def rectifiable(kind: FindingKind) -> bool:
    """A conduct finding concerns a person, not the jurisdiction's files: it is followed through to
    accountability, not to a rectification order (whose kinds are the other three)."""
    return kind is not FindingKind.CONDUCT
