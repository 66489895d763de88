"""Temporary assistance at the window (issue 16 item 1): the kind on the application, the
expenditure kind's income condition, and one open temporary case at a time — a new one once the
previous is paid and closed."""


import pytest

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import CaseApproved, HomeVisitRecorded, TemporaryAssistancePaid
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_devstack.testing import eventually

from jiuzhu_intake.bootstrap import build
from jiuzhu_intake.domain.case_stage import next_stage

from .factories import LIUSHUJIE
from .test_intake_service import form


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "intake", LIUSHUJIE) as running:
        yield running


def temporary(**changes):
    return form(**{"category": "temporary", "temporary_kind": "emergency",
                   "materials": [{"code": c} for c in ("application_form", "id_cards", "household_register",
                                                       "student_certificate", "hardship_statement")], **changes})


async def test_a_temporary_application_states_its_kind_and_only_it_does(svc):
    clerk = svc.token("clerk")
    missing = await svc.client.post("/applications", json=temporary(temporary_kind=None), headers=clerk)
    assert missing.status_code == 422 and missing.json()["field"] == "temporary_kind"
    assert "L18 §1(二)" in missing.json()["rule"]
    dibao_with_kind = await svc.client.post("/applications", json=form(temporary_kind="emergency"), headers=clerk)
    assert dibao_with_kind.status_code == 422 and dibao_with_kind.json()["field"] == "temporary_kind"
    ok = await svc.client.post("/applications", json=temporary(), headers=clerk)
    assert ok.status_code == 201, ok.text
    [accepted] = await svc.published("application_accepted")
    assert accepted.payload.temporary_kind == "emergency"
    assert (await svc.client.get(f"/applications/{ok.json()['application_id']}",
                                 headers=clerk)).json()["content"]["temporary_kind"] == "emergency"


async def test_an_expenditure_household_earns_below_the_prior_year_disposable_income(svc):
    # Two persons; 2021 urban disposable income 50,000 元 a year each (config/urho.toml, placeholder).
    rich = temporary(temporary_kind="expenditure", declared_monthly_income_fen=900_000)  # 108,000 元 a year
    refused = await svc.client.post("/applications", json=rich, headers=svc.token("clerk"))
    assert refused.status_code == 422 and refused.json()["field"] == "declared_monthly_income_fen"
    assert "L18 §1(二)2" in refused.json()["rule"]
    ok = await svc.client.post("/applications", json=temporary(temporary_kind="expenditure",
                                                               declared_monthly_income_fen=800_000),
                               headers=svc.token("clerk"))
    assert ok.status_code == 201, ok.text


async def test_the_next_temporary_application_waits_until_the_previous_is_paid(svc):
    clerk = svc.token("clerk")
    case_id = (await svc.client.post("/applications", json=temporary(), headers=clerk)).json()["case_id"]
    again = await svc.client.post("/applications", json=temporary(), headers=clerk)
    assert again.status_code == 409 and again.json()["open_case"] == case_id

    leader = Actor(id="lead-1", role="leader", name="孙主任")
    approved = next(e for e in EXAMPLES if isinstance(e, CaseApproved))
    await svc.publish(Envelope.wrap(approved.model_copy(update={"assist_first": True}), district="650205",
                                    jurisdiction=LIUSHUJIE, actor=leader, occurred_at=svc.kit.clock.now(),
                                    case_id=case_id))

    async def stage_is(stage, events=0):
        body = (await svc.client.get(f"/cases/{case_id}", headers=clerk)).json()
        return body if body["stage"] == stage and len(body["timeline"]) >= events else None

    await eventually(lambda: stage_is("approved", events=2))
    # The means check completed afterwards does not move an approved case back.
    visit = next(e for e in EXAMPLES if isinstance(e, HomeVisitRecorded))
    await svc.publish(Envelope.wrap(visit, district="650205", jurisdiction=LIUSHUJIE,
                                    actor=Actor(id="inv-1", role="investigator", name="王调查"),
                                    occurred_at=svc.kit.clock.now(), case_id=case_id))
    await eventually(lambda: stage_is("approved", events=3))
    still_open = await svc.client.post("/applications", json=temporary(), headers=clerk)
    assert still_open.status_code == 409 and still_open.json()["open_case"] == case_id

    finance = Actor(id="disbursement", role="system", name="disbursement")
    paid = TemporaryAssistancePaid(paid_on=svc.kit.clock.today(), amount_fen=270_000, tranches=1,
                                   batches=("LS-650205-1",))
    await svc.publish(Envelope.wrap(paid, district="650205", jurisdiction=LIUSHUJIE, actor=finance,
                                    occurred_at=svc.kit.clock.now(), case_id=case_id))
    body = await eventually(lambda: stage_is("closed", events=4))
    assert body["timeline"][-1]["label"] == "临时救助已全部发放，案件办结"
    second = await svc.client.post("/applications", json=temporary(), headers=clerk)
    assert second.status_code == 201, second.text
    assert second.json()["case_id"] != case_id
    # …and a dibao case of the household is not affected by the temporary one's state.
    withdraw_late = await svc.client.post(f"/cases/{case_id}/withdrawal", json={"reason": "撤回"}, headers=clerk)
    assert withdraw_late.status_code == 409


def test_an_approved_case_is_not_moved_back_by_the_steps_completed_afterwards():
    for event in ("home_visit_recorded", "review_signed", "publicity_opened", "publicity_closed"):
        assert next_stage("approved", event) == "approved"
    assert next_stage("approved", "temporary_assistance_paid") == "closed"
    assert next_stage("closed", "publicity_closed") == "closed"
    assert next_stage("investigating", "home_visit_recorded") == "under_review"
