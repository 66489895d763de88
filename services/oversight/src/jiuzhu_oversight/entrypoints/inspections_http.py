"""督查: the bureau (its admin or inspectors) records a joint inspection and its findings; the bureau
and auditors read them all; a visited jurisdiction's leader reads the inspection with its own
findings; 督查情况通报 is printable. Who a finding concerns is shown to the bureau's staff and the
person's own leader only, never in the printed report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from jiuzhu_contracts.base import Role
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.api_docs import examples
from jiuzhu_runtime.auth import AccessPolicy, Principal
from jiuzhu_runtime.documents import document_environment

from jiuzhu_oversight.domain.inspections import (
    BODIES_ZH,
    FINDING_KINDS_ZH,
    KINDS_ZH,
    RULE,
    SEVERITIES_ZH,
    Finding,
    FindingKind,
    GroupBody,
    Inspection,
    InspectionKind,
    Member,
    Severity,
    Staff,
)
from jiuzhu_oversight.service_layer import accountability, inspections
from jiuzhu_oversight.service_layer.context import Oversight

INS, BA, AUD, LEAD = Role.INSPECTOR, Role.BUREAU_ADMIN, Role.AUDITOR, Role.LEADER
CASE_ID = r"^\d{6,12}-\d{4}-[0-9A-Za-z-]{1,20}$"
JURISDICTION = r"^\d{6,12}$"


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MemberIn(Body):
    name: str = Field(min_length=1, max_length=50, description="姓名 / Name")
    body: GroupBody = Field(description="所在部门 / civil_affairs | discipline_inspection | finance | audit | other")
    post: str = Field("", max_length=50, description="职务 / Post")


class InspectionIn(Body):
    model_config = examples({
        "kind": "unannounced", "started_on": "2023-05-08", "ended_on": "2023-05-09",
        "jurisdictions": ["650205001", "650205100"],
        "members": [{"name": "周督查", "body": "civil_affairs", "post": "社会救助科科长"},
                    {"name": "吴纪检", "body": "discipline_inspection", "post": "派驻纪检组干部"},
                    {"name": "郑财政", "body": "finance", "post": "社保科"}],
        "scope": "抽查低保、特困审批案卷，入户核查，检查“漏保”情况",
        "cases_checked": ["650205001-2023-00012"], "files_checked": 24})

    kind: InspectionKind = Field(description="定期 regular | 不定期 unannounced")
    started_on: dt.date = Field(description="开始日期 / First day")
    ended_on: dt.date = Field(description="结束日期 / Last day")
    jurisdictions: list[str] = Field(min_length=1, max_length=50, description="被督查的街道（乡镇）/ Visited")
    members: list[MemberIn] = Field(min_length=2, max_length=30, description="工作组成员 / The working group")
    scope: str = Field(min_length=2, max_length=2000, description="督查内容 / What was checked")
    cases_checked: list[str] = Field(default_factory=list, max_length=1000, description="抽查的案件 / Cases drawn")
    files_checked: int = Field(0, ge=0, le=100000, description="查阅案卷数 / Files read")


class StaffIn(Body):
    id: str = Field(min_length=1, max_length=60, description="工作人员账号 / Staff id")
    name: str = Field(min_length=1, max_length=50, description="姓名 / Name")
    post: str = Field("", max_length=50, description="职务 / Post")


class FindingIn(Body):
    model_config = examples({
        "jurisdiction": "650205001", "kind": "procedure", "severity": "serious",
        "text": "入户调查未由两名工作人员共同完成，调查表仅一人签字", "concerning_case": "650205001-2023-00012",
        "staff": {"id": "inv-1", "name": "王调查", "post": "社会救助经办人员"}, "rectify": True})

    jurisdiction: str = Field(pattern=JURISDICTION, description="问题所在街道（乡镇）/ The jurisdiction")
    kind: FindingKind = Field(description="漏保 missed_coverage | 审批不规范 irregular_approval | 程序 procedure | "
                                          "作风纪律 conduct")
    severity: Severity = Field(description="一般 minor | 较重 serious | 严重 grave")
    text: str = Field(min_length=2, max_length=4000, description="发现的问题 / What was found")
    concerning_case: str | None = Field(None, pattern=CASE_ID, description="相关案件 / The case, if any")
    staff: StaffIn | None = Field(None, description="涉及的工作人员（不公开）/ The person, if any (never public)")
    rectify: bool = Field(False, description="书面限期整改 / Order the jurisdiction to rectify it in writing")


def finding_out(f: Finding, *, private: bool, records: dict[str, list[str]]) -> dict:
    body = {"finding_no": f.finding_no, "jurisdiction": f.jurisdiction, "kind": f.kind,
            "kind_zh": FINDING_KINDS_ZH[f.kind], "severity": f.severity, "severity_zh": SEVERITIES_ZH[f.severity],
            "text": f.text, "recorded_on": f.recorded_on, "concerning_case": f.concerning_case,
            "rectification_order": f.rectification_order, "concerns_staff": f.staff is not None}
    if private:
        body |= {"staff": f.staff and {"id": f.staff.id, "name": f.staff.name, "post": f.staff.post},
                 "accountability": records.get(f.finding_no, [])}
    return body


def out(i: Inspection, *, private: bool, records: dict[str, list[str]]) -> dict:
    return {"inspection_no": i.inspection_no, "kind": i.kind, "kind_zh": KINDS_ZH[i.kind],
            "started_on": i.started_on, "ended_on": i.ended_on, "jurisdictions": list(i.jurisdictions),
            "members": [{"name": m.name, "body": m.body, "body_zh": BODIES_ZH[m.body], "post": m.post}
                        for m in i.members],
            "scope": i.scope, "cases_checked": list(i.cases_checked), "files_checked": i.files_checked,
            "recorded_on": i.recorded_on,
            "findings": [finding_out(f, private=private, records=records) for f in i.findings]}


def router(ctx: Oversight, access: AccessPolicy) -> APIRouter:
    api = APIRouter(tags=["inspections"])
    pages = document_environment(Path(__file__).parent / "templates")
    pages.globals.update(district=ctx.config.district, names={j.code: j.name for j in ctx.config.jurisdictions})

    def at_district(who: Principal) -> bool:
        return who.jurisdiction == ctx.district

    def private(who: Principal) -> bool:
        """Who a finding concerns: the bureau's admin and inspectors, and the jurisdiction's own leader
        (who sees only its own findings); not auditors."""
        return not at_district(who) or bool(who.roles & {BA, INS})

    def as_seen(i: Inspection, who: Principal) -> Inspection:
        if at_district(who):
            return i
        if who.jurisdiction not in i.jurisdictions:
            raise DomainRefusal(f"督查 {i.inspection_no} 未到本街道（乡镇）/ the inspection did not visit your "
                                "jurisdiction", rule=RULE + "（街道（乡镇）只看本辖区的督查情况）", status=403)
        return i.seen_by(who.jurisdiction)

    async def view(i: Inspection, who: Principal) -> dict:
        records = await accountability.on_findings(ctx, [f.finding_no for f in i.findings]) if private(who) else {}
        return out(i, private=private(who), records=records)

    @api.post("/inspections", status_code=201, summary="记录联合督查 / Record a joint inspection (bureau)")
    async def record(body: InspectionIn, who: Principal = Depends(access.allow(district=[BA, INS]))):
        i = await inspections.record(
            ctx, kind=body.kind, started_on=body.started_on, ended_on=body.ended_on,
            jurisdictions=tuple(dict.fromkeys(body.jurisdictions)),
            members=tuple(Member(m.name, m.body, m.post) for m in body.members), scope=body.scope,
            cases_checked=tuple(dict.fromkeys(body.cases_checked)), files_checked=body.files_checked,
            actor=who.actor(BA if BA in who.roles else INS))
        return out(i, private=True, records={})

    @api.post("/inspections/{inspection_no}/findings", status_code=201,
              summary="记录督查发现的问题 / Record a finding; optionally order it rectified (bureau)")
    async def finding(inspection_no: str, body: FindingIn, who: Principal = Depends(access.allow(district=[BA, INS]))):
        staff = Staff(body.staff.id, body.staff.name, body.staff.post) if body.staff else None
        _, f = await inspections.add_finding(
            ctx, inspection_no, jurisdiction=body.jurisdiction, kind=body.kind, severity=body.severity,
            text=body.text, concerning_case=body.concerning_case, staff=staff, rectify=body.rectify,
            actor=who.actor(BA if BA in who.roles else INS))
        return finding_out(f, private=True, records={})

    @api.get("/inspections", summary="督查记录 / Inspections (a leader: those that visited it, its own findings)")
    async def listing(jurisdiction: str | None = Query(None, pattern=JURISDICTION),
                      limit: int = Query(200, ge=1, le=2000),
                      who: Principal = Depends(access.allow(LEAD, district=[BA, INS, AUD]))):
        if not at_district(who) and jurisdiction not in (None, who.jurisdiction):
            raise DomainRefusal(f"本账号属于 {who.jurisdiction}，不能查看 {jurisdiction} 的督查情况 / the token acts "
                                f"for {who.jurisdiction}", rule=RULE + "（街道（乡镇）只看本辖区的督查情况）", status=403)
        found = await inspections.listing(ctx, jurisdiction=jurisdiction if at_district(who) else who.jurisdiction,
                                          limit=limit)
        return [await view(as_seen(i, who), who) for i in found]

    @api.get("/inspections/{inspection_no}", summary="一次督查 / One inspection")
    async def one(inspection_no: str, who: Principal = Depends(access.allow(LEAD, district=[BA, INS, AUD]))):
        return await view(as_seen(await inspections.one(ctx, inspection_no), who), who)

    @api.get("/inspections/{inspection_no}/report", response_class=HTMLResponse,
             summary="督查情况通报（可打印）/ The printable inspection report (names no person)")
    async def report(inspection_no: str, who: Principal = Depends(access.allow(LEAD, district=[BA, INS, AUD]))):
        i = as_seen(await inspections.one(ctx, inspection_no), who)
        shown = i.jurisdictions if at_district(who) else (who.jurisdiction,)
        accountable = await accountability.on_findings(ctx, [f.finding_no for f in i.findings])
        partners = "、".join(BODIES_ZH[b] for b in i.bodies if b is not GroupBody.CIVIL_AFFAIRS)
        return HTMLResponse(pages.get_template("inspection_report.html").render(
            inspection=i, shown=shown, findings_of={j: [f for f in i.findings if f.jurisdiction == j] for j in shown},
            accountable=accountable, partners=partners, kind=KINDS_ZH[i.kind], bodies=BODIES_ZH,
            finding_kinds=FINDING_KINDS_ZH, severities=SEVERITIES_ZH))

    return api
