"""定期核查's clock (D21 art. 31): opened by re_review_opened with the due date it carries, met by
re_review_completed, breached once when the due day passes without it — on real PostgreSQL and
JetStream, on the business clock."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_contracts.events import ReReviewCompleted, ReReviewOpened
from jiuzhu_devstack.testing import eventually

from jiuzhu_oversight.bootstrap import build

TZ = ZoneInfo("Asia/Shanghai")
J1 = "650205001"
A, B = f"{J1}-2021-00007", f"{J1}-CL-0badf00d"  # one approved here, one imported from the old system
SYSTEM = Actor(id="system", role="system", name="定期核查")


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "oversight", None) as running:
        yield running


def event(example_type, case_id, day, **update):
    example = next(e for e in EXAMPLES if isinstance(e, example_type))
    return Envelope.wrap(example.model_copy(update=update), district="650205", jurisdiction=J1, actor=SYSTEM,
                         occurred_at=dt.datetime.combine(day, dt.time(9), TZ), case_id=case_id)


async def at(svc, day):
    now = dt.datetime.combine(day, dt.time(9), TZ)
    svc.kit.clock.set(now)
    await svc.kit.tick(now)


async def open_re_review_clocks(svc) -> list[dict]:
    r = await svc.client.get("/deadlines", params={"within_working_days": 30},
                             headers=svc.token("inspector", jurisdiction="650205"))
    assert r.status_code == 200, r.text
    body = r.json().get(J1, {})
    return sorted((d for d in body.get("due_soon", []) + body.get("overdue", []) if d["clock"] == "re_review"),
                  key=lambda d: d["case_id"])


async def test_a_re_review_completed_meets_its_clock_one_left_open_is_breached_once(svc):
    opened = next(e for e in EXAMPLES if isinstance(e, ReReviewOpened))
    assert opened.due.due_on == dt.date(2022, 3, 22)
    for case_id in (A, B):
        await svc.publish(event(ReReviewOpened, case_id, dt.date(2022, 3, 1)))
    both = await eventually(lambda: _n(open_re_review_clocks(svc), 2))
    assert [(d["case_id"], d["due_on"]) for d in both] == [(A, "2022-03-22"), (B, "2022-03-22")]

    await svc.publish(event(ReReviewCompleted, A, dt.date(2022, 3, 18)))
    left = await eventually(lambda: _only(open_re_review_clocks(svc), B))
    assert left[0]["responsible"] == ["investigator@650205001"]

    await at(svc, dt.date(2022, 3, 22))  # the due day itself: still on time
    assert await svc.published("deadline_breached") == []
    await at(svc, dt.date(2022, 3, 23))
    [breach] = await eventually(lambda: _n(svc.published("deadline_breached"), 1))
    assert (breach.case_id, breach.payload.clock, breach.payload.due_on) == (B, "re_review", dt.date(2022, 3, 22))
    await at(svc, dt.date(2022, 3, 24))
    assert len(await svc.published("deadline_breached")) == 1  # once, however often the clock ticks


async def _n(coro, n):
    found = await coro
    return found if len(found) >= n else None


async def _only(coro, case_id):
    found = await coro
    return found if [d["case_id"] for d in found] == [case_id] else None
