"""Active discovery (主动发现, plan 四(三)2) on real PostgreSQL and JetStream, through intake's HTTP API:
a committee's report, the window's worklist, and its follow-up — an application made on the
household's behalf with its authorisation (代为申请, plan 五(一)), or the report closed with a reason."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from jiuzhu_contracts.examples import synthetic_id

from jiuzhu_intake.adapters.tables import applications, cases, discovery_reports
from jiuzhu_intake.bootstrap import build
from jiuzhu_intake.domain.discovery import DiscoveryReport, ReportedHousehold, Reporter, authorised
from jiuzhu_contracts.base import Due
from jiuzhu_contracts.events.discovery import AuthorisationDocument, ClosingReason, Difficulty
from jiuzhu_kernel.refusal import DomainRefusal

from .factories import APPLICANT, CHILD, COMMITTEE, LIUSHUJIE, URHO_TOWN
from .test_intake_service import form

TZ = ZoneInfo("Asia/Shanghai")
REPORT = {"committee": COMMITTEE,
          "household": {"name": "张三", "address": "柳树街1号", "contact_phone": "13912345678", "household_size": 2},
          "difficulties": ["illness", "no_income"], "observed": "户主重病卧床，家中无固定收入"}
AUTHORISATION = {"signed_by": "张三", "signed_on": "2022-03-02", "document": "written"}


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "intake", LIUSHUJIE) as running:
        yield running


def on(svc, day: dt.date) -> None:
    svc.kit.clock.set(dt.datetime.combine(day, dt.time(9), TZ))


async def reported(svc, body=REPORT, role="committee") -> dict:
    r = await svc.client.post("/discoveries", json=body, headers=svc.token(role, who="cm-1", name="王委员"))
    assert r.status_code == 201, r.text
    return r.json()


async def rows(svc) -> dict:
    async with svc.kit.sessions() as s:
        return {t.name: (await s.execute(select(func.count()).select_from(t))).scalar_one()
                for t in (applications, cases, discovery_reports)}


async def test_a_report_leads_to_an_application_on_the_households_behalf_with_its_authorisation(svc):
    report = await reported(svc)
    # Reported Tuesday 2022-03-01; 5 working days to follow up → Tuesday 2022-03-08.
    assert report["report_no"] == f"{LIUSHUJIE}-FX-2022-00001"
    assert (report["status"], report["follow_up_due"]["due_on"], report["working_days_left"]) == ("open", "2022-03-08", 5)
    assert "四(三)2" in report["follow_up_due"]["rule"] and report["reported_by"] == "王委员"
    [event] = await svc.published("household_in_difficulty_reported")
    assert event.case_id == report["report_no"] and event.actor.role == "committee"
    assert event.payload.difficulties == (Difficulty.ILLNESS, Difficulty.NO_INCOME)
    assert event.payload.follow_up_due.due_on == dt.date(2022, 3, 8)
    assert "13912345678" not in event.model_dump_json()  # who the household is stays in the register

    on(svc, dt.date(2022, 3, 2))
    worklist = (await svc.client.get("/discoveries", params={"status": "open"}, headers=svc.token("clerk"))).json()
    assert [(w["report_no"], w["working_days_left"]) for w in worklist] == [(report["report_no"], 4)]

    r = await svc.client.post(f"/discoveries/{report['report_no']}/application", headers=svc.token("clerk"),
                              json={"application": form(), "authorisation": AUTHORISATION, "note": "入户核实，户主委托"})
    assert r.status_code == 201, r.text
    body = r.json()
    application, followed = body["application"], body["report"]
    assert application["status"] == "accepted" and application["case_id"] == f"{LIUSHUJIE}-2022-00001"
    assert (followed["status"], followed["on_time"], followed["case_id"]) == ("application_made", True,
                                                                             application["case_id"])
    assert followed["authorisation"] == {"signed_by": "张三", "relation": "self", "signed_on": "2022-03-02",
                                         "document": "written"}

    # The case exists, and says it was applied for on the household's behalf, with whose authorisation.
    case = (await svc.client.get(f"/cases/{application['case_id']}", headers=svc.token("clerk"))).json()
    assert case["stage"] == "investigating"
    assert case["on_behalf"]["report_no"] == report["report_no"]
    assert case["on_behalf"]["authorisation"]["signed_by"] == "张三"
    [submitted] = await svc.published("application_submitted")
    assert submitted.payload.channel == "discovery" and submitted.payload.on_behalf.committee == COMMITTEE
    [accepted] = await svc.published("application_accepted")
    assert accepted.case_id == application["case_id"]
    assert accepted.payload.on_behalf.authorisation.document is AuthorisationDocument.WRITTEN
    [done] = await svc.published("discovery_followed_up")
    assert done.case_id == report["report_no"] and done.actor.role == "clerk"
    assert (done.payload.outcome, done.payload.application_id, done.payload.case_id, done.payload.on_time) == (
        "application_made", application["application_id"], application["case_id"], True)
    assert (await svc.client.get("/discoveries", params={"status": "open"}, headers=svc.token("clerk"))).json() == []

    again = await svc.client.post(f"/discoveries/{report['report_no']}/close", headers=svc.token("clerk"),
                                  json={"reason": "declined", "note": "重复"})
    assert again.status_code == 409 and "application_made" in again.text


async def test_a_report_closed_with_a_reason_and_a_late_follow_up_is_recorded_as_late(svc):
    report = await reported(svc, role="clerk")
    on(svc, dt.date(2022, 3, 10))  # two working days after the due date
    listed = (await svc.client.get(f"/discoveries/{report['report_no']}", headers=svc.token("committee"))).json()
    assert listed["working_days_left"] == -2
    r = await svc.client.post(f"/discoveries/{report['report_no']}/close", headers=svc.token("clerk"),
                              json={"reason": "not_in_difficulty", "note": "入户核实，配偶已就业，收入稳定"})
    assert r.status_code == 200, r.text
    closed = r.json()
    assert (closed["status"], closed["closing_reason"], closed["on_time"], closed["followed_up_on"]) == (
        "closed", "not_in_difficulty", False, "2022-03-10")
    [done] = await svc.published("discovery_followed_up")
    assert (done.payload.outcome, done.payload.closing_reason, done.payload.on_time) == (
        "closed", ClosingReason.NOT_IN_DIFFICULTY, False)
    assert done.payload.application_id is None and done.payload.note == "入户核实，配偶已就业，收入稳定"
    assert await rows(svc) == {"applications": 0, "cases": 0, "discovery_reports": 1}
    late = await svc.client.post(f"/discoveries/{report['report_no']}/application", headers=svc.token("clerk"),
                                 json={"application": form(), "authorisation": AUTHORISATION})
    assert late.status_code == 409 and await rows(svc) == {"applications": 0, "cases": 0, "discovery_reports": 1}


async def test_the_worklist_puts_the_nearest_due_date_first(svc):
    first = await reported(svc)
    on(svc, dt.date(2022, 3, 3))
    second = await reported(svc, {**REPORT, "household": {"name": "李四", "address": "柳树街2号"},
                                  "difficulties": ["elderly_alone"], "observed": "独居老人，行动不便"})
    assert second["follow_up_due"]["due_on"] == "2022-03-10"
    r = await svc.client.post(f"/discoveries/{first['report_no']}/close", headers=svc.token("clerk"),
                              json={"reason": "already_supported", "note": "已在保"})
    assert r.status_code == 200
    on(svc, dt.date(2022, 3, 4))
    listed = (await svc.client.get("/discoveries", headers=svc.token("clerk"))).json()
    assert [(w["report_no"], w["status"], w["working_days_left"]) for w in listed] == [
        (first["report_no"], "closed", None), (second["report_no"], "open", 4)]
    assert [w["report_no"] for w in (await svc.client.get(
        "/discoveries", params={"status": "open"}, headers=svc.token("inspector", jurisdiction="650205"))).json()] == [
        second["report_no"]]


async def test_refusals_name_the_field_or_the_rule_and_change_nothing(svc):
    report = await reported(svc)
    url = f"/discoveries/{report['report_no']}/application"
    signed_today = {**AUTHORISATION, "signed_on": "2022-03-01"}
    body = {"application": form(), "authorisation": signed_today}

    # The committee reports; the jurisdiction's clerk makes the application and closes the report.
    r = await svc.client.post(url, json=body, headers=svc.token("committee"))
    assert r.status_code == 403 and "may not" in r.text and "clerk" in r.text
    r = await svc.client.post(f"/discoveries/{report['report_no']}/close", json={"reason": "declined", "note": "x"},
                              headers=svc.token("committee"))
    assert r.status_code == 403
    r = await svc.client.post(url, json=body, headers=svc.token("clerk", jurisdiction=URHO_TOWN))
    assert r.status_code == 403 and "serves jurisdiction 650205001" in r.text
    r = await svc.client.post("/discoveries", json=REPORT, headers=svc.token("investigator"))
    assert r.status_code == 403

    # No authorisation: the field is named.
    r = await svc.client.post(url, json={"application": form()}, headers=svc.token("clerk"))
    assert r.status_code == 422 and "authorisation" in {e["field"] for e in r.json()["errors"]}
    # Signed by someone outside the household (not as guardian), or dated tomorrow.
    r = await svc.client.post(url, headers=svc.token("clerk"),
                              json={**body, "authorisation": {**signed_today, "signed_by": "王五"}})
    assert r.status_code == 422 and r.json()["field"] == "authorisation.signed_by" and "五(一)" in r.json()["rule"]
    r = await svc.client.post(url, headers=svc.token("clerk"),
                              json={**body, "authorisation": {**signed_today, "signed_on": "2022-03-02"}})
    assert r.status_code == 422 and r.json()["field"] == "authorisation.signed_on"
    # A committee of another jurisdiction cannot report here.
    r = await svc.client.post("/discoveries", json={**REPORT, "committee": "乌尔禾镇某村民委员会"},
                              headers=svc.token("committee"))
    assert r.status_code == 422 and r.json()["field"] == "committee"
    r = await svc.client.post("/discoveries/650205001-FX-2022-09999/close", json={"reason": "declined", "note": "查无此户"},
                              headers=svc.token("clerk"))
    assert r.status_code == 404
    assert await rows(svc) == {"applications": 0, "cases": 0, "discovery_reports": 1}
    assert await svc.published("discovery_followed_up") == []


async def test_a_household_with_an_open_case_gets_no_second_application_and_the_report_stays_open(svc):
    """The application and the follow-up commit together: the duplicate refusal leaves the report open."""
    first = await svc.client.post("/applications", json=form(), headers=svc.token("clerk"))
    assert first.status_code == 201
    report = await reported(svc)
    r = await svc.client.post(f"/discoveries/{report['report_no']}/application", headers=svc.token("clerk"),
                              json={"application": form(), "authorisation": {**AUTHORISATION, "signed_on": "2022-03-01"}})
    assert r.status_code == 409, r.text
    again = (await svc.client.get(f"/discoveries/{report['report_no']}", headers=svc.token("clerk"))).json()
    assert again["status"] == "open" and again["application_id"] is None
    assert await rows(svc) == {"applications": 1, "cases": 1, "discovery_reports": 1}
    assert await svc.published("discovery_followed_up") == []


async def test_an_application_on_behalf_sent_back_for_correction_stays_on_behalf_when_handed_in_again(svc):
    report = await reported(svc)
    incomplete = form(materials=[{"code": "application_form"}, {"code": "id_cards"}])
    r = await svc.client.post(f"/discoveries/{report['report_no']}/application", headers=svc.token("clerk"),
                              json={"application": incomplete,
                                    "authorisation": {**AUTHORISATION, "signed_on": "2022-03-01",
                                                      "document": "thumbprint"}})
    assert r.status_code == 201, r.text
    application, followed = r.json()["application"], r.json()["report"]
    assert application["status"] == "correction_requested" and followed["case_id"] is None
    assert followed["application_id"] == application["application_id"]
    again = await svc.client.post(f"/applications/{application['application_id']}/resubmissions", json=form(),
                                  headers=svc.token("clerk"))
    assert again.status_code == 200 and again.json()["status"] == "accepted", again.text
    [accepted] = await svc.published("application_accepted")
    assert accepted.payload.on_behalf.report_no == report["report_no"]
    assert accepted.payload.on_behalf.authorisation.document is AuthorisationDocument.THUMBPRINT


# --- the domain, without I/O -------------------------------------------------------------------------

D = dt.date(2022, 3, 1)
DUE = Due(clock="discovery_follow_up", due_on=dt.date(2022, 3, 8), working_days=5, starts_after=D, rule="r")


def test_the_authorisation_is_signed_by_a_member_or_a_guardian_and_not_after_today():
    members = (APPLICANT, CHILD)
    assert authorised("张小三", D, AuthorisationDocument.THUMBPRINT, members, D).relation == "child"
    assert authorised("赵监护", D, AuthorisationDocument.GUARDIAN, members, D).relation == "guardian"
    with pytest.raises(DomainRefusal) as refused:
        authorised("赵监护", D, AuthorisationDocument.WRITTEN, members, D)
    assert refused.value.field == "authorisation.signed_by"
    with pytest.raises(DomainRefusal) as refused:
        authorised("张三", D + dt.timedelta(days=1), AuthorisationDocument.WRITTEN, members, D)
    assert refused.value.field == "authorisation.signed_on"


def test_a_report_is_followed_up_once_and_on_time_up_to_its_due_day():
    report = DiscoveryReport(case_id="650205001-FX-2022-00001", committee=COMMITTEE, reported_on=D,
                             household=ReportedHousehold(name="张三", address="柳树街1号"),
                             difficulties=(Difficulty.ILLNESS,), observed="重病", follow_up_due=DUE,
                             reported_by=Reporter("cm-1", "王委员", "committee"))
    assert report.on_time(dt.date(2022, 3, 8)) and not report.on_time(dt.date(2022, 3, 9))
    clerk = Reporter("c-1", "李窗口", "clerk")
    closed = report.closed(on=D, by=clerk, reason=ClosingReason.DECLINED, note=" 不愿申请 ")
    assert (closed.status, closed.note, closed.outcome) == ("closed", "不愿申请", "closed")
    with pytest.raises(DomainRefusal) as refused:
        closed.closed(on=D, by=clerk, reason=ClosingReason.DECLINED, note="x")
    assert refused.value.status == 409
    with pytest.raises(DomainRefusal) as refused:
        report.closed(on=D, by=clerk, reason=ClosingReason.OTHER, note="  ")
    assert refused.value.field == "note"
