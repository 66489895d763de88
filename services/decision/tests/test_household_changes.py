"""A supported household's own changes and its move to another jurisdiction (issue 15 item 6):
members added and removed (a death), a new account, a new address; a move from 柳树街 (650205001)
to 乌尔禾镇 (650205100) accepted by the town, after which 柳树街's support ends the month before the
town's begins; refusals for the wrong role, the wrong jurisdiction, a recused clerk and an ended
household. Two decision instances on one real JetStream, each with its own PostgreSQL database."""

import contextlib
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import ApplicationAccepted, CaseApproved
from jiuzhu_contracts.examples import APPLICANT_ID, CHILD_ID, EXAMPLES, synthetic_id
from jiuzhu_devstack.testing import eventually

from jiuzhu_decision.bootstrap import build as build_decision

TZ = ZoneInfo("Asia/Shanghai")
A, B, CASE = "650205001", "650205100", "650205001-2022-00042"
NEWBORN = synthetic_id(born="20220201", seq="004")


@pytest.fixture
async def pair(service_runner, infrastructure):
    prefix = infrastructure.new_prefix()
    start = dt.datetime(2022, 3, 1, 9, tzinfo=TZ)
    async with contextlib.AsyncExitStack() as stack:
        a = await stack.enter_async_context(service_runner(build_decision, "decision", A, today=start, prefix=prefix))
        b = await stack.enter_async_context(service_runner(build_decision, "decision", B, today=start, prefix=prefix))
        yield a, b


def example(kind):
    return next(e for e in EXAMPLES if isinstance(e, kind))


async def on_support(svc, case_id=CASE, first_month="2022-03"):
    """A household approved in 柳树街 (its close-relative flag recuses clerk-9)."""
    for payload, actor in ((example(ApplicationAccepted), Actor(id="clerk-1", role="clerk", name="刘窗口")),
                           (example(CaseApproved).model_copy(update={"amount_fen": 120000,
                                                                     "first_month_paid": first_month}),
                            Actor(id="lead-1", role="leader", name="孙主任"))):
        await svc.publish(Envelope.wrap(payload, district="650205", jurisdiction=A, actor=actor,
                                        occurred_at=svc.kit.clock.now(), case_id=case_id))

    async def there():
        r = await svc.client.get(f"/supported-households/{case_id}/household", headers=svc.token("clerk"))
        return r.json() if r.status_code == 200 else None
    return await eventually(there)


