"""督查 and 追责 (plan 六(二)) on real PostgreSQL and JetStream: a joint inspection of two
jurisdictions with a finding in each, one ordered rectified and followed through to an
accountability record; a deadline breach followed through to a referral and its outcome; each step
refused to the wrong role, jurisdiction or rule with the rule named; who and what never on the bus."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import ApplicationAccepted
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_devstack.testing import eventually
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_oversight.bootstrap import build
from jiuzhu_oversight.domain.accountability import (
    Accountability,
    Basis,
    Measure,
    Person,
    Procedure,
    basis_problem,
    measure_problem,
)
from jiuzhu_oversight.domain.inspections import (
    Finding,
    FindingKind,
    GroupBody,
    Inspection,
    InspectionKind,
    Member,
    Severity,
    group_problem,
    inspection_of,
)

TZ = ZoneInfo("Asia/Shanghai")
DISTRICT, J1, J2, J3 = "650205", "650205001", "650205100", "650205400"
CASE = f"{J1}-2022-00012"
GROUP = [{"name": "周督查", "body": "civil_affairs", "post": "社会救助科科长"},
         {"name": "吴纪检", "body": "discipline_inspection", "post": "派驻纪检组"},
         {"name": "郑财政", "body": "finance"}]
PERSON = {"id": "inv-1", "name": "王调查", "post": "社会救助经办人员"}
FACTS = "入户调查由一人完成，调查表代签"


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "oversight", None) as running:
        yield running


async def at(svc, day):
    now = dt.datetime.combine(day, dt.time(9), TZ)
    svc.kit.clock.set(now)
    await svc.kit.tick(now)


def tokens(svc):
    return {"bureau": svc.token("bureau_admin", jurisdiction=DISTRICT, who="ba-1", name="区民政局"),
            "inspector": svc.token("inspector", jurisdiction=DISTRICT, who="ins-1", name="周督查"),
            "auditor": svc.token("auditor", jurisdiction=DISTRICT, who="aud-1", name="审计"),
            "lead1": svc.token("leader", jurisdiction=J1, who="lead-1", name="孙主任"),
            "lead2": svc.token("leader", jurisdiction=J2, who="lead-2", name="王镇长")}


def no_personal_data_on_the_bus(events):
    for e in events:
        text = e.model_dump_json()
        assert "王调查" not in text and "inv-1" not in text and FACTS not in text, e.event_type


async def test_an_inspection_of_two_jurisdictions_a_finding_rectified_and_followed_to_accountability(svc):
    t = tokens(svc)
    await at(svc, dt.date(2022, 3, 9))
    body = {"kind": "unannounced", "started_on": "2022-03-08", "ended_on": "2022-03-09", "jurisdictions": [J1, J2],
            "members": GROUP, "scope": "抽查低保审批案卷，检查“漏保”情况", "cases_checked": [CASE],
            "files_checked": 20}

    alone = await svc.client.post("/inspections", headers=t["bureau"], json={**body, "members": [
        {"name": "周督查", "body": "civil_affairs"}, {"name": "李科员", "body": "civil_affairs"}]})
    assert alone.status_code == 422 and alone.json()["field"] == "members" and "六(二)" in alone.json()["rule"]
    stray = await svc.client.post("/inspections", headers=t["bureau"], json={**body, "cases_checked": [f"{J3}-2022-00001"]})
    assert stray.status_code == 422 and stray.json()["field"] == "cases_checked"
    backwards = await svc.client.post("/inspections", headers=t["bureau"], json={**body, "ended_on": "2022-03-07"})
    assert backwards.status_code == 422 and backwards.json()["field"] == "ended_on"
    assert (await svc.client.post("/inspections", headers=t["lead1"], json=body)).status_code == 403
    assert (await svc.client.post("/inspections", headers=t["auditor"], json=body)).status_code == 403

    r = await svc.client.post("/inspections", headers=t["bureau"], json=body)
    assert r.status_code == 201, r.text
    number = r.json()["inspection_no"]
    assert number == "DC-650205-2022-00001" and r.json()["findings"] == []

    first = await svc.client.post(f"/inspections/{number}/findings", headers=t["inspector"], json={
        "jurisdiction": J1, "kind": "procedure", "severity": "serious", "concerning_case": CASE, "staff": PERSON,
        "text": "入户调查未由两名工作人员共同完成", "rectify": True})
    assert first.status_code == 201, first.text
    f1 = first.json()
    assert f1["finding_no"] == f"{number}-01" and f1["rectification_order"].startswith("ZG-650205-2022-")
    second = await svc.client.post(f"/inspections/{number}/findings", headers=t["bureau"], json={
        "jurisdiction": J2, "kind": "missed_coverage", "severity": "minor", "text": "一户低收入家庭应保未保"})
    assert second.status_code == 201 and second.json()["rectification_order"] is None
    not_visited = await svc.client.post(f"/inspections/{number}/findings", headers=t["bureau"], json={
        "jurisdiction": J3, "kind": "procedure", "severity": "minor", "text": "未到此地"})
    assert not_visited.status_code == 422 and not_visited.json()["field"] == "jurisdiction"
    conduct_ordered = await svc.client.post(f"/inspections/{number}/findings", headers=t["bureau"], json={
        "jurisdiction": J1, "kind": "conduct", "severity": "grave", "text": "优亲厚友", "rectify": True})
    assert conduct_ordered.status_code == 422 and conduct_ordered.json()["field"] == "rectify"
    other_case = await svc.client.post(f"/inspections/{number}/findings", headers=t["bureau"], json={
        "jurisdiction": J2, "kind": "procedure", "severity": "minor", "text": "x案", "concerning_case": CASE})
    assert other_case.status_code == 422 and other_case.json()["field"] == "concerning_case"
    assert (await svc.client.post(f"/inspections/{number}/findings", headers=t["lead1"], json={
        "jurisdiction": J1, "kind": "procedure", "severity": "minor", "text": "自查"})).status_code == 403
    assert (await svc.client.post("/inspections/DC-650205-2022-09999/findings", headers=t["bureau"], json={
        "jurisdiction": J1, "kind": "procedure", "severity": "minor", "text": "无此督查"})).status_code == 404

    record = {"basis": "inspection_finding", "basis_ref": f1["finding_no"], "jurisdiction": J1, "person": PERSON,
              "facts": FACTS, "procedure": "bureau", "measure": "criticism_education"}
    elsewhere = await svc.client.post("/accountability", headers=t["bureau"], json={**record, "jurisdiction": J2})
    assert elsewhere.status_code == 422 and elsewhere.json()["field"] == "jurisdiction"
    too_heavy = await svc.client.post("/accountability", headers=t["bureau"], json={**record, "measure": "sanction"})
    assert too_heavy.status_code == 422 and "政务处分法" in too_heavy.json()["rule"]
    no_such = await svc.client.post("/accountability", headers=t["bureau"], json={**record, "basis_ref": f"{number}-09"})
    assert no_such.status_code == 422 and no_such.json()["field"] == "basis_ref"
    assert (await svc.client.post("/accountability", headers=t["inspector"], json=record)).status_code == 403
    assert (await svc.client.post("/accountability", headers=t["lead1"], json=record)).status_code == 403
    made = await svc.client.post("/accountability", headers=t["bureau"], json=record)
    assert made.status_code == 201, made.text
    rec = made.json()
    assert (rec["record_no"], rec["status"], rec["decided_on"], rec["concerning_case"]) == (
        "ZZ-650205-2022-00001", "concluded", "2022-03-09", CASE)

    # The bureau sees both jurisdictions, with who and the records; auditors without who.
    [seen] = (await svc.client.get("/inspections", headers=t["bureau"])).json()
    assert [(f["jurisdiction"], f["accountability"]) for f in seen["findings"]] == [
        (J1, [rec["record_no"]]), (J2, [])]
    [audited] = (await svc.client.get("/inspections", headers=t["auditor"])).json()
    assert len(audited["findings"]) == 2 and all("staff" not in f for f in audited["findings"])
    assert audited["findings"][0]["concerns_staff"] is True
    # A visited jurisdiction's leader sees the inspection with its own findings only.
    [mine] = (await svc.client.get("/inspections", headers=t["lead1"])).json()
    assert [f["finding_no"] for f in mine["findings"]] == [f1["finding_no"]]
    assert mine["findings"][0]["staff"]["name"] == "王调查"
    [theirs] = (await svc.client.get("/inspections", headers=t["lead2"])).json()
    assert [f["jurisdiction"] for f in theirs["findings"]] == [J2]
    peek = await svc.client.get(f"/inspections?jurisdiction={J1}", headers=t["lead2"])
    assert peek.status_code == 403 and "六(二)" in peek.json()["rule"]
    assert (await svc.client.get(f"/inspections?jurisdiction={J2}", headers=t["bureau"])).json()[0]["inspection_no"] == number
    assert (await svc.client.get(f"/inspections?jurisdiction={J3}", headers=t["bureau"])).json() == []
    assert (await svc.client.get(f"/inspections/{number}", headers=svc.token("leader", jurisdiction=J3))).status_code == 403

    # Accountability: the bureau and inspectors, the person's own leader; nobody else.
    assert [a["record_no"] for a in (await svc.client.get("/accountability", headers=t["lead1"])).json()] == [rec["record_no"]]
    assert (await svc.client.get("/accountability", headers=t["lead2"])).json() == []
    assert (await svc.client.get(f"/accountability/{rec['record_no']}", headers=t["lead2"])).status_code == 403
    assert (await svc.client.get(f"/accountability?jurisdiction={J1}", headers=t["lead2"])).status_code == 403
    assert (await svc.client.get("/accountability", headers=t["auditor"])).status_code == 403
    by_person = (await svc.client.get("/accountability?person=inv-1", headers=t["inspector"])).json()
    assert [a["person"]["name"] for a in by_person] == ["王调查"]
    assert (await svc.client.get("/accountability?person=someone-else", headers=t["inspector"])).json() == []

    # The printable report names no person and shows each jurisdiction's findings and orders.
    report = await svc.client.get(f"/inspections/{number}/report", headers=t["bureau"])
    assert report.status_code == 200 and "督查情况通报" in report.text
    assert "柳树街街道办事处" in report.text and "乌尔禾镇人民政府" in report.text
    assert f1["rectification_order"] in report.text and "区纪委监委、区财政局" in report.text
    assert "王调查" not in report.text and "inv-1" not in report.text and "已启动追责" in report.text
    own = await svc.client.get(f"/inspections/{number}/report", headers=t["lead2"])
    assert own.status_code == 200 and "应保未保" in own.text and "入户调查未由两名" not in own.text

    events = await svc.published()
    by_type = {}
    for e in events:
        by_type.setdefault(e.event_type, []).append(e)
    [inspected] = by_type["inspection_recorded"]
    assert inspected.payload.bodies == ("civil_affairs", "discipline_inspection", "finance")
    assert inspected.jurisdiction == DISTRICT
    assert [(e.jurisdiction, e.payload.rectification_order) for e in by_type["inspection_finding_recorded"]] == [
        (J1, f1["rectification_order"]), (J2, None)]
    [ordered] = by_type["rectification_ordered"]
    assert ordered.jurisdiction == J1 and ordered.payload.order_no == f1["rectification_order"]
    [accountable] = by_type["accountability_recorded"]
    assert accountable.jurisdiction == DISTRICT  # not on the jurisdiction's own subjects
    assert accountable.payload.record_sha256 == rec["record_sha256"]
    no_personal_data_on_the_bus(events)


async def test_a_breach_followed_through_to_a_referral_and_its_outcome(svc):
    t = tokens(svc)
    example = next(e for e in EXAMPLES if isinstance(e, ApplicationAccepted))
    accepted = Envelope.wrap(example.model_copy(update={"close_relative": None}), district=DISTRICT, jurisdiction=J1,
                             actor=Actor(id="clerk-1", role="clerk", name="刘窗口"),
                             occurred_at=dt.datetime(2022, 3, 1, 9, tzinfo=TZ), case_id=f"{J1}-2022-00001")
    await svc.publish(accepted)
    clock = await eventually(lambda: _deadline(svc, t["inspector"]))
    record = {"basis": "breach", "basis_ref": accepted.event_id, "jurisdiction": J1, "person": PERSON,
              "facts": FACTS, "procedure": "discipline_inspection"}

    await at(svc, dt.date(2022, 3, 15))  # the due day: not breached yet
    early = await svc.client.post("/accountability", headers=t["bureau"], json=record)
    assert early.status_code == 422 and early.json()["field"] == "basis_ref" and "not breached" in early.text
    await at(svc, dt.date(2022, 3, 16))
    [breach] = await eventually(lambda: svc.published("deadline_breached"))
    assert breach.payload.started_by_event == accepted.event_id and clock["clock"] == "investigation"

    unknown = await svc.client.post("/accountability", headers=t["bureau"], json={**record, "basis_ref": "01XYZ"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "basis_ref"
    wrong_place = await svc.client.post("/accountability", headers=t["bureau"], json={**record, "jurisdiction": J2})
    assert wrong_place.status_code == 422
    not_here = await svc.client.post("/accountability", headers=t["bureau"], json={**record, "jurisdiction": "650299001"})
    assert not_here.status_code == 422 and not_here.json()["field"] == "jurisdiction"
    referred = await svc.client.post("/accountability", headers=t["bureau"], json=record)
    assert referred.status_code == 201, referred.text
    number = referred.json()["record_no"]
    assert referred.json()["status"] == "referred" and referred.json()["measure"] is None
    assert referred.json()["concerning_case"] == f"{J1}-2022-00001"
    # The bureau's own staff (the district's code) may answer for a breach anywhere in the district.
    bureau_staff = await svc.client.post("/accountability", headers=t["bureau"], json={
        **record, "jurisdiction": DISTRICT, "person": {"id": "ba-7", "name": "区局科员"}, "procedure": "bureau",
        "measure": "talk_reminder"})
    assert bureau_staff.status_code == 201
    assert [a["record_no"] for a in (await svc.client.get("/accountability", headers=t["lead1"])).json()] == [number]

    outcome = {"measure": "admonishment", "decided_on": "2022-03-16", "decided_by": "区纪委监委", "notes": "诫勉谈话"}
    assert (await svc.client.post(f"/accountability/{number}/outcome", headers=t["inspector"], json=outcome)).status_code == 403
    done = await svc.client.post(f"/accountability/{number}/outcome", headers=t["bureau"], json=outcome)
    assert done.status_code == 200 and done.json()["status"] == "concluded" and done.json()["measure_zh"] == "诫勉"
    again = await svc.client.post(f"/accountability/{number}/outcome", headers=t["bureau"], json=outcome)
    assert again.status_code == 409 and "六(二)" in again.json()["rule"]
    future = await svc.client.post(f"/accountability/{number}/outcome", headers=t["bureau"],
                                   json={**outcome, "decided_on": "2022-04-30"})
    assert future.status_code == 422
    assert (await svc.client.get(f"/accountability/{number}", headers=t["lead1"])).json()["decided_by"] == "区纪委监委"

    [concluded] = await eventually(lambda: svc.published("accountability_concluded"))
    assert concluded.payload.record_sha256 == done.json()["record_sha256"] != referred.json()["record_sha256"]
    no_personal_data_on_the_bus(await svc.published())


async def _deadline(svc, token):
    found = (await svc.client.get("/deadlines?within_working_days=30", headers=token)).json()
    return next(iter(found[J1]["due_soon"] + found[J1]["overdue"]), None)


def test_the_working_group_is_the_bureau_with_another_body():
    assert group_problem((Member("a", GroupBody.CIVIL_AFFAIRS), Member("b", GroupBody.CIVIL_AFFAIRS)))
    assert group_problem((Member("a", GroupBody.FINANCE), Member("b", GroupBody.DISCIPLINE_INSPECTION)))
    assert group_problem((Member("a", GroupBody.CIVIL_AFFAIRS), Member("b", GroupBody.AUDIT))) is None


def test_the_bureau_takes_only_its_own_measures_a_referral_may_wait():
    assert measure_problem(Procedure.BUREAU, None)
    assert measure_problem(Procedure.BUREAU, Measure.SANCTION)
    assert measure_problem(Procedure.BUREAU, Measure.ADMONISHMENT)
    assert measure_problem(Procedure.BUREAU, Measure.CIRCULATED_CRITICISM) is None
    assert measure_problem(Procedure.DISCIPLINE_INSPECTION, None) is None
    assert measure_problem(Procedure.EMPLOYER, Measure.SANCTION) is None


def test_a_person_answers_for_their_own_jurisdiction_the_bureau_for_all():
    assert basis_problem(J1, J2, DISTRICT)
    assert basis_problem(J1, J1, DISTRICT) is None
    assert basis_problem(J1, DISTRICT, DISTRICT) is None
    assert basis_problem(None, J2, DISTRICT) is None  # a petition not yet transferred, about no case


def test_findings_fit_their_inspection_and_an_outcome_is_entered_once():
    day = dt.date(2022, 3, 8)
    i = Inspection("DC-650205-2022-00001", InspectionKind.REGULAR, day, day, (J1,), (), "s", (), 0, day)
    f = Finding(i.next_finding_no(), J1, FindingKind.PROCEDURE, Severity.MINOR, "t", day)
    i = i.with_finding(f)
    assert i.next_finding_no() == "DC-650205-2022-00001-02" and inspection_of(f.finding_no) == i.inspection_no
    with pytest.raises(DomainRefusal, match="did not visit"):
        i.with_finding(Finding("x", J2, FindingKind.PROCEDURE, Severity.MINOR, "t", day))
    with pytest.raises(DomainRefusal, match="not 650205001's"):
        i.with_finding(Finding("x", J1, FindingKind.PROCEDURE, Severity.MINOR, "t", day, concerning_case=f"{J2}-2022-1"))
    a = Accountability("ZZ-1", Basis.BREACH, "e", J1, Person("inv-1", "王调查"), "f", Procedure.EMPLOYER, day, "ba-1")
    done = a.concluded(Measure.ADMONISHMENT, day, "街道党工委", "")
    assert done.sha256() != a.sha256()
    with pytest.raises(DomainRefusal, match="recorded on"):
        done.concluded(Measure.SANCTION, day, "x", "")
    with pytest.raises(DomainRefusal, match="before it was referred"):
        a.concluded(Measure.SANCTION, day - dt.timedelta(days=1), "x", "")
