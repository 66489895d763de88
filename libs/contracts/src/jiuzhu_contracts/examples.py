"""One valid example of every event, for documentation, round-trip tests and fault tests.

The resident ID numbers are synthetic (valid check digits, invented people).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from jiuzhu_contracts.base import ApprovingBody, Area, Category, Due, Role, Signer
from jiuzhu_contracts.envelope import Actor, Envelope, Event
from jiuzhu_contracts.events import *  # noqa: F403
from jiuzhu_contracts.events.decision import FilingPerson
from jiuzhu_contracts.events.discovery import (
    Authorisation,
    AuthorisationDocument,
    Difficulty,
    DiscoveryOutcome,
    OnBehalf,
)
from jiuzhu_contracts.events.disbursement import CategoryTotal, PaymentLine
from jiuzhu_contracts.events.household import MemberAdded, MemberCause, MemberRemoved
from jiuzhu_contracts.events.intake import CloseRelativeFlag, Member, MissingItem
from jiuzhu_contracts.events.oversight import SpotCheckFindings
from jiuzhu_contracts.events.re_review import HouseholdProfile, ReReviewCause, ReReviewOutcome
from jiuzhu_contracts.events.support import ChangeCause, MigrationSource
from jiuzhu_contracts.events.temporary import BatchLine
from jiuzhu_contracts.events.verification import AssetLine, IncomeLine
from jiuzhu_contracts.holiday_calendar import HolidayFile, HolidaySource, HolidaySpan, Region
from jiuzhu_contracts.resident_id import check_character

DISTRICT, JURISDICTION, CASE = "650205", "650205001", "650205001-2022-0001"
D = dt.date(2022, 3, 1)
AT = dt.datetime(2022, 3, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def synthetic_id(area: str = "650205", born: str = "19800101", seq: str = "001") -> str:
    first = f"{area}{born}{seq}"
    return first + check_character(first)


APPLICANT_ID, CHILD_ID = synthetic_id(seq="001"), synthetic_id(born="20100515", seq="002")
INV1 = Signer(id="inv-1", name="王调查", role=Role.INVESTIGATOR)
INV2 = Signer(id="inv-2", name="李调查", role=Role.INVESTIGATOR)
REVIEWER = Signer(id="rev-1", name="赵审核", role=Role.REVIEWER)
LEADER = Signer(id="lead-1", name="孙主任", role=Role.LEADER)
MEMBERS = (Member(name="张三", id_number=APPLICANT_ID, relation="self"),
           Member(name="张小三", id_number=CHILD_ID, relation="child", in_school=True))


AUTHORISATION = Authorisation(signed_by="张三", relation="self", signed_on=D, document=AuthorisationDocument.WRITTEN)
ON_BEHALF = OnBehalf(report_no="650205001-FX-2022-00001", committee="柳树街社区居民委员会", authorisation=AUTHORISATION)


def due(clock: str, days: int, on: dt.date, rule: str = "plan 五") -> Due:
    return Due(clock=clock, due_on=on, working_days=days, starts_after=D, rule=rule)


EXAMPLES: tuple[Event, ...] = (
    ApplicationSubmitted(application_id="app-1", category=Category.DIBAO, area=Area.URBAN,  # noqa: F405
                         committee="柳树街社区居民委员会", channel="window", household_size=2,
                         materials_handed_in=("application_form", "id_cards")),
    CorrectionRequested(application_id="app-1", notice_no="BZ-2022-0001", issued_on=D,  # noqa: F405
                        items=(MissingItem(code="household_register", label="户口簿", reason="missing"),)),
    ApplicationAccepted(application_id="app-1", accepted_on=D, category=Category.DIBAO, area=Area.URBAN,  # noqa: F405
                        committee="柳树街社区居民委员会", address="柳树街1号", applicant_name="张三", members=MEMBERS,
                        declared_monthly_income_fen=50000, declared_assets_fen=0, payment_account="6222000000000000",
                        contact_phone="13900000000", reason="失业", materials=("application_form",),
                        consent_signed=True,
                        close_relative=CloseRelativeFlag(staff_ids=("clerk-9",), member_id_numbers=(CHILD_ID,),
                                                         relations=("grandchild",)),
                        investigation_due=due("investigation", 10, dt.date(2022, 3, 15))),
    ApplicationWithdrawn(withdrawn_on=D, reason="applicant found work"),  # noqa: F405
    CloseRelativeRegistered(staff_id="clerk-9", staff_name="刘窗口", relative_id_number=CHILD_ID,  # noqa: F405
                            relation="grandchild", registered_on=D),
    CloseRelativeFlagged(flagged_on=D, close_relative=CloseRelativeFlag(  # noqa: F405
        staff_ids=("clerk-9",), member_id_numbers=(CHILD_ID,), relations=("grandchild",))),
    ApplicationDeemedWithdrawn(recorded_on=D, circumstances="refused the home visit twice"),  # noqa: F405
    HomeVisitRecorded(visited_on=D, investigators=(INV1, INV2), living_conditions="rented room",  # noqa: F405
                      findings="as declared", household_signed=True, review_due=due("review", 5, dt.date(2022, 3, 8))),
    HouseholdRecorded(members=MEMBERS, incomes=(IncomeLine(kind="wages", monthly_fen=50000),),  # noqa: F405
                      assets=(AssetLine(kind="deposit", value_fen=100000),), category_facts={"able_to_work": "yes"}),
    EconomicCheckRequested(request_id="chk-1", member_id_numbers=(APPLICANT_ID, CHILD_ID), requested_on=D),  # noqa: F405
    EconomicCheckReported(request_id="chk-1", report_no="HD-1", reported_on=D, monthly_income_fen=50000,  # noqa: F405
                          countable_assets_fen=100000, findings="no vehicles, no property"),
    DemocraticAppraisalHeld(held_on=D, participants=("居委会主任", "居民代表甲"), result="supports",  # noqa: F405
                            minutes="一致同意"),
    ReviewSigned(round=1, signed_on=D, category=Category.DIBAO, eligible=True, computed_eligible=True, household_size=2,  # noqa: F405
                 household_monthly_income_fen=50000, computed_amount_fen=130000, proposed_amount_fen=130000,
                 reasons=("per-capita income below the standard",), investigators=(INV1, INV2), reviewer=REVIEWER,
                 applicant_name="张三", committee="柳树街社区居民委员会"),
    ReinvestigationOpened(opened_on=D, objection_ids=("obj-1",), due=due("reinvestigation", 10, dt.date(2022, 3, 15))),  # noqa: F405
    ReinvestigationCompleted(completed_on=D, objection_upheld=False, findings="objection unfounded",  # noqa: F405
                             investigators=(INV1, INV2)),
    PublicityOpened(notice_no="GS-2022-0001", round=1, committee="柳树街社区居民委员会", opens_on=D,  # noqa: F405
                    closes=due("publicity", 7, dt.date(2022, 3, 10)), public_name="张三", household_size=2,
                    category=Category.DIBAO, proposed_amount_fen=130000),
    ObjectionRaised(objection_id="obj-1", notice_no="GS-2022-0001", received_on=D, channel="web",  # noqa: F405
                    anonymous=True, summary="household owns a car"),
    PublicityClosed(notice_no="GS-2022-0001", round=1, closed_on=D, outcome="clean",  # noqa: F405
                    decision_due=due("decision", 3, dt.date(2022, 3, 4))),
    CaseApproved(decided_on=D, category=Category.DIBAO, amount_fen=130000, household_size=2,  # noqa: F405
                 first_month_paid="2022-04", approving_body=ApprovingBody.JURISDICTION, signer=LEADER,
                 public_name="张三", committee="柳树街社区居民委员会", payment_account="6222000000000000"),
    CaseRefused(decided_on=D, category=Category.DIBAO, reasons=("income above the standard",),  # noqa: F405
                approving_body=ApprovingBody.JURISDICTION, signer=LEADER,
                refusal_notice_due=due("refusal_notice", 3, dt.date(2022, 3, 4))),
    RefusalNoticeIssued(notice_no="BY-2022-0001", issued_on=D, committee="柳树街社区居民委员会",  # noqa: F405
                        delivered_on=D, received_by="居委会 王主任"),
    CaseFiled(filed_on=D, outcome="approved", category=Category.DIBAO, amount_fen=130000,  # noqa: F405
              people=(FilingPerson(id="inv-1", name="王调查", duty="investigated"),
                      FilingPerson(id="rev-1", name="赵审核", duty="reviewed"),
                      FilingPerson(id="lead-1", name="孙主任", duty="decided")),
              accepted_on=D, visited_on=D, reviewed_on=D, decided_on=D, materials=("application_form",),
              close_relative=False, objections=0, member_id_numbers=(APPLICANT_ID, CHILD_ID)),
    SupportEnded(category=Category.DIBAO, last_month_paid="2022-12", reasons=("income rose",), signer=LEADER,  # noqa: F405
                 cause="re_review", decided_on=D, approving_body=ApprovingBody.JURISDICTION, notice_no="TF-2022-0001",
                 notice_due=due("support_notice", 3, dt.date(2022, 3, 4))),
    RecipientMigrated(approved_on=dt.date(2020, 6, 15), category=Category.DIBAO, area=Area.URBAN,  # noqa: F405
                      amount_fen=130000, household_size=2, members=MEMBERS, first_month_paid="2022-04",
                      approving_body=ApprovingBody.DISTRICT_BUREAU, public_name="张*", committee="柳树街社区居民委员会",
                      address="柳树街1号", payment_account="6222000000000000",
                      source=MigrationSource(file_name="存量低保.xlsx", file_sha256="0" * 64, row=2),
                      imported_by=Signer(id="clerk-1", name="李窗口", role=Role.CLERK)),
    SupportChanged(category=Category.DIBAO, cause=ChangeCause.RE_REVIEW, decided_on=D, amount_before_fen=130000,  # noqa: F405
                   amount_fen=90000, household_size=2, effective_month="2022-04", reasons=("家庭收入增加",),
                   approving_body=ApprovingBody.JURISDICTION, signer=LEADER, notice_no="BG-2022-0001",
                   notice_due=due("support_notice", 3, dt.date(2022, 3, 4))),
    GradualExitStarted(category=Category.DIBAO, cause=ChangeCause.RE_REVIEW, decided_on=D, months=6,  # noqa: F405
                       last_month_paid="2022-09", reasons=("就业后收入超过保障标准",),
                       approving_body=ApprovingBody.JURISDICTION, signer=LEADER, notice_no="JT-2022-0001",
                       notice_due=due("support_notice", 3, dt.date(2022, 3, 4))),
    HouseholdInDifficultyReported(report_no="650205001-FX-2022-00001", committee="柳树街社区居民委员会",  # noqa: F405
                                  reported_on=D, difficulties=(Difficulty.ILLNESS, Difficulty.NO_INCOME),
                                  observed="户主重病卧床，配偶失业，家中无固定收入", household_size=3,
                                  reported_by=Signer(id="cm-1", name="王委员", role=Role.COMMITTEE),
                                  follow_up_due=due("discovery_follow_up", 5, dt.date(2022, 3, 8))),
    DiscoveryFollowedUp(report_no="650205001-FX-2022-00001", followed_up_on=D, on_time=True,  # noqa: F405
                        outcome=DiscoveryOutcome.APPLICATION_MADE, application_id="app-1", case_id=CASE,
                        authorisation=AUTHORISATION, note="入户核实，户主委托代为申请",
                        followed_up_by=Signer(id="clerk-1", name="李窗口", role=Role.CLERK)),
    PetitionRegistered(petition_no="XF-650205-2022-00001", channel="hotline", kind="report",  # noqa: F405
                       received_on=D, concerning_case=CASE),
    PetitionTransferred(petition_no="XF-650205-2022-00001", to_jurisdiction=JURISDICTION,  # noqa: F405
                        concerning_case=CASE, instructions="请核实举报内容并书面答复",
                        due=due("petition", 15, dt.date(2022, 3, 22))),
    PetitionAnswered(petition_no="XF-650205-2022-00001", answered_on=D, on_time=True,  # noqa: F405
                     re_review_requested=True, concerning_case=CASE, substantiated=True),
    PetitionEscalated(petition_no="XF-650205-2022-00001", escalated_on=D,  # noqa: F405
                      overdue_since=dt.date(2022, 2, 28)),
    PetitionClosed(petition_no="XF-650205-2022-00001", closed_on=D, conclusion="经核实，已启动复核"),  # noqa: F405
    InspectionRecorded(inspection_no="DC-650205-2022-00001", kind="unannounced", started_on=D,  # noqa: F405
                       ended_on=dt.date(2022, 3, 2), jurisdictions=(JURISDICTION, "650205100"),
                       bodies=("civil_affairs", "discipline_inspection", "finance"), cases_checked=(CASE,),
                       files_checked=12),
    InspectionFindingRecorded(inspection_no="DC-650205-2022-00001", finding_no="DC-650205-2022-00001-01",  # noqa: F405
                              concerning_case=CASE, kind="procedure", severity="serious", concerns_staff=True,
                              rectification_order="ZG-650205-2022-00001"),
    AccountabilityRecorded(record_no="ZZ-650205-2022-00001", basis="inspection_finding",  # noqa: F405
                           basis_ref="DC-650205-2022-00001-01", concerning_jurisdiction=JURISDICTION,
                           recorded_on=D, record_sha256="0" * 64),
    AccountabilityConcluded(record_no="ZZ-650205-2022-00001", concluded_on=D, record_sha256="1" * 64),  # noqa: F405
    SupportNoticeDelivered(notice_no="BG-2022-0001", committee="柳树街社区居民委员会", delivered_on=D,  # noqa: F405
                           received_by="居委会 王主任"),
    HouseholdChanged(category=Category.DIBAO, changed_on=D,  # noqa: F405
                     members_added=(MemberAdded(member=Member(name="张小四", id_number=synthetic_id(born="20220110", seq="003"),
                                                              relation="child"),
                                                cause=MemberCause.BIRTH, since=dt.date(2022, 1, 10)),),
                     members_removed=(MemberRemoved(id_number=CHILD_ID, name="张小三", cause=MemberCause.DEATH,
                                                    since=dt.date(2022, 2, 20)),),
                     household_size=2, public_name="张*", payment_account="6222000000000001",
                     reasons=("户内成员变化：出生一人、死亡一人",),
                     recorded_by=Signer(id="clerk-1", name="李窗口", role=Role.CLERK)),
    HouseholdTransferRequested(transfer_id="ZY-650205001-2022-0001-01", to_jurisdiction="650205100",  # noqa: F405
                               category=Category.DIBAO, area=Area.URBAN, address="乌尔禾镇幸福路2号",
                               public_name="张*", household_size=2, member_id_numbers=(APPLICANT_ID, CHILD_ID),
                               payment_account="6222000000000000", amount_fen=130000, monthly_income_fen=20000,
                               approved_on=dt.date(2021, 6, 15), from_month="2022-04", requested_on=D,
                               reasons=("全户迁居乌尔禾镇",), approving_body=ApprovingBody.JURISDICTION, signer=LEADER),
    HouseholdTransferAccepted(transfer_id="ZY-650205001-2022-0001-01", from_jurisdiction=JURISDICTION,  # noqa: F405
                              from_case_id=CASE, category=Category.DIBAO, area=Area.URBAN,
                              committee="乌尔禾镇社区居民委员会", address="乌尔禾镇幸福路2号", public_name="张*",
                              household_size=2, member_id_numbers=(APPLICANT_ID, CHILD_ID),
                              payment_account="6222000000000000", amount_fen=130000,
                              first_month_paid="2022-04", accepted_on=D, approving_body=ApprovingBody.JURISDICTION,
                              signer=Signer(id="lead-2", name="马镇长", role=Role.LEADER)),
    HouseholdTransferRefused(transfer_id="ZY-650205001-2022-0001-01", from_jurisdiction=JURISDICTION,  # noqa: F405
                             category=Category.DIBAO, refused_on=D, reasons=("新住址不在本镇辖区",),
                             approving_body=ApprovingBody.JURISDICTION,
                             signer=Signer(id="lead-2", name="马镇长", role=Role.LEADER)),
    ReReviewOpened(round=1, opened_on=D, cause=ReReviewCause.PERIODIC, category=Category.DIBAO,  # noqa: F405
                   committee="柳树街社区居民委员会", scheduled_on=D,
                   reasons=("D21第31条：收入不固定或有劳动能力的家庭每半年核查一次",),
                   due=due("re_review", 15, dt.date(2022, 3, 22))),
    ReReviewCompleted(round=1, cause=ReReviewCause.PERIODIC, completed_on=dt.date(2022, 3, 18),  # noqa: F405
                      category=Category.DIBAO, outcome=ReReviewOutcome.CHANGE, household_size=2,
                      household_monthly_income_fen=100000, countable_assets_fen=200000, computed_eligible=True,
                      computed_amount_fen=80000, proposed_amount_fen=80000, reasons=("家庭收入增加",),
                      investigators=(INV1, INV2), reviewer=REVIEWER, profile=HouseholdProfile.CHANGING,
                      next_on=dt.date(2022, 9, 18)),
    AuthorityGranted(granted_to_jurisdiction=JURISDICTION, category=Category.DIBAO,  # noqa: F405
                     body=ApprovingBody.JURISDICTION, effective_from=dt.date(2022, 2, 1), instrument="plan 二"),
    SpotCheckSelected(month="2022-03", seed="650205001:2022-03:abc", drawn_because="random"),  # noqa: F405
    SpotCheckCompleted(findings=SpotCheckFindings(target_correct=True, procedure_followed=True,  # noqa: F405
                                                  materials_complete=False),
                       feedback="补齐户口簿复印件", document_no="CC-2022-0001", completed_on=D),
    RectificationOrdered(order_no="ZG-2022-0001", concerning_case=CASE, kind="procedure", findings="材料不全",  # noqa: F405
                         due=due("rectification", 20, dt.date(2022, 3, 29))),
    RectificationAnswered(order_no="ZG-2022-0001", answered_on=D, answer="已补齐"),  # noqa: F405
    RectificationEscalated(order_no="ZG-2022-0001", escalated_on=D, overdue_since=D),  # noqa: F405
    DeadlineBreached(clock="investigation", due_on=D, detected_on=D, started_by_event="01J0000000000000000000000",  # noqa: F405
                     responsible=("inv-1",)),
    DuplicateBeneficiaryDetected(id_number_hash="0" * 64, cases=(CASE, "650205100-2022-0001"),  # noqa: F405
                                 jurisdictions=(JURISDICTION, "650205100")),
    AuditCheckpointRecorded(last_seq=120, head_hash="0" * 64, entries=118, recorded_at=AT,  # noqa: F405
                            trigger="entries"),
    HolidayCalendarPublished(  # noqa: F405
        calendar=HolidayFile(format="jiuzhu.holidays/1", year=2025, scope="regional",
                             region=Region(code="650000", name="新疆维吾尔自治区"),
                             source=HolidaySource(issuer="新疆维吾尔自治区人民政府办公厅",
                                                  title="关于2025年节假日放假调休日期和冬夏季作息时间安排的通知"),
                             holidays=(HolidaySpan(name="肉孜节", start=dt.date(2025, 3, 29), end=dt.date(2025, 3, 31)),)),
        sha256="0" * 64),
    DeadlineRecomputed(clock="investigation", started_by_event="01J0000000000000000000000",  # noqa: F405
                       previous_due_on=dt.date(2027, 2, 10), previous_provisional=True,
                       due=Due(clock="investigation", due_on=dt.date(2027, 2, 17), working_days=10,
                               starts_after=dt.date(2027, 1, 27), rule="plan 五(二)"),
                       calendar_event="01J0000000000000000000001"),
    RosterCompiled(roster_id="R-650205001-2022-04", month="2022-04", roster_jurisdiction=JURISDICTION,  # noqa: F405
                   roster_version=1, lines=1, totals=(CategoryTotal(category=Category.DIBAO, households=1,
                                                                    amount_fen=130000),),
                   checksum="0" * 64, compiled_on=D),
    RosterSubmitted(roster_id="R-650205001-2022-04", roster_version=1, month="2022-04", checksum="0" * 64,  # noqa: F405
                    submitted_on=D),
    PaymentConfirmed(roster_id="R-650205001-2022-04", confirmed_on=D,  # noqa: F405
                     lines=(PaymentLine(case_id=CASE, category=Category.DIBAO, month="2022-04", amount_fen=130000,
                                        status="paid"),)),
    OneOffBatchIssued(batch_id="LS-650205-20220401-1", batch_jurisdiction="650205", issued_on=D,  # noqa: F405
                      lines=(BatchLine(case_id=CASE, jurisdiction=JURISDICTION, tranche=1, amount_fen=200000),),
                      total_fen=200000, checksum="0" * 64),
    OneOffBatchConfirmed(batch_id="LS-650205-20220401-1", confirmed_on=D,  # noqa: F405
                         lines=(BatchLine(case_id=CASE, jurisdiction=JURISDICTION, tranche=1, amount_fen=200000,
                                          status="paid"),)),
    TemporaryAssistancePaid(paid_on=D, amount_fen=200000, tranches=1, batches=("LS-650205-20220401-1",)),  # noqa: F405
)


def envelope(payload: Event, *, jurisdiction: str = JURISDICTION, case_id: str = CASE) -> Envelope:
    scope_case = payload.scope == "case"
    return Envelope.wrap(payload, district=DISTRICT,
                         jurisdiction=DISTRICT if payload.scope == "district" else jurisdiction,
                         actor=Actor(id="clerk-1", role=Role.CLERK, name="刘窗口"), occurred_at=AT,
                         case_id=case_id if scope_case else None)
