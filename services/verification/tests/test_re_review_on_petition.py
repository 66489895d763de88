"""举报属实 opens a re-review (issue 16 item 6; D21 art. 31; plan 六(三)) on real PostgreSQL and
JetStream: oversight's petition_answered, found substantiated about a supported household of this
jurisdiction, opens that household's re-review by itself (cause: petition), on the work list with
its due date; an answer that does not ask for one, or a second one while it is open, opens nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_contracts.events import PetitionAnswered, RecipientMigrated
from jiuzhu_devstack.testing import eventually

from jiuzhu_verification.bootstrap import build

TZ = ZoneInfo("Asia/Shanghai")
J = "650205001"
MIGRATED = f"{J}-CL-00feed00"
LEADER = Actor(id="lead-1", role="leader", name="孙主任")


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "verification", J,
                              today=dt.datetime(2023, 5, 8, 9, tzinfo=TZ)) as running:
        yield running


def wrap(svc, payload, case_id=None, actor=LEADER):
    return Envelope.wrap(payload, district="650205", jurisdiction=J, actor=actor, occurred_at=svc.kit.clock.now(),
                         case_id=case_id)


def answered(number, *, requested, case=MIGRATED, substantiated=True):
    return PetitionAnswered(petition_no=number, answered_on=dt.date(2023, 5, 8), on_time=True,
                            re_review_requested=requested, concerning_case=case, substantiated=substantiated)


async def worklist(svc):
    r = await svc.client.get("/re-reviews", params={"due_before": "2030-12-31"}, headers=svc.token("investigator"))
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_substantiated_report_opens_the_households_re_review(svc):
    migrated = next(e for e in EXAMPLES if isinstance(e, RecipientMigrated))
    await svc.publish(wrap(svc, migrated, MIGRATED, Actor(id="c1", role="clerk", name="窗口")))
    [scheduled] = await eventually(lambda: worklist(svc))
    assert scheduled["status"] == "scheduled"

    # Answered without a re-review (an unsubstantiated report; another household's case): nothing opens.
    await svc.publish(wrap(svc, answered("XF-650205-2023-00001", requested=False, substantiated=False)))
    await svc.publish(wrap(svc, answered("XF-650205-2023-00002", requested=True, case=f"{J}-2023-09999")))
    await svc.publish(wrap(svc, answered("XF-650205-2023-00003", requested=True)))
    [opened] = await eventually(lambda: svc.published("re_review_opened"))
    assert opened.case_id == MIGRATED and opened.payload.cause == "petition"
    assert "XF-650205-2023-00003" in opened.payload.reasons[0] and opened.payload.opened_on == dt.date(2023, 5, 8)
    assert opened.causation_id is not None
    [h] = await worklist(svc)
    assert (h["status"], h["cause"], h["due_on"]) == ("open", "petition", opened.payload.due.due_on.isoformat())

    # A second substantiated report while it is open: the open re-review covers it.
    await svc.publish(wrap(svc, answered("XF-650205-2023-00004", requested=True)))

    async def all_applied():  # the import and the four answers
        return sum(c.processed for c in svc.kit.consumers) >= 5
    await eventually(all_applied)
    assert len(await svc.published("re_review_opened")) == 1
