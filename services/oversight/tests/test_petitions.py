"""信访件的转办督办 (plan 六(三)) on real PostgreSQL and JetStream: a report registered, transferred
to the jurisdiction with its deadline, overdue and escalated once, then answered late and closed;
each step refused to the wrong role and jurisdiction with the rule named; who petitioned is never
in an event nor shown to the jurisdiction."""

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_contracts.events import RecipientMigrated
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_devstack.testing import eventually

from jiuzhu_oversight.bootstrap import build
from jiuzhu_oversight.domain.petitions import Petition, Status

TZ = ZoneInfo("Asia/Shanghai")
J1, J2 = "650205001", "650205100"
CASE = "650205001-2023-00012"


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "oversight", None, today=dt.datetime(2023, 5, 8, 9, tzinfo=TZ)) as running:
        yield running


async def at(svc, day):
    now = dt.datetime.combine(day, dt.time(9), TZ)
    svc.kit.clock.set(now)
    await svc.kit.tick(now)


async def test_a_report_transferred_overdue_escalated_once_answered_and_closed(svc):
    bureau = svc.token("bureau_admin", jurisdiction="650205", who="ba-1", name="区民政局")
    leader = svc.token("leader", jurisdiction=J1, who="lead-1", name="孙主任")
    other_leader = svc.token("leader", jurisdiction=J2, who="lead-2", name="王镇长")

    r = await svc.client.post("/petitions", headers=bureau, json={
        "channel": "hotline", "kind": "report", "received_on": "2023-05-08", "petitioner": "李四",
        "contact": "13900000000", "summary": "反映某低保户家庭成员已就业，收入较高", "concerning_case": CASE})
    assert r.status_code == 201, r.text
    number = r.json()["petition_no"]
    assert number == "XF-650205-2023-00001" and r.json()["status"] == "registered"
    assert (await svc.client.post("/petitions", headers=leader, json={
        "channel": "letter", "kind": "complaint", "received_on": "2023-05-08", "summary": "投诉窗口态度"})).status_code == 403

    wrong_place = await svc.client.post(f"/petitions/{number}/transfer", headers=bureau,
                                        json={"to_jurisdiction": J2, "instructions": "请核实"})
    assert wrong_place.status_code == 422 and "to_jurisdiction" in wrong_place.text
    t = await svc.client.post(f"/petitions/{number}/transfer", headers=bureau,
                              json={"to_jurisdiction": J1, "instructions": "请入户核实并书面答复"})
    assert t.status_code == 200, t.text
    assert t.json()["due_on"] == "2023-05-29"  # 15 working days after Monday 8 May 2023
    again = await svc.client.post(f"/petitions/{number}/transfer", headers=bureau,
                                  json={"to_jurisdiction": J1, "instructions": "再转"})
    assert again.status_code == 409 and "六(三)" in again.json()["rule"]

    mine = await svc.client.get("/petitions", headers=leader)
    assert [p["petition_no"] for p in mine.json()] == [number]
    assert "petitioner" not in mine.json()[0] and "contact" not in mine.json()[0]  # the bureau's register only
    assert (await svc.client.get("/petitions", headers=other_leader)).json() == []
    assert (await svc.client.get(f"/petitions/{number}", headers=other_leader)).status_code == 403
    missing = await svc.client.get("/petitions/XF-650205-2023-09999", headers=bureau)
    assert missing.status_code == 404
    assert missing.json()["detail"] == "没有信访件 XF-650205-2023-09999 / no petition XF-650205-2023-09999 here"

    await at(svc, dt.date(2023, 5, 29))  # the last day: still on time, nothing escalated
    assert await svc.published("petition_escalated") == []
    await at(svc, dt.date(2023, 5, 30))
    [escalated] = await eventually(lambda: svc.published("petition_escalated"))
    assert escalated.payload.overdue_since == dt.date(2023, 5, 29) and escalated.jurisdiction == J1
    await at(svc, dt.date(2023, 5, 31))  # a later tick does not escalate it twice
    assert len(await svc.published("petition_escalated")) == 1

    not_theirs = await svc.client.post(f"/petitions/{number}/answer", headers=other_leader,
                                       json={"answer": "已核实", "re_review": False})
    assert not_theirs.status_code == 403 and "only it answers" in not_theirs.text
    early_close = await svc.client.post(f"/petitions/{number}/close", headers=bureau, json={"conclusion": "办结"})
    assert early_close.status_code == 409
    # A re-review is of a household on support: the case is not in the register yet → refused, naming the field.
    unknown = await svc.client.post(f"/petitions/{number}/answer", headers=leader,
                                    json={"answer": "经入户核实，该户成员已就业", "substantiated": True})
    assert unknown.status_code == 422 and unknown.json()["field"] == "re_review" and "D21 art. 31" in unknown.json()["rule"]
    contradicts = await svc.client.post(f"/petitions/{number}/answer", headers=leader, json={
        "answer": "经核实不属实", "substantiated": False, "re_review": True})
    assert contradicts.status_code == 422 and contradicts.json()["field"] == "re_review"
    await svc.publish(Envelope.wrap(
        next(e for e in EXAMPLES if isinstance(e, RecipientMigrated)), district="650205", jurisdiction=J1,
        actor=Actor(id="imp-1", role="bureau_admin", name="导入"), occurred_at=svc.kit.clock.now(), case_id=CASE))

    async def supported():
        r = await svc.client.get(f"/cases/{CASE}", headers=svc.token("inspector", jurisdiction="650205"))
        return r.status_code == 200 and r.json()["stage"] == "approved"
    await eventually(supported)
    answered = await svc.client.post(f"/petitions/{number}/answer", headers=leader,
                                     json={"answer": "经入户核实，该户成员已就业", "substantiated": True})
    assert answered.status_code == 200 and answered.json()["answered_on_time"] is False
    assert answered.json()["re_review_requested"] is True  # substantiated and naming a case: by default
    closed = await svc.client.post(f"/petitions/{number}/close", headers=bureau, json={"conclusion": "答复属实，已办结"})
    assert closed.json()["status"] == "closed" and closed.json()["petitioner"] == "李四"

    events = {e.event_type: e for e in await svc.published()}
    assert {"petition_registered", "petition_transferred", "petition_escalated", "petition_answered",
            "petition_closed"} <= set(events)
    opened_by = events["petition_answered"].payload
    assert (opened_by.re_review_requested, opened_by.concerning_case, opened_by.substantiated) == (True, CASE, True)
    assert events["petition_transferred"].payload.due.due_on == dt.date(2023, 5, 29)
    for e in events.values():  # who petitioned is never on the bus
        assert "李四" not in e.model_dump_json() and "13900000000" not in e.model_dump_json()


