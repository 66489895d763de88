"""Applications waiting for the household to bring what the one-time notice listed (plan 五(一)):
the window's list of them, and one application read back in the shape it was submitted in."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.examples import synthetic_id

from jiuzhu_intake.bootstrap import build

from .factories import LIUSHUJIE
from .test_intake_service import form

DISTRICT = "650205"


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "intake", LIUSHUJIE) as running:
        yield running


def household(seq: str, name: str):
    """A one-person household (the applicant alone: no student certificate needed)."""
    return [{"name": name, "id_number": synthetic_id(seq=seq), "relation": "self"}]


INCOMPLETE = [{"code": "application_form"}, {"code": "id_cards", "conforming": False, "problem": "复印件不清晰"}]
COMPLETE = [{"code": c} for c in ("application_form", "id_cards", "household_register", "income_proof")]


def on(day: int) -> dt.datetime:
    return dt.datetime(2022, 3, day, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


async def submit(svc, body, role="clerk"):
    response = await svc.client.post("/applications", json=body, headers=svc.token(role))
    assert response.status_code == 201, response.text
    return response.json()


async def awaiting(svc, headers=None):
    response = await svc.client.get("/applications", params={"status": "awaiting_correction"},
                                    headers=headers or svc.token("clerk"))
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_list_holds_open_notices_oldest_first_with_what_they_listed(svc):
    assert await awaiting(svc) == []
    svc.kit.clock.set(on(3))  # the later notice is issued first: the order is the notices' dates
    later = await submit(svc, form(members=household("201", "李后"), materials=[{"code": "application_form"}]))
    svc.kit.clock.set(on(1))
    earlier = await submit(svc, form(members=household("202", "王先"), consent_signed=False, materials=INCOMPLETE),
                           role="committee")
    accepted = await submit(svc, form(members=household("203", "赵齐"), materials=COMPLETE))
    assert accepted["status"] == "accepted"

    listed = await awaiting(svc)
    assert [a["application_id"] for a in listed] == [earlier["application_id"], later["application_id"]]
    first = listed[0]
    assert (first["applicant_name"], first["category"], first["committee"], first["household_size"]) == (
        "王先", "dibao", form()["committee"], 1)
    notice = first["notice"]
    assert notice["notice_no"] == earlier["notice_no"] and notice["issued_on"] == "2022-03-01"
    assert {i["code"] for i in notice["items"]} == {"id_cards", "household_register", "income_proof", "consent"}
    assert any("复印件不清晰" in i["reason"] for i in notice["items"])
    assert notice["due_on"] is None and "未设补正期限" in notice["due_rule"]  # plan 五(一) sets no period
    assert notice["document_url"] == f"/applications/{earlier['application_id']}/correction-notice"
    assert listed[1]["notice"]["issued_on"] == "2022-03-03" and first["submissions"] == 1

    # The committee and the district's readers see the same list; a resubmission that completes the
    # application takes it off.
    assert await awaiting(svc, svc.token("committee")) == listed
    assert await awaiting(svc, svc.token("inspector", jurisdiction=DISTRICT)) == listed
    back = await svc.client.post(f"/applications/{earlier['application_id']}/resubmissions",
                                 json=form(members=household("202", "王先"), materials=COMPLETE),
                                 headers=svc.token("clerk"))
    assert back.json()["status"] == "accepted"
    assert [a["application_id"] for a in await awaiting(svc)] == [later["application_id"]]


async def test_a_partial_resubmission_stays_on_the_list_with_the_one_notice(svc):
    first = await submit(svc, form(members=household("204", "钱半"), materials=[{"code": "application_form"}]))
    partly = form(members=household("204", "钱半"), materials=[{"code": "application_form"}, {"code": "id_cards"}])
    again = await svc.client.post(f"/applications/{first['application_id']}/resubmissions", json=partly,
                                  headers=svc.token("clerk"))
    assert again.json()["status"] == "correction_requested"
    [still] = await awaiting(svc)
    assert still["submissions"] == 2
    assert still["notice"]["notice_no"] == first["notice_no"], "the one-time notice is the first one"
    assert {i["code"] for i in still["notice"]["items"]} == {"id_cards", "household_register", "income_proof"}


async def test_an_application_reads_back_as_the_body_it_was_submitted_with(svc):
    sent = form(consent_signed=False, materials=INCOMPLETE, emergency_jurisdiction=None, temporary_kind=None)
    sent["members"][0] |= {"disabled": True, "able_to_work": False}
    notice = await submit(svc, sent)
    response = await svc.client.get(f"/applications/{notice['application_id']}", headers=svc.token("clerk"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["case_id"], body["submissions"]) == ("awaiting_correction", None, 1)
    assert body["notice"]["notice_no"] == notice["notice_no"] and body["notice"]["due_on"] is None
    content = body["content"]
    defaults = {"disabled": False, "in_school": False, "seriously_ill": False, "able_to_work": None}
    assert content["members"] == [defaults | m for m in sent["members"]]
    assert content["materials"] == [{"code": "application_form", "conforming": True, "problem": None},
                                    {"code": "id_cards", "conforming": False, "problem": "复印件不清晰"}]
    assert {k: v for k, v in content.items() if k not in ("members", "materials")} == {
        k: v for k, v in sent.items() if k not in ("members", "materials")}

    # The same body, with the materials now brought, is a resubmission the service accepts.
    fixed = content | {"consent_signed": True, "materials": [{"code": c} for c in (
        "application_form", "id_cards", "household_register", "income_proof", "student_certificate",
        "disability_certificate")]}
    back = await svc.client.post(f"/applications/{notice['application_id']}/resubmissions", json=fixed,
                                 headers=svc.token("clerk"))
    assert back.status_code == 200 and back.json()["status"] == "accepted", back.text
    after = (await svc.client.get(f"/applications/{notice['application_id']}", headers=svc.token("committee"))).json()
    assert (after["status"], after["case_id"], after["submissions"]) == ("accepted", back.json()["case_id"], 2)
    assert after["content"]["consent_signed"] is True


async def test_an_unknown_application_is_404_and_the_status_is_checked(svc):
    missing = await svc.client.get("/applications/APP-NOSUCH", headers=svc.token("clerk"))
    assert missing.status_code == 404
    assert missing.json()["rule"] == "exists" and "APP-NOSUCH" in missing.json()["detail"]
    other = await svc.client.get("/applications", params={"status": "accepted"}, headers=svc.token("clerk"))
    assert other.status_code == 422
    unnamed = await svc.client.get("/applications", headers=svc.token("clerk"))
    assert unnamed.status_code == 422