def refused(response, status: int, *words: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert all(w in response.text for w in words), body
    if field:
        assert body["field"] == field, body
    return body


async def test_members_added_and_removed_by_death_and_a_new_account(pair):
    a, _ = pair
    before = await on_support(a)
    assert before["household_size"] == 2 and set(before["member_id_numbers"]) == {APPLICANT_ID, CHILD_ID}
    clerk = a.token("clerk", who="clerk-1", name="刘窗口")
    change = {"members_added": [{"member": {"name": "张小四", "id_number": NEWBORN, "relation": "grandchild"},
                                 "cause": "birth", "since": "2022-02-01"}],
              "members_removed": [{"id_number": CHILD_ID, "name": "张小三", "cause": "death", "since": "2022-02-20"}],
              "payment_account": "6222000000009999", "reasons": ["出生一人，死亡一人（死亡证明）"]}
    url = f"/supported-households/{CASE}/household"

    # Refused: the wrong role, another jurisdiction's clerk, a recused clerk, bad members, nothing.
    refused(await a.client.post(url, json=change, headers=a.token("investigator")), 403, "may not")
    refused(await a.client.post(url, json=change, headers=a.token("clerk", jurisdiction=B)), 403,
            "serves jurisdiction")
    refused(await a.client.post(url, json=change, headers=a.token("clerk", who="clerk-9")), 403, "D21 art. 11")
    refused(await a.client.post(url, json={**change, "members_removed": [
        {"id_number": NEWBORN, "name": "某", "cause": "death", "since": "2022-02-20"}]}, headers=clerk), 422,
        "not a member", field="members_removed[0].id_number")
    refused(await a.client.post(url, json={"members_added": [
        {"member": {"name": "张三", "id_number": APPLICANT_ID, "relation": "self"}, "cause": "moved_in",
         "since": "2022-02-01"}]}, headers=clerk), 409, "already a member", field="members_added[0].member.id_number")
    refused(await a.client.post(url, json={"members_added": [
        {"member": {"name": "甲", "id_number": synthetic_id(born="20220401", seq="005"), "relation": "child"},
         "cause": "birth", "since": "2022-02-01"}]}, headers=clerk), 422, "after the business day",
        field="members_added[0].member.id_number")
    refused(await a.client.post(url, json={"members_removed": [
        {"id_number": CHILD_ID, "name": "张小三", "cause": "birth", "since": "2022-02-20"}]}, headers=clerk), 422,
        "does not leave by birth", field="members_removed[0].cause")
    refused(await a.client.post(url, json={"members_added": [
        {"member": {"name": "乙", "id_number": "650205201001010000", "relation": "child"}, "cause": "birth",
         "since": "2022-02-01"}]}, headers=clerk), 422)
    refused(await a.client.post(url, json={"reasons": ["无"]}, headers=clerk), 422, "nothing to change")
    refused(await a.client.post(url, json={"address": "白杨路3号", "committee": "哈克村村民委员会"}, headers=clerk), 422,
            "not a committee of this jurisdiction", field="committee")
    assert await a.published("household_changed") == []

    done = await a.client.post(url, json=change, headers=clerk)
    assert done.status_code == 200, done.text
    after = done.json()
    assert after["household_size"] == 2 and set(after["member_id_numbers"]) == {APPLICANT_ID, NEWBORN}
    assert after["payment_account"] == "6222000000009999" and after["amount_fen"] == 120000  # the decider's, later
    [event] = await a.published("household_changed")
    p = event.payload
    assert (event.case_id, event.jurisdiction, event.actor.id) == (CASE, A, "clerk-1")
    assert [(r.id_number, r.cause.value) for r in p.members_removed] == [(CHILD_ID, "death")]
    assert [(x.member.id_number, x.cause.value) for x in p.members_added] == [(NEWBORN, "birth")]
    assert (p.household_size, p.payment_account, p.address, p.recorded_by.role.value) == \
        (2, "6222000000009999", None, "clerk")

    # A new address within the jurisdiction, with its committee; the leader may record it too.
    moved = await a.client.post(url, json={"address": "白杨路3号", "committee": "白杨社区居民委员会"},
                                headers=a.token("leader", who="lead-1"))
    assert moved.status_code == 200 and (moved.json()["address"], moved.json()["committee"]) == \
        ("白杨路3号", "白杨社区居民委员会")
    last = (await a.published("household_changed"))[-1].payload
    assert (last.address, last.committee, last.payment_account, last.members_added) == \
        ("白杨路3号", "白杨社区居民委员会", None, ())

    # The last member's death is an end, not a change.
    refused(await a.client.post(url, json={"members_removed": [
        {"id_number": APPLICANT_ID, "name": "张三", "cause": "death", "since": "2022-02-25"},
        {"id_number": NEWBORN, "name": "张小四", "cause": "death", "since": "2022-02-25"}]}, headers=clerk), 409,
        "end the support")


async def test_a_move_to_another_jurisdiction_is_handed_over_on_its_acceptance(pair):
    a, b = pair
    await on_support(a)
    url = f"/supported-households/{CASE}/transfer"
    ask = {"to_jurisdiction": B, "address": "乌尔禾镇幸福路2号", "from_month": "2022-05", "reasons": ["全户迁居乌尔禾镇"]}

    # Asking: A's decider only (devolved: its leader), to another jurisdiction of the district.
    refused(await a.client.post(url, json=ask, headers=a.token("clerk")), 403, "may not")
    refused(await a.client.post(url, json=ask, headers=a.token("leader", jurisdiction=B)), 403, "serves jurisdiction")
    refused(await a.client.post(url, json=ask, headers=a.token("bureau_admin", jurisdiction="650205")), 403,
            "devolved")
    refused(await a.client.post(url, json={**ask, "to_jurisdiction": A}, headers=a.token("leader")), 422,
            "household change", field="to_jurisdiction")
    refused(await a.client.post(url, json={**ask, "to_jurisdiction": "650206001"}, headers=a.token("leader")), 422,
            field="to_jurisdiction")
    refused(await a.client.post(url, json={**ask, "from_month": "2022-03"}, headers=a.token("leader")), 422,
            field="from_month")
    leader_a = a.token("leader", who="lead-1", name="孙主任")
    asked = await a.client.post(url, json=ask, headers=leader_a)
    assert asked.status_code == 200, asked.text
    transfer_id = asked.json()["transfer_id"]
    assert transfer_id == f"ZY-{CASE}-01"
    refused(await a.client.post(url, json=ask, headers=leader_a), 409, "awaits the answer")

    # B sees it (its cross-jurisdiction consumer) and holds it until its decider answers.
    async def waiting():
        r = await b.client.get("/transfers?status=requested", headers=b.token("clerk"))
        return r.json() if r.status_code == 200 and r.json() else None
    [incoming] = await eventually(waiting)
    assert (incoming["transfer_id"], incoming["from_case_id"], incoming["amount_fen"], incoming["from_month"]) == \
        (transfer_id, CASE, 120000, "2022-05")
    assert (await a.client.get("/transfers", headers=a.token("clerk"))).json() == []  # not A's to answer

    accept = {"committee": "乌尔禾镇社区居民委员会"}
    at = f"/transfers/{transfer_id}/acceptance"
    refused(await b.client.post(at, json=accept, headers=a.token("leader", jurisdiction=A)), 403, "serves jurisdiction")
    refused(await b.client.post(at, json=accept, headers=b.token("clerk")), 403, "may not")
    refused(await b.client.post(at, json={"committee": "柳树街社区居民委员会"}, headers=b.token("leader")), 422,
            field="committee")
    refused(await b.client.post(at, json={**accept, "first_month_paid": "2022-04"}, headers=b.token("leader")), 422,
            "D21 art. 21", field="first_month_paid")
    leader_b = b.token("leader", who="lead-2", name="马镇长")
    taken = await b.client.post(at, json=accept, headers=leader_b)
    assert taken.status_code == 200, taken.text
    new_case = taken.json()["case_id"]
    assert new_case.startswith(f"{B}-ZR-") and taken.json()["first_month_paid"] == "2022-05"
    assert taken.json()["moved_from"] == {"jurisdiction": A, "case_id": CASE, "transfer_id": transfer_id}
    refused(await b.client.post(at, json=accept, headers=leader_b), 409, "already accepted")
    refused(await b.client.post(f"/transfers/{transfer_id}/refusal", json={"reasons": ["x"]}, headers=leader_b), 409)

    # A sees the acceptance and ends its support the month before B's first: none twice, none missed.
    async def ended():
        r = (await a.client.get(f"/supported-households/{CASE}/household", headers=a.token("clerk"))).json()
        return r if r["status"] == "ended" else None
    there = await ended() or await eventually(ended)
    assert there["last_month_paid"] == "2022-04" and there["transfer"] is None
    assert there["moved_to"] == {"jurisdiction": B, "case_id": new_case, "transfer_id": transfer_id}
    [end] = await a.published("support_ended")
    assert (end.case_id, end.jurisdiction, end.payload.cause, end.payload.last_month_paid,
            end.payload.signer.id) == (CASE, A, "moved_out", "2022-04", "lead-1")
    [accepted] = await b.published("household_transfer_accepted")
    assert (accepted.case_id, accepted.jurisdiction, accepted.payload.first_month_paid) == (new_case, B, "2022-05")
    assert set(accepted.payload.member_id_numbers) == {APPLICANT_ID, CHILD_ID}  # for oversight's index, B's window
    assert end.causation_id == accepted.event_id
    mine = (await b.client.get(f"/supported-households/{new_case}", headers=b.token("clerk"))).json()
    assert (mine["status"], mine["first_month_paid"], mine["amount_fen"], mine["committee"]) == \
        ("supported", "2022-05", 120000, "乌尔禾镇社区居民委员会")

    # An ended household: no change, no second move.
    refused(await a.client.post(f"/supported-households/{CASE}/household", json={"payment_account": "62220000001"},
                                headers=a.token("clerk")), 409, "no longer on support")
    refused(await a.client.post(url, json=ask, headers=leader_a), 409, "no longer on support")


async def test_a_refused_move_leaves_the_household_on_support_where_it_is(pair):
    a, b = pair
    await on_support(a)
    asked = await a.client.post(f"/supported-households/{CASE}/transfer", headers=a.token("leader"),
                                json={"to_jurisdiction": B, "address": "查干草村5号", "reasons": ["迁居"]})
    transfer_id = asked.json()["transfer_id"]
    assert asked.json()["from_month"] == "2022-04"  # the month after the request, by default

    async def waiting():
        r = await b.client.get(f"/transfers/{transfer_id}", headers=b.token("leader"))
        return r.json() if r.status_code == 200 else None
    await eventually(waiting)
    no = await b.client.post(f"/transfers/{transfer_id}/refusal", headers=b.token("leader", who="lead-2"),
                             json={"reasons": ["新住址不在本镇辖区"]})
    assert no.status_code == 200 and no.json()["status"] == "refused"

    async def cleared():
        r = (await a.client.get(f"/supported-households/{CASE}/household", headers=a.token("clerk"))).json()
        return r if r["transfer"] is None else None
    h = await eventually(cleared)
    assert (h["status"], h["moved_to"]) == ("supported", None)
    [answer] = await b.published("household_transfer_refused")
    assert (answer.case_id, answer.jurisdiction) == (CASE, B)
    # Asked again, it gets the next number.
    again = await a.client.post(f"/supported-households/{CASE}/transfer", headers=a.token("leader"),
                                json={"to_jurisdiction": B, "address": "乌尔禾镇1号", "reasons": ["迁居"]})
    assert again.json()["transfer_id"] == f"ZY-{CASE}-02"
