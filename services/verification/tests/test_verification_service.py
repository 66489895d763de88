"""accepted → home visit → household data → check report (simulator) → signed review, on real
PostgreSQL and JetStream; redelivered incoming events change nothing."""

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest

from jiuzhu_contracts.envelope import Actor, Envelope, new_event_id
from jiuzhu_contracts.examples import EXAMPLES, MEMBERS
from jiuzhu_contracts.events import ApplicationAccepted, PublicityClosed
from jiuzhu_devstack.testing import eventually

from jiuzhu_verification.bootstrap import build
from jiuzhu_verification.check_centre_simulator import CheckCentreSimulator, TokenSource

J, CASE = "650205001", "650205001-2022-00001"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "verification", J) as running:
        yield running


def accepted_envelope(svc, *, close_relative=None):
    example = next(e for e in EXAMPLES if isinstance(e, ApplicationAccepted))
    payload = example.model_copy(update={"close_relative": close_relative})
    return Envelope.wrap(payload, district="650205", jurisdiction=J, actor=Actor(id="c1", role="clerk", name="窗口"),
                         occurred_at=svc.kit.clock.now(), case_id=CASE)


async def redeliver(svc, env):
    """The same event again, under a new message id: what a redelivery past the dedupe window looks like."""
    from jiuzhu_contracts import encode
    from jiuzhu_contracts.subjects import event_subject, events_stream

    from jiuzhu_devstack.testing import producer_instance

    subject, body = event_subject(env.district, env.jurisdiction, env.event_type, svc.prefix), encode(env)
    signature = svc.credentials.signer(producer_instance(env)).headers(subject, body)
    await svc.js.publish(subject, body, headers={"Nats-Msg-Id": new_event_id(), **signature},
                         stream=events_stream(svc.prefix))


async def check_centre_until(svc, sim, condition) -> None:
    """Run the check centre against ``svc``, as its own NATS user, until ``condition`` holds."""
    task = asyncio.create_task(sim.run(svc.kit.settings.nats_url, svc.prefix, "650205", client=svc.client,
                                       connect_options=svc.credentials.connect_options("check-centre"),
                                       verifier=svc.credentials.verifier(svc.prefix)))
    try:
        await eventually(condition)
    finally:
        task.cancel()


async def case_state(svc):
    r = await svc.client.get(f"/cases/{CASE}", headers=svc.token("investigator"))
    return r.json() if r.status_code == 200 else None


