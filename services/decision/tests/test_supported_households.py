"""Supported households (the standing caseload): an approval made here puts the household on
support with its amount from the first month paid; ending its support ends it; staff of this
jurisdiction read them, others are refused. Real PostgreSQL and JetStream."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES, MEMBERS
from jiuzhu_contracts.events import ApplicationAccepted, CaseApproved, SupportEnded
from jiuzhu_devstack.testing import eventually

from jiuzhu_decision.bootstrap import build as build_decision

TZ = ZoneInfo("Asia/Shanghai")
J, CASE = "650205001", "650205001-2022-00042"
LEADER = Actor(id="lead-1", role="leader", name="孙主任")


@pytest.fixture
async def decision(service_runner, infrastructure):
    async with service_runner(build_decision, "decision", J, today=dt.datetime(2022, 3, 1, 9, tzinfo=TZ),
                              prefix=infrastructure.new_prefix()) as svc:
        yield svc


async def play(svc, payload, actor=LEADER):
    await svc.publish(Envelope.wrap(payload, district="650205", jurisdiction=J, actor=actor,
                                    occurred_at=svc.kit.clock.now(), case_id=CASE))


def example(kind):
    return next(e for e in EXAMPLES if isinstance(e, kind))


async def household(svc, **token):
    r = await svc.client.get(f"/supported-households/{CASE}", headers=svc.token(*(token.get("roles") or ("leader",)),
                                                                              jurisdiction=token.get("jurisdiction")))
    return r


async def test_an_approval_puts_the_household_on_support_and_ending_it_ends_it(decision):
    await play(decision, example(ApplicationAccepted).model_copy(update={"close_relative": None}),
               Actor(id="clerk-1", role="clerk", name="刘窗口"))
    await play(decision, example(CaseApproved).model_copy(update={"amount_fen": 120000, "first_month_paid": "2022-04"}))

    async def on_support():
        r = await household(decision)
        return r.json() if r.status_code == 200 else None
    h = await eventually(on_support)
    assert (h["status"], h["amount_fen"], h["first_month_paid"], h["household_size"]) == \
        ("supported", 120000, "2022-04", 2)
    assert h["amounts"] == [{"month": "2022-04", "amount_fen": 120000}] and h["migrated"] is None
    listed = await decision.client.get("/supported-households?status=supported", headers=decision.token("clerk"))
    assert [x["case_id"] for x in listed.json()] == [CASE]

    await play(decision, example(SupportEnded).model_copy(update={"last_month_paid": "2022-09"}))

    async def ended():
        r = (await household(decision)).json()
        return r if r["status"] == "ended" else None
    assert (await eventually(ended))["last_month_paid"] == "2022-09"
    assert (await decision.client.get("/supported-households?status=supported",
                                      headers=decision.token("clerk"))).json() == []
    assert len(MEMBERS) == h["household_size"]


async def test_a_household_not_on_support_here_is_a_404_and_others_are_refused(decision):
    missing = await decision.client.get("/supported-households/nope", headers=decision.token("leader"))
    assert missing.status_code == 404 and "nope" in missing.text
    investigator = await decision.client.get("/supported-households", headers=decision.token("investigator"))
    assert investigator.status_code == 403
    other = await decision.client.get("/supported-households", headers=decision.token("leader",
                                                                                       jurisdiction="650205100"))
    assert other.status_code == 403
