"""The intake service on real PostgreSQL and JetStream, through its HTTP API."""

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select

from jiuzhu_contracts.examples import EXAMPLES, synthetic_id
from jiuzhu_devstack.testing import eventually, walk_access_matrix
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import CaseApproved, HomeVisitRecorded
from jiuzhu_runtime.db import outbox

from jiuzhu_intake.adapters.tables import applications, cases
from jiuzhu_intake.bootstrap import build

from .factories import COMMITTEE, LIUSHUJIE, URHO_TOWN


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "intake", LIUSHUJIE) as running:
        yield running


def form(**changes):
    body = {
        "category": "dibao", "area": "urban", "registration_jurisdiction": LIUSHUJIE, "address": "柳树街1号",
        "committee": COMMITTEE,
        "members": [{"name": "张三", "id_number": synthetic_id(seq="101"), "relation": "self"},
                    {"name": "张小三", "id_number": synthetic_id(born="20100515", seq="102"), "relation": "child",
                     "in_school": True}],
        "declared_monthly_income_fen": 50000, "declared_assets_fen": 0, "payment_account": "6222020000000001",
        "contact_phone": "13912345678", "reason": "失业，无固定收入", "consent_signed": True,
        "materials": [{"code": c} for c in ("application_form", "id_cards", "household_register", "income_proof",
                                            "student_certificate")],
    }
    body.update(changes)
    return body


async def counts(svc):
    async with svc.kit.sessions() as s:
        return {t.name: (await s.execute(select(func.count()).select_from(t))).scalar_one()
                for t in (applications, cases, outbox)}