async def test_accepted_to_signed_review_with_the_check_centre(svc):
    accepted = accepted_envelope(svc)
    await svc.publish(accepted)
    await eventually(lambda: case_state(svc))
    tasks = (await svc.client.get("/tasks", headers=svc.token("investigator"))).json()
    assert [(t["case_id"], t["clock"], t["due_on"], t["check_report_received"]) for t in tasks] == \
        [(CASE, "investigation", "2022-03-15", False)]

    inv_a = svc.token("investigator", who="inv-a", name="王调查")
    visit = await svc.client.post(f"/cases/{CASE}/home-visit", headers=inv_a, json={
        "visited_on": "2022-03-01", "partner": {"id": "inv-b", "name": "李调查"}, "living_conditions": "租住单间",
        "findings": "与申报一致", "household_signed": True})
    assert visit.status_code == 200, visit.text
    assert visit.json()["review_due"]["due_on"] == "2022-03-08"  # Tuesday + 5 working days

    early = await svc.client.post(f"/cases/{CASE}/review", headers=svc.token("reviewer", who="rev-1"),
                                  json={"eligible": True, "proposed_amount_fen": 1})
    assert early.status_code == 409 and "report" in early.json()["rule"]

    members = [m.model_dump(mode="json") for m in MEMBERS]
    household = await svc.client.post(f"/cases/{CASE}/household", headers=inv_a, json={
        "members": members, "incomes": [{"kind": "wages", "monthly_fen": 50000}],
        "assets": [{"kind": "deposit", "value_fen": 200000}, {"kind": "housing", "value_fen": 9000000,
                                                             "exempt": True}]})
    assert household.status_code == 200, household.text

    records = json.loads((ROOT / "config" / "check-centre-sample.json").read_text())
    # The centre starts with a token that has expired (a 401): it must fetch a new one and deliver,
    # not acknowledge the request as if it had answered it.
    expired = svc.credentials.issuer().mint(sub="check-centre", name="核对中心", roles=["check_centre"],
                                            jurisdiction="650205", district="650205", ttl=dt.timedelta(seconds=-60))
    minted = iter([expired])
    tokens = TokenSource(lambda: next(minted, None) or svc.token("check_centre", jurisdiction="650205")
                         ["Authorization"].removeprefix("Bearer "))
    sim = CheckCentreSimulator(records, {J: "http://svc"}, tokens)
    await check_centre_until(svc, sim, lambda: sim.answered)
    assert tokens.fetched == 2 and sim.dead_lettered == 0
    state = await case_state(svc)
    assert state["check_report"]["monthly_income_fen"] == 60000  # the centre found more than declared
    tasks = (await svc.client.get("/tasks", headers=svc.token("investigator"))).json()
    assert [(t["case_id"], t["check_report_received"]) for t in tasks] == [(CASE, True)]  # the worklist shows it

    reviewer = svc.token("reviewer", who="rev-1", name="赵审核")
    computed = (await svc.client.get(f"/cases/{CASE}/computation", headers=reviewer)).json()
    # 2 people, income max(500, 600) = 600 元: 900 × 2 − 600 = 1,200 元
    assert computed["eligible"] and computed["amount_fen"] == 120000
    by_investigator = await svc.client.post(f"/cases/{CASE}/review", json={"eligible": True,
                                            "proposed_amount_fen": 120000},
                                            headers=svc.token("reviewer", "investigator", who="inv-b"))
    assert by_investigator.status_code == 403
    signed = await svc.client.post(f"/cases/{CASE}/review", headers=reviewer,
                                   json={"eligible": True, "proposed_amount_fen": 120000})
    assert signed.status_code == 200, signed.text

    for event_type in ("home_visit_recorded", "household_recorded", "economic_check_requested",
                       "economic_check_reported", "review_signed"):
        assert len(await svc.published(event_type)) == 1, event_type
    [review] = await svc.published("review_signed")
    assert review.payload.proposed_amount_fen == 120000 and review.payload.reviewer.id == "rev-1"
    assert [s.id for s in review.payload.investigators] == ["inv-a", "inv-b"]

    # Redelivered incoming events change nothing.
    before = await case_state(svc)
    await redeliver(svc, accepted)
    objected = Envelope.wrap(PublicityClosed(notice_no="GS-1", round=1, closed_on=before["reviewed_on"],
                                             outcome="objected", objection_ids=("obj-1",),
                                             decision_due=next(e for e in EXAMPLES
                                                               if isinstance(e, PublicityClosed)).decision_due),
                             district="650205", jurisdiction=J, actor=Actor(id="system", role="system", name="j"),
                             occurred_at=svc.kit.clock.now(), case_id=CASE)
    await svc.publish(objected)
    await redeliver(svc, objected)
    await redeliver(svc, accepted)
    consumer = svc.kit.consumers[0]
    # The three copies are recorded as duplicates (dead-lettered with that reason), never applied.
    await eventually(lambda: consumer.processed >= 2 and consumer.dead_lettered >= 3)
    await asyncio.sleep(0.3)
    after = await case_state(svc)
    assert after["status"] == "reinvestigating"
    assert {k: v for k, v in after.items() if k not in ("status", "reinvestigation")} == {
        k: v for k, v in before.items() if k not in ("status", "reinvestigation")}
    [reopened] = await svc.published("reinvestigation_opened")
    # Closed Tuesday 2022-03-01; 15 − 7 (re-publicity) − 3 (decision) = 5 working days → 2022-03-08.
    assert reopened.payload.due.due_on.isoformat() == "2022-03-08"


async def test_refusal_to_cooperate_deems_the_application_withdrawn(svc):
    await svc.publish(accepted_envelope(svc))
    await eventually(lambda: case_state(svc))
    r = await svc.client.post(f"/cases/{CASE}/refusal-to-cooperate", headers=svc.token("investigator"),
                              json={"circumstances": "两次拒绝入户"})
    assert r.status_code == 200
    assert len(await svc.published("application_deemed_withdrawn")) == 1
    again = await svc.client.post(f"/cases/{CASE}/home-visit", headers=svc.token("investigator"), json={
        "visited_on": "2022-03-01", "partner": {"id": "inv-b", "name": "李"}, "living_conditions": "无人应门",
        "findings": "拒绝调查", "household_signed": False})
    assert again.status_code == 409


async def test_recused_staff_member_gets_403_naming_the_rule(svc):
    from jiuzhu_contracts.events.intake import CloseRelativeFlag

    flag = CloseRelativeFlag(staff_ids=("inv-kin",), member_id_numbers=(MEMBERS[1].id_number,),
                             relations=("grandchild",))
    await svc.publish(accepted_envelope(svc, close_relative=flag))
    await eventually(lambda: case_state(svc))
    r = await svc.client.post(f"/cases/{CASE}/home-visit", headers=svc.token("investigator", who="inv-kin"), json={
        "visited_on": "2022-03-01", "partner": {"id": "inv-b", "name": "李"}, "living_conditions": "无人应门",
        "findings": "拒绝调查", "household_signed": True})
    assert r.status_code == 403 and "D21 art. 11" in r.json()["rule"]
    partner = await svc.client.post(f"/cases/{CASE}/home-visit", headers=svc.token("investigator", who="inv-a"),
                                    json={"visited_on": "2022-03-01", "partner": {"id": "inv-kin", "name": "亲"},
                                          "living_conditions": "无人应门", "findings": "拒绝调查", "household_signed": True})
    assert partner.status_code == 403


