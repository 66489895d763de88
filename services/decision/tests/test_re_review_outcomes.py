"""A re-review's proposal in decision (定期核查, D21 art. 31–32): re_review_completed puts it before
the authority; "continue" records the re-review done (against a proposal to change, only with
reasons); a change of support decided while it is pending acts on it; the wrong role, another
jurisdiction and the district bureau where authority was devolved are refused naming the rule.
Real PostgreSQL and JetStream."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_contracts.events import ApplicationAccepted, CaseApproved, ReReviewCompleted, SupportChanged
from jiuzhu_contracts.events.re_review import ReReviewOutcome
from jiuzhu_contracts.events.support import ChangeCause
from jiuzhu_devstack.testing import eventually

from jiuzhu_decision.bootstrap import build as build_decision
from jiuzhu_decision.service_layer.re_review_outcomes import acts_on_proposal

TZ = ZoneInfo("Asia/Shanghai")
J, OTHER, CASE = "650205001", "650205100", "650205001-2022-00042"
LEADER = Actor(id="lead-1", role="leader", name="孙主任")
REVIEWER = Actor(id="rev-1", role="reviewer", name="赵审核")


@pytest.fixture
async def decision(service_runner, infrastructure):
    async with service_runner(build_decision, "decision", J, today=dt.datetime(2022, 9, 8, 9, tzinfo=TZ),
                              prefix=infrastructure.new_prefix()) as svc:
        yield svc


async def play(svc, payload, actor=LEADER) -> Envelope:
    env = Envelope.wrap(payload, district="650205", jurisdiction=J, actor=actor, occurred_at=svc.kit.clock.now(),
                        case_id=CASE)
    await svc.publish(env)
    return env


def example(kind):
    return next(e for e in EXAMPLES if isinstance(e, kind))


async def outcomes(svc, status=None):
    r = await svc.client.get("/re-review-outcomes", params={"status": status} if status else {},
                             headers=svc.token("leader"))
    assert r.status_code == 200, r.text
    return r.json()


async def until(svc, n, status):
    async def check():
        found = await outcomes(svc, status)
        return found if len(found) == n else None
    return await eventually(check)


async def test_the_authority_continues_or_acts_on_a_re_reviews_proposal(decision):
    await play(decision, example(ApplicationAccepted).model_copy(update={"close_relative": None}),
               Actor(id="clerk-1", role="clerk", name="刘窗口"))
    await play(decision, example(CaseApproved).model_copy(update={"amount_fen": 130000, "first_month_paid": "2022-04"}))
    completed = example(ReReviewCompleted)
    await play(decision, completed.model_copy(update={"outcome": ReReviewOutcome.CONTINUE, "proposed_amount_fen": 130000,
                                                       "computed_amount_fen": 130000}), REVIEWER)
    [pending] = await until(decision, 1, "pending")
    assert (pending["case_id"], pending["round"], pending["outcome"]) == (CASE, 1, "continue")
    assert pending["proposal"]["reviewer"]["id"] == "rev-1"

    url = f"/re-review-outcomes/{CASE}/continue"
    clerk = await decision.client.post(url, headers=decision.token("clerk"), json={})
    assert clerk.status_code == 403 and "may not" in clerk.text
    elsewhere = await decision.client.post(url, headers=decision.token("leader", jurisdiction=OTHER), json={})
    assert elsewhere.status_code == 403 and "serves jurisdiction" in elsewhere.text
    bureau = await decision.client.post(url, headers=decision.token("bureau_admin", jurisdiction="650205"), json={})
    assert bureau.status_code == 403 and "devolved" in bureau.text  # the registry on this date
    continued = await decision.client.post(url, headers=decision.token("leader", who="lead-1"), json={})
    assert continued.status_code == 200, continued.text
    assert continued.json() == {"case_id": CASE, "round": 1, "status": "continued", "amount_fen": 130000}
    again = await decision.client.post(url, headers=decision.token("leader"), json={})
    assert again.status_code == 409 and "awaits" in again.json()["rule"]

    # Round 2 proposes a reduction: continuing needs reasons; the change decided acts on it.
    await play(decision, completed.model_copy(update={"round": 2}), REVIEWER)
    await until(decision, 1, "pending")
    bare = await decision.client.post(url, headers=decision.token("leader"), json={"reasons": [" "]})
    assert bare.status_code == 422 and "D21 art. 32" in bare.json()["rule"]
    # A standard raise decided meanwhile changes every household alike: it leaves the proposal
    # pending, and the change decided on the re-review after it is the one that acts on it.
    await play(decision, example(SupportChanged).model_copy(update={
        "cause": ChangeCause.STANDARD_RAISE, "decided_on": dt.date(2022, 9, 8), "amount_before_fen": 130000,
        "amount_fen": 135000, "notice_no": None, "notice_due": None}))
    change = await play(decision, example(SupportChanged).model_copy(update={"decided_on": dt.date(2022, 9, 8),
                                                                             "amount_before_fen": 135000}))
    [acted] = await until(decision, 1, "acted")
    assert acted["resolved_by"]["event_id"] == change.event_id
    assert (acted["round"], acted["resolution"]["event_type"], acted["resolution"]["notice_no"]) == (
        2, "support_changed", "BG-2022-0001")
    assert [o["status"] for o in await outcomes(decision)] == ["continued", "acted"]


def test_only_a_decision_on_the_household_acts_on_its_proposal():
    assert acts_on_proposal("support_changed", "re_review") and acts_on_proposal("support_changed", "death")
    assert not acts_on_proposal("support_changed", "standard_raise")
    assert not acts_on_proposal("support_changed", "household_change")
    assert acts_on_proposal("support_ended", "moved_out") and acts_on_proposal("gradual_exit_started", "re_review")