async def test_complete_application_is_accepted_with_exactly_one_event(svc):
    response = await svc.client.post("/applications", json=form(), headers=svc.token("clerk"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "accepted" and body["case_id"] == "650205001-2022-00001"
    # Accepted Tuesday 2022-03-01; 10 working days → Tuesday 2022-03-15.
    assert body["investigation_due"]["due_on"] == "2022-03-15"
    accepted = await svc.published("application_accepted")
    assert len(accepted) == 1
    event = accepted[0]
    assert event.case_id == body["case_id"] and event.jurisdiction == LIUSHUJIE
    assert event.payload.investigation_due.due_on == dt.date(2022, 3, 15)
    assert event.payload.members[1].in_school and event.payload.payment_account == "6222020000000001"
    assert event.actor.role == "clerk"
    submitted = await svc.published("application_submitted")
    assert event.causation_id == submitted[0].event_id
    receipt = await svc.client.get(body["document_url"], headers=svc.token("clerk"))
    assert receipt.status_code == 200 and "社会救助申请受理回执" in receipt.text and "2022年3月15日" in receipt.text
    assert synthetic_id(seq="101") not in receipt.text


async def test_bad_request_names_every_field_and_leaves_no_trace(svc):
    bad = form(members=[{"name": "", "id_number": "650205198001010010", "relation": "self"}],
               declared_monthly_income_fen=120.5, contact_phone="12345", category="housing")
    response = await svc.client.post("/applications", json=bad, headers=svc.token("clerk"))
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"members.0.name", "members.0.id_number", "declared_monthly_income_fen", "contact_phone",
            "category"} <= fields
    assert any("check character" in e["rule"] for e in response.json()["errors"])
    assert await counts(svc) == {"applications": 0, "cases": 0, "outbox": 0}
    assert await svc.published() == []


async def test_config_problems_are_422_together_and_leave_no_trace(svc):
    bad = form(committee="别处居委会", materials=[{"code": "passport"}])
    response = await svc.client.post("/applications", json=bad, headers=svc.token("committee"))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["committee", "materials.0.code"]
    assert await counts(svc) == {"applications": 0, "cases": 0, "outbox": 0}


async def test_wrong_window_is_refused_naming_where_to_go(svc):
    response = await svc.client.post("/applications", json=form(registration_jurisdiction=URHO_TOWN),
                                     headers=svc.token("clerk"))
    assert response.status_code == 422
    assert "乌尔禾镇人民政府" in response.json()["detail"] and response.json()["go_to"] == URHO_TOWN
    assert await counts(svc) == {"applications": 0, "cases": 0, "outbox": 0}


async def test_household_with_an_open_case_is_refused_with_its_number(svc):
    first = (await svc.client.post("/applications", json=form(), headers=svc.token("clerk"))).json()
    again = form(members=[{"name": "张小三", "id_number": synthetic_id(born="20100515", seq="102"),
                           "relation": "self"}])
    response = await svc.client.post("/applications", json=again, headers=svc.token("clerk"))
    assert response.status_code == 409 and response.json()["open_case"] == first["case_id"]
    other_category = await svc.client.post("/applications", json={**again, "category": "temporary",
                                           "temporary_kind": "emergency",
                                           "materials": [{"code": c} for c in ("application_form", "id_cards",
                                                         "household_register", "hardship_statement")]},
                                           headers=svc.token("clerk"))
    assert other_category.status_code == 201, other_category.text


async def test_households_sharing_a_member_applying_at_once_open_one_case(svc):
    """Four windows hand in, at the same moment, households that all name one child: each
    application locks its members before it looks for an open case, so the first to commit opens
    the case and the other three wait for it and are refused with its number."""
    shared = {"name": "张小三", "id_number": synthetic_id(born="20100515", seq="102"), "relation": "child",
              "in_school": True}
    forms = [form(members=[{"name": f"张{i}", "id_number": synthetic_id(seq=f"1{i}1"), "relation": "self"}, shared])
             for i in range(4)]
    responses = await asyncio.gather(*(svc.client.post("/applications", json=f, headers=svc.token("clerk"))
                                       for f in forms))
    codes = sorted(r.status_code for r in responses)
    assert codes == [201, 409, 409, 409], [r.text for r in responses]
    [opened] = [r.json()["case_id"] for r in responses if r.status_code == 201]
    assert {r.json()["open_case"] for r in responses if r.status_code == 409} == {opened}
    assert (await counts(svc))["cases"] == 1


async def test_correction_notice_once_then_accepted(svc):
    incomplete = form(consent_signed=False, materials=[{"code": "application_form"},
                                                       {"code": "id_cards", "conforming": False,
                                                        "problem": "复印件不清晰"}])
    first = await svc.client.post("/applications", json=incomplete, headers=svc.token("committee"))
    assert first.status_code == 201
    notice = first.json()
    assert notice["status"] == "correction_requested" and notice["case_id"] is None
    assert {i["code"] for i in notice["items"]} == {"id_cards", "household_register", "income_proof",
                                                   "student_certificate", "consent"}
    html = await svc.client.get(notice["document_url"], headers=svc.token("clerk"))
    assert "一次性告知书" in html.text and "户口簿" in html.text and "复印件不清晰" in html.text
    [requested] = await svc.published("correction_requested")
    assert requested.payload.notice_no == notice["notice_no"] and len(requested.payload.items) == 5
    assert await svc.published("application_accepted") == []

    back = await svc.client.post(f"/applications/{notice['application_id']}/resubmissions", json=form(),
                                 headers=svc.token("clerk"))
    assert back.status_code == 200 and back.json()["status"] == "accepted"
    twice = await svc.client.post(f"/applications/{notice['application_id']}/resubmissions", json=form(),
                                  headers=svc.token("clerk"))
    assert twice.status_code == 409


async def test_second_demand_for_an_unlisted_item_is_refused(svc):
    first = (await svc.client.post("/applications", json=form(materials=[{"code": "application_form"},
                                                                          {"code": "id_cards"}]),
                                   headers=svc.token("clerk"))).json()
    relisted = form(materials=[{"code": "application_form"}, {"code": "id_cards", "conforming": False,
                                                              "problem": "过期"}]
                    + [{"code": i["code"]} for i in first["items"]])
    response = await svc.client.post(f"/applications/{first['application_id']}/resubmissions", json=relisted,
                                     headers=svc.token("clerk"))
    assert response.status_code == 409 and "一次性告知" in response.json()["rule"]
    assert len(await svc.published("correction_requested")) == 1


async def test_close_relative_is_flagged_on_the_accepted_event(svc):
    child = synthetic_id(born="20100515", seq="102")
    reg = await svc.client.post("/close-relatives", headers=svc.token("leader"), json={
        "staff_id": "clerk-9", "staff_name": "刘窗口", "relative_name": "张小三", "relative_id_number": child,
        "relation": "grandchild"})
    assert reg.status_code == 201
    bad = await svc.client.post("/close-relatives", headers=svc.token("leader"), json={
        "staff_id": "clerk-9", "staff_name": "刘窗口", "relative_name": "某", "relative_id_number": child,
        "relation": "neighbour"})
    assert bad.status_code == 422 and bad.json()["field"] == "relation"
    body = (await svc.client.post("/applications", json=form(), headers=svc.token("clerk"))).json()
    assert body["close_relative"] is True
    [accepted] = await svc.published("application_accepted")
    assert accepted.payload.close_relative.staff_ids == ("clerk-9",)


async def test_projection_follows_the_case_and_withdrawal_stops_at_the_decision(svc):
    case_id = (await svc.client.post("/applications", json=form(), headers=svc.token("clerk"))).json()["case_id"]
    inv = Actor(id="inv-1", role="investigator", name="王调查")
    visit = next(e for e in EXAMPLES if isinstance(e, HomeVisitRecorded))
    visited = Envelope.wrap(visit, district="650205", jurisdiction=LIUSHUJIE, actor=inv,
                            occurred_at=svc.kit.clock.now(), case_id=case_id)
    await svc.publish(visited)
    await svc.publish(visited)  # a redelivery changes nothing

    async def stage_is(stage, events=0):
        body = (await svc.client.get(f"/cases/{case_id}", headers=svc.token("clerk"))).json()
        return body if body["stage"] == stage and len(body["timeline"]) >= events else None

    # Our own application_accepted is relayed to the bus and may arrive after the visit we publish here.
    body = await eventually(lambda: stage_is("under_review", events=2))
    assert [t["event_type"] for t in body["timeline"]] == ["application_accepted", "home_visit_recorded"]
    assert body["dues"]["review"]["clock"] == "review"
    sent = form()
    assert body["address"] == sent["address"]
    assert [(m["name"], m["relation"], m["id_number"]) for m in body["members"]] == [
        (m["name"], m["relation"], m["id_number"]) for m in sent["members"]]
    listed = (await svc.client.get("/cases", headers=svc.token("clerk"))).json()
    assert [c["members"] for c in listed if c["case_id"] == case_id] == [[]], "the list does not carry households"

    approved = next(e for e in EXAMPLES if isinstance(e, CaseApproved))
    leader = Actor(id="lead-1", role="leader", name="孙主任")
    await svc.publish(Envelope.wrap(approved, district="650205", jurisdiction=LIUSHUJIE, actor=leader,
                                    occurred_at=svc.kit.clock.now(), case_id=case_id))
    await eventually(lambda: stage_is("approved"))
    late = await svc.client.post(f"/cases/{case_id}/withdrawal", json={"reason": "找到工作"},
                                 headers=svc.token("clerk"))
    assert late.status_code == 409 and "until the decision" in late.json()["detail"]


async def test_withdrawal_before_the_decision(svc):
    case_id = (await svc.client.post("/applications", json=form(), headers=svc.token("clerk"))).json()["case_id"]
    response = await svc.client.post(f"/cases/{case_id}/withdrawal", json={"reason": "找到工作"},
                                     headers=svc.token("clerk"))
    assert response.status_code == 200
    [withdrawn] = await svc.published("application_withdrawn")
    assert withdrawn.case_id == case_id and withdrawn.payload.reason == "找到工作"
    # The household may apply again once its case is closed.
    again = await svc.client.post("/applications", json=form(), headers=svc.token("clerk"))
    assert again.status_code == 201


async def test_every_endpoint_refuses_wrong_roles_and_jurisdictions(svc):
    checked = await walk_access_matrix(svc, other_jurisdiction=URHO_TOWN)
    assert checked > 50


async def test_the_application_example_in_the_api_docs_is_accepted_as_it_stands(svc):
    spec = (await svc.client.get("/openapi.json")).json()
    [example] = spec["components"]["schemas"]["ApplicationIn"]["examples"]
    response = await svc.client.post("/applications", json=example, headers=svc.token("clerk"))
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "accepted"
