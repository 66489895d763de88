"""先行救助 under supervision (L18 §2(二)2; issue 16 item 1): an assist-first approval opens its
follow-up clock, its publicity completed afterwards meets it and starts no decision clock (deciding
first is no breach), a small one whose follow-up is skipped ends its investigation clock, and the
case paid in full is closed — on real PostgreSQL and JetStream, on the business clock."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.base import Category, Due, TemporaryKind
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import (
    ApplicationAccepted,
    CaseApproved,
    HomeVisitRecorded,
    HouseholdRecorded,
    PublicityClosed,
    ReviewSigned,
    TemporaryAssistancePaid,
)
from jiuzhu_contracts.examples import EXAMPLES, synthetic_id
from jiuzhu_devstack.testing import eventually

from jiuzhu_oversight.bootstrap import build
from jiuzhu_oversight.domain.register import Stage, stage_after

TZ = ZoneInfo("Asia/Shanghai")
J1 = "650205001"
A, B = f"{J1}-2022-00001", f"{J1}-2022-00002"
D = dt.date(2022, 3, 1)
LEADER = Actor(id="lead-1", role="leader", name="孙主任")


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "oversight", None, today=dt.datetime(2022, 3, 1, 9, tzinfo=TZ)) as running:
        yield running


def example(kind, **update):
    return next(e for e in EXAMPLES if isinstance(e, kind)).model_copy(update=update)


def env(payload, case_id, day=D, actor=LEADER):
    return Envelope.wrap(payload, district="650205", jurisdiction=J1, actor=actor,
                         occurred_at=dt.datetime.combine(day, dt.time(9), TZ), case_id=case_id)


async def at(svc, day):
    now = dt.datetime.combine(day, dt.time(9), TZ)
    svc.kit.clock.set(now)
    await svc.kit.tick(now)


async def case(svc, case_id):
    r = await svc.client.get(f"/cases/{case_id}", headers=svc.token("inspector", jurisdiction="650205"))
    return r.json() if r.status_code == 200 else None


def clocks(body):
    return sorted((c["clock"], c["state"]) for c in body["clocks"])


async def test_assist_first_is_supervised_through_its_follow_up_and_closes_when_paid(svc):
    follow_up_due = Due(clock="assist_follow_up", due_on=dt.date(2022, 3, 31), working_days=22, starts_after=D,
                        rule="L18 §2(二)2")
    for case_id, seq, amount, follow_up in ((A, "30", 270_000, "complete_afterwards"), (B, "31", 50_000, "skipped")):
        members = tuple(m.model_copy(update={"id_number": synthetic_id(seq=seq[:2] + str(i))})
                        for i, m in enumerate(example(ApplicationAccepted).members))
        await svc.publish(env(example(ApplicationAccepted, category=Category.TEMPORARY, close_relative=None,
                                      temporary_kind=TemporaryKind.EMERGENCY, members=members), case_id,
                              actor=Actor(id="clerk-1", role="clerk", name="刘窗口")))
        await eventually(lambda: case(svc, case_id))
        await svc.publish(env(example(CaseApproved, category=Category.TEMPORARY, amount_fen=amount,
                                      assist_first=True, follow_up=follow_up,
                                      follow_up_due=follow_up_due if follow_up != "skipped" else None), case_id))

    a = await eventually(lambda: _with(case(svc, A), lambda b: ("assist_follow_up", "open") in clocks(b)))
    assert clocks(a) == [("assist_follow_up", "open"), ("investigation", "open")] and a["stage"] == "approved"
    b = await eventually(lambda: _with(case(svc, B), lambda b: ("investigation", "cancelled") in clocks(b)))
    assert clocks(b) == [("investigation", "cancelled")]

    # The means check and publicity, completed afterwards: the investigation and follow-up clocks are
    # met; no decision clock starts, and the register does not move the approved case back.
    inv = Actor(id="inv-1", role="investigator", name="王调查")
    for payload, day in ((example(HomeVisitRecorded), dt.date(2022, 3, 3)), (example(HouseholdRecorded), dt.date(2022, 3, 3)),
                         (example(ReviewSigned, category=Category.TEMPORARY), dt.date(2022, 3, 7)),
                         (example(PublicityClosed), dt.date(2022, 3, 16))):
        await svc.publish(env(payload, A, day, inv))
    a = await eventually(lambda: _with(case(svc, A), lambda b: ("assist_follow_up", "met") in clocks(b)))
    assert clocks(a) == [("assist_follow_up", "met"), ("investigation", "met"), ("review", "met")]
    assert a["stage"] == "approved"

    await at(svc, dt.date(2022, 4, 29))  # long past any decision or follow-up date: nothing is breached
    assert await svc.published("deadline_breached") == []

    await svc.publish(env(TemporaryAssistancePaid(paid_on=dt.date(2022, 3, 2), amount_fen=270_000, tranches=1,
                                                  batches=("LS-650205-20220302-1",)), A,
                          actor=Actor(id="fin-1", role="finance", name="区财政局")))
    closed = await eventually(lambda: _with(case(svc, A), lambda b: b["stage"] == "closed"))
    assert closed["timeline"][-1]["event_type"] == "temporary_assistance_paid"


async def test_an_assist_first_case_whose_follow_up_is_not_done_is_breached_once(svc):
    due = Due(clock="assist_follow_up", due_on=dt.date(2022, 3, 31), working_days=22, starts_after=D, rule="r")
    await svc.publish(env(example(ApplicationAccepted, category=Category.TEMPORARY, close_relative=None,
                                  temporary_kind=TemporaryKind.EMERGENCY), A,
                          actor=Actor(id="clerk-1", role="clerk", name="刘窗口")))
    await eventually(lambda: case(svc, A))
    await svc.publish(env(example(CaseApproved, category=Category.TEMPORARY, amount_fen=270_000, assist_first=True,
                                  follow_up="complete_afterwards", follow_up_due=due), A))
    await eventually(lambda: _with(case(svc, A), lambda b: ("assist_follow_up", "open") in clocks(b)))
    await at(svc, dt.date(2022, 4, 1))
    breaches = await eventually(lambda: _n(svc.published("deadline_breached"), 2))
    assert sorted(b.payload.clock for b in breaches) == ["assist_follow_up", "investigation"]
    follow = next(b for b in breaches if b.payload.clock == "assist_follow_up")
    assert follow.payload.responsible == ("leader@650205001",)


def test_the_register_keeps_an_approved_case_approved_and_closes_it_when_paid():
    for event in ("home_visit_recorded", "review_signed", "publicity_opened", "publicity_closed"):
        assert stage_after(Stage.APPROVED, event) is Stage.APPROVED
    assert stage_after(Stage.APPROVED, "temporary_assistance_paid") is Stage.CLOSED
    assert stage_after(Stage.CLOSED, "review_signed") is Stage.CLOSED


async def _with(coro, predicate):
    body = await coro
    return body if body and predicate(body) else None


async def _n(coro, n):
    found = await coro
    return found if len(found) >= n else None