async def test_a_close_relative_flagged_after_acceptance_recuses_the_staff_member(svc):
    from jiuzhu_contracts.events import CloseRelativeFlagged
    from jiuzhu_contracts.events.intake import CloseRelativeFlag

    await svc.publish(accepted_envelope(svc))
    await eventually(lambda: case_state(svc))
    flag = CloseRelativeFlag(staff_ids=("inv-kin",), member_id_numbers=(MEMBERS[1].id_number,), relations=("child",))
    await svc.publish(Envelope.wrap(CloseRelativeFlagged(flagged_on=dt.date(2022, 3, 2), close_relative=flag),
                                    district="650205", jurisdiction=J, actor=Actor(id="lead-1", role="leader",
                                                                                   name="孙主任"),
                                    occurred_at=svc.kit.clock.now(), case_id=CASE))

    async def recused():
        state = await case_state(svc)
        return "inv-kin" in state["recused"]
    await eventually(recused)
    visit = {"visited_on": "2022-03-01", "living_conditions": "租住", "findings": "属实", "household_signed": True}
    r = await svc.client.post(f"/cases/{CASE}/home-visit", headers=svc.token("investigator", who="inv-kin"),
                              json={**visit, "partner": {"id": "inv-b", "name": "李"}})
    assert r.status_code == 403 and "D21 art. 11" in r.json()["rule"]
    partner = await svc.client.post(f"/cases/{CASE}/home-visit", headers=svc.token("investigator", who="inv-a"),
                                    json={**visit, "partner": {"id": "inv-kin", "name": "亲"}})
    assert partner.status_code == 403


async def test_every_endpoint_refuses_wrong_roles_and_jurisdictions(svc):
    from jiuzhu_devstack.testing import walk_access_matrix

    assert await walk_access_matrix(svc, other_jurisdiction="650205100") > 50


async def test_text_that_postgresql_cannot_store_is_a_422_not_a_500(svc):
    await svc.publish(accepted_envelope(svc))
    await eventually(lambda: case_state(svc))
    for minutes in ("\\u0000", "\\ud800"):  # JSON escapes: a NUL, an unpaired surrogate
        body = ('{"held_on": "2022-03-02", "participants": ["主任"], "result": "supports", '
                f'"minutes": "记录{minutes}截断"}}').encode()
        r = await svc.client.post(f"/cases/{CASE}/democratic-appraisal", content=body,
                                  headers=svc.token("investigator") | {"Content-Type": "application/json"})
        assert r.status_code == 422, r.text
        if minutes == "\\u0000":  # reaches PostgreSQL, which refuses it; the transaction rolls back
            assert "NUL" in r.json()["rule"]
        else:  # refused by validation, naming the field
            assert r.json()["errors"][0]["field"] == "minutes"
    state = await case_state(svc)
    assert state["appraisal"] is None  # nothing half-written


async def test_the_check_centre_never_acknowledges_a_report_it_could_not_deliver(svc):
    """A request the API refuses for good (here: no such open request, 404) is dead-lettered with the
    reason, where oversight shows it — not acknowledged as if it had been answered."""
    from jiuzhu_contracts.events import EconomicCheckRequested
    from jiuzhu_contracts.subjects import dead_letter_stream

    example = next(e for e in EXAMPLES if isinstance(e, EconomicCheckRequested))
    stray = Envelope.wrap(example.model_copy(update={"request_id": "no-such-request"}), district="650205",
                          jurisdiction=J, actor=Actor(id="inv", role="investigator", name="调查"),
                          occurred_at=svc.kit.clock.now(), case_id=CASE)
    await svc.publish(stray)
    tokens = TokenSource(lambda: svc.token("check_centre", jurisdiction="650205")["Authorization"][7:])
    sim = CheckCentreSimulator({}, {J: "http://svc"}, tokens)
    await check_centre_until(svc, sim, lambda: sim.dead_lettered)
    assert sim.answered == 0
    sub = await svc.js.pull_subscribe(f"{svc.prefix}.dlq.>", stream=dead_letter_stream(svc.prefix))
    [dead] = await sub.fetch(1, timeout=5)
    assert dead.headers["Jz-Consumer"] == "check-centre-650205"
    assert "404" in dead.headers["Jz-Dead-Letter-Reason"] and "no-such-request" in dead.headers["Jz-Dead-Letter-Reason"]
