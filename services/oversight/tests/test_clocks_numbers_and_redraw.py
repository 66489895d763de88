"""Oversight's clocks close on either outcome of a decision; document numbers are race-free; a
spot-check redraw uses the share the sample was drawn with; a close relative registered after
acceptance is on the audit chain and marks the case (real PostgreSQL and JetStream)."""

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_contracts.events import (
    ApplicationAccepted,
    CaseApproved,
    CaseFiled,
    CaseRefused,
    CloseRelativeFlagged,
    CloseRelativeRegistered,
    PublicityClosed,
    RefusalNoticeIssued,
    ReviewSigned,
)
from jiuzhu_devstack.testing import eventually

from jiuzhu_oversight.bootstrap import build
from jiuzhu_oversight.service_layer import supervision
from jiuzhu_oversight.service_layer.context import Oversight

TZ = ZoneInfo("Asia/Shanghai")
J1, J2 = "650205001", "650205100"
D = dt.date(2022, 3, 2)
LEADER = Actor(id="lead-1", role="leader", name="孙主任")


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "oversight", None) as running:
        yield running


def example(cls, **changes):
    return next(e for e in EXAMPLES if isinstance(e, cls)).model_copy(update=changes)


def env(payload, case_id, jurisdiction=J1, actor=LEADER):
    return Envelope.wrap(payload, district="650205", jurisdiction=jurisdiction, actor=actor,
                         occurred_at=dt.datetime(2022, 3, 2, 9, tzinfo=TZ), case_id=case_id)


async def at(svc, day):
    now = dt.datetime.combine(day, dt.time(9), TZ)
    svc.kit.clock.set(now)
    await svc.kit.tick(now)


def inspector(svc):
    return svc.token("inspector", jurisdiction="650205", who="ins-1", name="周督查")


async def clocks_of(svc, case_id):
    r = await svc.client.get(f"/cases/{case_id}", headers=svc.token("inspector", jurisdiction="650205"))
    return {c["clock"]: c["state"] for c in r.json()["clocks"]} if r.status_code == 200 else {}


async def test_a_decision_clock_is_closed_by_an_approval_or_a_refusal_and_never_breached(svc):
    approved, refused = f"{J1}-2022-00001", f"{J1}-2022-00002"
    for case_id in (approved, refused):
        await svc.publish(env(example(ApplicationAccepted, close_relative=None), case_id))
    # Clean publicity → decision due 3-4 → approved on 3-2.
    await svc.publish(env(example(PublicityClosed), approved))
    await svc.publish(env(example(CaseApproved, decided_on=D), approved))
    # Ineligible review → decision due 3 working days later → refused; its notice delivered.
    await svc.publish(env(example(ReviewSigned, eligible=False, computed_eligible=False), refused))
    await svc.publish(env(example(CaseRefused, decided_on=D), refused))
    await svc.publish(env(example(RefusalNoticeIssued, delivered_on=D), refused))

    async def settled():
        a, r = await clocks_of(svc, approved), await clocks_of(svc, refused)
        return a.get("decision") == "met" and r.get("decision") == "met" and r.get("refusal_notice") == "met"
    await eventually(settled)
    await at(svc, dt.date(2022, 3, 10))  # past every decision's due day; before the investigations'
    assert await svc.published("deadline_breached") == []


async def test_two_rectification_orders_at_once_get_distinct_numbers(svc):
    def order(n):
        return svc.client.post("/rectifications", headers=inspector(svc), json={
            "jurisdiction": J2, "kind": "missed_coverage", "findings": f"举报电话反映第{n}户应保未保"})
    first, second = await asyncio.gather(order(1), order(2))
    assert (first.status_code, second.status_code) == (201, 201), (first.text, second.text)
    numbers = {first.json()["order_no"], second.json()["order_no"]}
    assert numbers == {"ZG-650205-2022-00001", "ZG-650205-2022-00002"}
    third = await order(3)
    assert third.json()["order_no"] == "ZG-650205-2022-00003"


async def _drawn(svc, n):
    for i in range(n):
        await svc.publish(env(example(CaseFiled, filed_on=dt.date(2022, 3, 20)), f"{J1}-2022-{i:05d}"))

    async def all_filed():
        async with svc.kit.sessions() as s:
            return (await s.execute(text("SELECT count(*) FROM filings"))).scalar_one() == n
    await eventually(all_filed)
    [drawn] = (await svc.client.post("/spot-checks/draw", json={"month": "2022-03"}, headers=inspector(svc))).json()
    return drawn


async def test_two_spot_check_feedbacks_at_once_get_distinct_document_numbers(svc):
    drawn = await _drawn(svc, 10)
    first, second = [d["case_id"] for d in drawn["drawn"][:2]]

    def findings(case_id):
        return svc.client.post(f"/spot-checks/{case_id}/findings", headers=inspector(svc), json={
            "target_correct": True, "procedure_followed": True, "materials_complete": True, "feedback": "规范"})
    a, b = await asyncio.gather(findings(first), findings(second))
    assert (a.status_code, b.status_code) == (200, 200), (a.text, b.text)
    assert {a.json()["document_no"], b.json()["document_no"]} == {"CC-650205-2022-00001", "CC-650205-2022-00002"}


async def test_a_redraw_uses_the_share_stored_with_the_sample_not_todays_configuration(svc):
    drawn = await _drawn(svc, 10)
    assert drawn["required"] == 3  # 30 % of 10
    # The operator raises the share to 50 % afterwards; the March sample was drawn at 30 %.
    raised = Oversight(config=svc.kit.config.model_copy(update={"spot_check_share": 0.5}), calendar=svc.kit.calendar,
                       clock=svc.kit.clock, unit_of_work=svc.kit.unit_of_work)
    redraw = await supervision.redraw(raised, J1, "2022-03")
    assert redraw["same"] is True and redraw["share"] == "3/10" and redraw["share_recorded"] is True
    assert len(redraw["redrawn"]) == 3


async def test_a_late_close_relative_is_on_the_audit_chain_and_forces_the_filed_case_into_the_sample(svc):
    kin_case = f"{J1}-2022-00004"
    await svc.publish(env(example(ApplicationAccepted, close_relative=None), kin_case))
    registration = Envelope.wrap(example(CloseRelativeRegistered), district="650205", jurisdiction=J1, actor=LEADER,
                                 occurred_at=dt.datetime(2022, 3, 21, 9, tzinfo=TZ))
    await svc.publish(registration)
    await svc.publish(Envelope.wrap(example(CloseRelativeFlagged), district="650205", jurisdiction=J1, actor=LEADER,
                                    occurred_at=dt.datetime(2022, 3, 21, 9, tzinfo=TZ), case_id=kin_case,
                                    caused_by=registration))

    async def marked():
        r = await svc.client.get(f"/cases/{kin_case}", headers=svc.token("inspector", jurisdiction="650205"))
        return r.status_code == 200 and r.json()["close_relative"]
    await eventually(marked)
    async with svc.kit.sessions() as s:
        chained = (await s.execute(text("SELECT event_type, jurisdiction, case_id FROM audit_log "
                                        "WHERE event_id = :e"), {"e": registration.event_id})).first()
    assert tuple(chained) == ("close_relative_registered", J1, None)

    # Filed (the filing itself says no close relative) among nine others: drawn because of the late flag.
    drawn = await _drawn(svc, 10)
    assert {"case_id": kin_case, "because": "close_relative"} in drawn["drawn"]