def test_a_petition_moves_only_forward():
    p = Petition("XF-1", "hotline", "report", dt.date(2023, 5, 8), "s", "匿名", "")
    with pytest.raises(Exception, match="not awaiting an answer"):
        p.answered("a", dt.date(2023, 5, 9), "x", J1, False)
    t = p.transferred(J1, "i", dt.date(2023, 5, 8), dt.date(2023, 5, 29))
    assert not t.overdue(dt.date(2023, 5, 29)) and t.overdue(dt.date(2023, 5, 30))
    assert not t.escalated(dt.date(2023, 5, 30)).overdue(dt.date(2023, 6, 1))  # once only
    assert t.answered("a", dt.date(2023, 5, 20), "x", J1, False).answered_on_time is True
    about = replace(t, concerning_case=CASE)
    assert about.answered("a", dt.date(2023, 5, 20), "x", J1, None, substantiated=True).re_review_requested
    assert not about.answered("a", dt.date(2023, 5, 20), "x", J1, None, substantiated=False).re_review_requested
    assert not about.answered("a", dt.date(2023, 5, 20), "x", J1, False, substantiated=True).re_review_requested
    with pytest.raises(DomainRefusal, match="names no case"):
        t.answered("a", dt.date(2023, 5, 20), "x", J1, True, substantiated=True)
    assert p.closed("咨询已电话答复", dt.date(2023, 5, 8)).status is Status.CLOSED  # settled by the bureau itself
