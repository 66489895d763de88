"""主动发现's clock (plan 四(三)2): a committee's report opens a discovery_follow_up clock with the
due date it carries, the jurisdiction's follow-up meets it, and a report left without one is breached
once — on real PostgreSQL and JetStream, on the business clock."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_contracts.events import DiscoveryFollowedUp, HouseholdInDifficultyReported
from jiuzhu_devstack.testing import eventually

from jiuzhu_oversight.bootstrap import build

TZ = ZoneInfo("Asia/Shanghai")
J1 = "650205001"
A, B = f"{J1}-FX-2022-00001", f"{J1}-FX-2022-00002"
COMMITTEE = Actor(id="cm-1", role="committee", name="王委员")
CLERK = Actor(id="clerk-1", role="clerk", name="李窗口")


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "oversight", None) as running:
        yield running


def event(example_type, report_no, day, actor, **update):
    example = next(e for e in EXAMPLES if isinstance(e, example_type))
    return Envelope.wrap(example.model_copy(update={"report_no": report_no, **update}), district="650205",
                         jurisdiction=J1, actor=actor, occurred_at=dt.datetime.combine(day, dt.time(9), TZ),
                         case_id=report_no)


async def at(svc, day):
    now = dt.datetime.combine(day, dt.time(9), TZ)
    svc.kit.clock.set(now)
    await svc.kit.tick(now)


async def open_discovery_clocks(svc) -> list[dict]:
    r = await svc.client.get("/deadlines", params={"within_working_days": 30},
                             headers=svc.token("inspector", jurisdiction="650205"))
    assert r.status_code == 200, r.text
    body = r.json().get(J1, {})
    return sorted((d for d in body.get("due_soon", []) + body.get("overdue", [])
                   if d["clock"] == "discovery_follow_up"), key=lambda d: d["case_id"])


async def test_a_report_followed_up_meets_its_clock_one_left_unanswered_is_breached_once(svc):
    reported = next(e for e in EXAMPLES if isinstance(e, HouseholdInDifficultyReported))
    assert reported.follow_up_due.due_on == dt.date(2022, 3, 8)
    for report_no in (A, B):
        await svc.publish(event(HouseholdInDifficultyReported, report_no, dt.date(2022, 3, 1), COMMITTEE))
    both = await eventually(lambda: _n(open_discovery_clocks(svc), 2))
    assert [(d["case_id"], d["due_on"]) for d in both] == [(A, "2022-03-08"), (B, "2022-03-08")]

    await svc.publish(event(DiscoveryFollowedUp, A, dt.date(2022, 3, 4), CLERK))
    left = await eventually(lambda: _only(open_discovery_clocks(svc), B))
    assert left[0]["responsible"] == ["clerk@650205001"]

    await at(svc, dt.date(2022, 3, 8))  # the due day itself: still on time
    assert await svc.published("deadline_breached") == []
    await at(svc, dt.date(2022, 3, 9))
    [breach] = await eventually(lambda: _n(svc.published("deadline_breached"), 1))
    assert (breach.case_id, breach.payload.clock, breach.payload.due_on) == (B, "discovery_follow_up",
                                                                              dt.date(2022, 3, 8))
    assert breach.jurisdiction == J1
    await at(svc, dt.date(2022, 3, 10))
    assert len(await svc.published("deadline_breached")) == 1  # once, however often the clock ticks

    # A follow-up after the breach still closes the clock: it leaves the overdue list.
    assert [d["case_id"] for d in await open_discovery_clocks(svc)] == [B]
    await svc.publish(event(DiscoveryFollowedUp, B, dt.date(2022, 3, 10), CLERK, on_time=False))
    await eventually(lambda: _none(open_discovery_clocks(svc)))


async def _n(coro, n):
    found = await coro
    return found if len(found) >= n else None


async def _only(coro, case_id):
    found = await coro
    return found if [d["case_id"] for d in found] == [case_id] else None


async def _none(coro):
    return (await coro) == []
