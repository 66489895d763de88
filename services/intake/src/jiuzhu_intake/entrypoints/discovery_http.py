"""HTTP routes of active discovery (主动发现, plan 四(三)2): the committee's report, the window's
worklist of reports to follow up, and the two ways a report is followed up — an application made on
the household's behalf (代为申请) or the report closed with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from jiuzhu_contracts.base import Due, Role
from jiuzhu_contracts.events.discovery import Authorisation, AuthorisationDocument, ClosingReason, Difficulty
from jiuzhu_runtime.api_docs import examples
from jiuzhu_runtime.auth import AccessPolicy, Principal

from jiuzhu_intake.domain.discovery import DiscoveryReport, ReportedHousehold, ReportStatus
from jiuzhu_intake.entrypoints.http import READERS_AT_DISTRICT, acting_role, content_of, outcome_out
from jiuzhu_intake.entrypoints.schemas import APPLICATION_EXAMPLE, ApplicationIn, Body, OutcomeOut
from jiuzhu_intake.service_layer import discoveries
from jiuzhu_intake.service_layer.commands import ApplyOnBehalf, CloseDiscoveryReport, ReportHouseholdInDifficulty
from jiuzhu_intake.service_layer.handlers import Intake

C, CM = Role.CLERK, Role.COMMITTEE

REPORT_EXAMPLE = {"committee": "柳树街社区居民委员会",
                  "household": {"name": "张三", "address": "柳树街1号", "contact_phone": "13912345678",
                                "household_size": 2},
                  "difficulties": ["illness", "no_income"], "observed": "户主重病卧床，配偶失业，家中无固定收入"}


class ReportedHouseholdIn(Body):
    name: str = Field(min_length=1, max_length=50, description="户主或联系人姓名 / The person the report is about")
    address: str = Field(min_length=2, max_length=200, description="居住地址 / Address")
    contact_phone: str | None = Field(None, pattern=r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$",
                                      description="联系电话（如知道）/ Telephone, if known")
    household_size: int | None = Field(None, ge=1, le=30, description="家庭人口（如知道）/ Household size, if known")


class DiscoveryReportIn(Body):
    model_config = examples(REPORT_EXAMPLE)

    committee: str = Field(min_length=2, max_length=100, description="报告的居（村）民委员会 / Reporting committee")
    household: ReportedHouseholdIn
    difficulties: list[Difficulty] = Field(min_length=1, max_length=8, description="困难情形 / Kinds of difficulty")
    observed: str = Field(min_length=2, max_length=1000, description="发现的情况 / What the committee saw")


class AuthorisationIn(Body):
    signed_by: str = Field(min_length=1, max_length=50,
                           description="委托人：家庭成员姓名（或监护人）/ Who signed: a member of the household "
                                       "(or the guardian, document 'guardian')")
    signed_on: dt.date = Field(description="签署日期 / Day it was signed")
    document: AuthorisationDocument = Field(description="委托方式 / written (签字), thumbprint (按指印), guardian (监护人)")


class OnBehalfApplicationIn(Body):
    model_config = examples({"application": APPLICATION_EXAMPLE,
                             "authorisation": {"signed_by": "张三", "signed_on": "2022-03-01", "document": "written"},
                             "note": "入户核实，户主委托代为申请"})

    application: ApplicationIn = Field(description="申请内容，与 POST /applications 相同 / As POST /applications takes")
    authorisation: AuthorisationIn = Field(description="家庭的委托 / The household's authorisation (plan 五(一))")
    note: str | None = Field(None, max_length=1000, description="跟进情况 / What the follow-up found")


class CloseReportIn(Body):
    model_config = examples({"reason": "declined", "note": "入户核实，户主表示暂不申请"})

    reason: ClosingReason = Field(description="办结理由 / Why the report is closed without an application")
    note: str = Field(min_length=2, max_length=1000, description="核实情况 / What the follow-up found, in words")


class DiscoveryReportOut(BaseModel):
    report_no: str = Field(description="报告编号 / Report number")
    committee: str
    reported_on: dt.date
    reported_by: str = Field(description="报告人 / Who reported")
    household: ReportedHouseholdIn
    difficulties: list[Difficulty]
    observed: str
    status: ReportStatus = Field(description="待跟进 / 已代为申请 / 已办结")
    follow_up_due: Due
    working_days_left: int | None = Field(None, description="剩余工作日（负数为超期；仅待跟进）/ Working days left "
                                                            "(negative: overdue; open reports only)")
    followed_up_on: dt.date | None = None
    followed_up_by: str | None = None
    on_time: bool | None = None
    application_id: str | None = None
    case_id: str | None = Field(None, description="已受理的案件编号 / The case, once the application was accepted")
    authorisation: Authorisation | None = None
    closing_reason: ClosingReason | None = None
    note: str | None = None


class OnBehalfOut(BaseModel):
    report: DiscoveryReportOut
    application: OutcomeOut


def report_out(intake: Intake, r: DiscoveryReport) -> DiscoveryReportOut:
    h = r.household
    today = intake.clock.today()
    return DiscoveryReportOut(
        report_no=r.report_no, committee=r.committee, reported_on=r.reported_on, reported_by=r.reported_by.name,
        household=ReportedHouseholdIn(name=h.name, address=h.address, contact_phone=h.contact_phone,
                                      household_size=h.household_size),
        difficulties=list(r.difficulties), observed=r.observed, status=r.status, follow_up_due=r.follow_up_due,
        working_days_left=(discoveries.working_days_left(intake, r.follow_up_due.due_on, today)
                           if r.status is ReportStatus.OPEN else None),
        followed_up_on=r.followed_up_on, followed_up_by=r.followed_up_by.name if r.followed_up_by else None,
        on_time=r.on_time(r.followed_up_on) if r.followed_up_on else None, application_id=r.application_id,
        case_id=r.application_case_id, authorisation=r.authorisation, closing_reason=r.closing_reason, note=r.note)


def router(intake: Intake, access: AccessPolicy) -> APIRouter:
    api = APIRouter(tags=["active discovery"])
    readers = access.allow(C, CM, district=READERS_AT_DISTRICT)

    @api.post("/discoveries", status_code=201, response_model=DiscoveryReportOut,
              summary="主动发现报告 / A committee reports a household in difficulty (committee, clerk; "
                      "plan 四(三)2)")
    async def report(body: DiscoveryReportIn, who: Principal = Depends(access.allow(CM, C))) -> DiscoveryReportOut:
        h = body.household
        made = await discoveries.report_household(intake, ReportHouseholdInDifficulty(
            committee=body.committee, household=ReportedHousehold(name=h.name.strip(), address=h.address.strip(),
                                                                  contact_phone=h.contact_phone,
                                                                  household_size=h.household_size),
            difficulties=tuple(dict.fromkeys(body.difficulties)), observed=body.observed,
            actor=who.actor(acting_role(who, CM, C))))
        return report_out(intake, made)

    @api.get("/discoveries", response_model=list[DiscoveryReportOut],
             summary="主动发现报告清单（到期日在前）/ Reports, the nearest follow-up due first (clerk, committee; "
                     "district inspectors, auditors)")
    async def listing(status: Literal["open", "application_made", "closed"] | None = Query(None),
                      limit: int = Query(100, ge=1, le=500), offset: int = Query(0, ge=0, le=10_000_000),
                      _: Principal = Depends(readers)) -> list[DiscoveryReportOut]:
        return [report_out(intake, r) for r in await discoveries.reports(intake, status, limit, offset)]

    @api.get("/discoveries/{report_no}", response_model=DiscoveryReportOut,
             summary="一份主动发现报告 / One report (clerk, committee; district inspectors, auditors)")
    async def one(report_no: str, _: Principal = Depends(readers)) -> DiscoveryReportOut:
        return report_out(intake, await discoveries.report(intake, report_no))

    @api.post("/discoveries/{report_no}/application", status_code=201, response_model=OnBehalfOut,
              summary="代为申请 / The clerk makes the application on the household's behalf, with its "
                      "authorisation (plan 五(一): 申请有困难的可委托居（村）民委员会等代为申请)")
    async def apply(report_no: str, body: OnBehalfApplicationIn, request: Request,
                    who: Principal = Depends(access.allow(C))) -> OnBehalfOut:
        a = body.authorisation
        made, outcome = await discoveries.apply_on_behalf(intake, ApplyOnBehalf(
            report_no=report_no, content=content_of(body.application, who), signed_by=a.signed_by,
            signed_on=a.signed_on, document=a.document, note=body.note, actor=who.actor(C)))
        return OnBehalfOut(report=report_out(intake, made), application=outcome_out(outcome, request))

    @api.post("/discoveries/{report_no}/close", response_model=DiscoveryReportOut,
              summary="办结主动发现报告（说明理由）/ Close the report without an application, with the reason (clerk)")
    async def close(report_no: str, body: CloseReportIn, who: Principal = Depends(access.allow(C))
                    ) -> DiscoveryReportOut:
        return report_out(intake, await discoveries.close_report(intake, CloseDiscoveryReport(
            report_no=report_no, reason=body.reason, note=body.note, actor=who.actor(C))))

    return api
