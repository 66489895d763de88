"""Oversight follows a household's own changes (issue 15 item 6), on real PostgreSQL and JetStream,
with the events published as decision publishes them: a household moved from 柳树街 to 乌尔禾镇 is
registered in the town as supported (linked both ways), its residents move in the index without
an alert of their own, and later decisions on its new case are applied, not dead-lettered; the
index follows members added (a real duplicate is raised) and removed (no longer one)."""

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.base import ApprovingBody, Due, Signer
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import (
    ApplicationAccepted,
    HouseholdChanged,
    HouseholdTransferAccepted,
    HouseholdTransferRequested,
    RecipientMigrated,
    SupportChanged,
    SupportEnded,
)
from jiuzhu_contracts.events.household import MemberAdded, MemberCause, MemberRemoved
from jiuzhu_contracts.events.intake import Member
from jiuzhu_contracts.examples import APPLICANT_ID, CHILD_ID, EXAMPLES, synthetic_id
from jiuzhu_devstack.testing import eventually

from jiuzhu_oversight.bootstrap import build

TZ = ZoneInfo("Asia/Shanghai")
J1, J2 = "650205001", "650205100"
FROM, TO, TRANSFER = f"{J1}-CL-0000000a", f"{J2}-ZR-0000000a", f"ZY-{J1}-CL-0000000a-01"
NEWBORN = synthetic_id(born="20220110", seq="003")
LEADER_A = Actor(id="lead-1", role="leader", name="孙主任")
LEADER_B = Actor(id="lead-2", role="leader", name="马镇长")
CLERK = Actor(id="clerk-1", role="clerk", name="李窗口")
TOWN = "乌尔禾镇社区居民委员会"


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "oversight", None) as running:
        yield running


def example(kind):
    return next(e for e in EXAMPLES if isinstance(e, kind))


def envelope(payload, case_id, day, jurisdiction=J1, actor=LEADER_A):
    return Envelope.wrap(payload, district="650205", jurisdiction=jurisdiction, actor=actor,
                         occurred_at=dt.datetime.combine(day, dt.time(9), TZ), case_id=case_id)


def h(number: str) -> str:
    return hashlib.sha256(number.encode()).hexdigest()


async def get(svc, path, **params):
    r = await svc.client.get(path, params=params, headers=svc.token("inspector", "auditor", jurisdiction="650205"))
    assert r.status_code == 200, r.text
    return r.json()


async def case(svc, case_id, check=lambda c: True):
    r = await svc.client.get(f"/cases/{case_id}", headers=svc.token("inspector", jurisdiction="650205"))
    return r.json() if r.status_code == 200 and check(r.json()) else None


def application(members, committee="柳树街社区居民委员会"):
    return example(ApplicationAccepted).model_copy(update={"close_relative": None, "members": members,
                                                           "committee": committee})


async def test_a_moved_household_is_registered_where_it_went_and_followed_there(svc):
    march, april, may = dt.date(2022, 3, 28), dt.date(2022, 4, 11), dt.date(2022, 5, 9)
    await svc.publish(envelope(example(RecipientMigrated), FROM, march, actor=CLERK))  # members: 张三, 张小三
    await eventually(lambda: case(svc, FROM))
    # A asks, B accepts (the members as the request gave them), A ends its support the month before.
    await svc.publish(envelope(example(HouseholdTransferRequested).model_copy(update={
        "transfer_id": TRANSFER, "from_month": "2022-05", "requested_on": april}), FROM, april))
    await svc.publish(envelope(example(HouseholdTransferAccepted).model_copy(update={
        "transfer_id": TRANSFER, "from_case_id": FROM, "committee": TOWN, "amount_fen": 120000,
        "first_month_paid": "2022-05", "accepted_on": april}), TO, april, jurisdiction=J2, actor=LEADER_B))
    there = await eventually(lambda: case(svc, TO))
    assert (there["jurisdiction"], there["stage"], there["amount_fen"], there["first_month_paid"], there["committee"],
            there["ended"]) == (J2, "approved", 120000, "2022-05", TOWN, False)
    link = {"transfer_id": TRANSFER}
    assert there["moved_from"] == {"jurisdiction": J1, "case_id": FROM} | link and there["clocks"] == []
    assert (await case(svc, FROM))["moved_to"] == {"jurisdiction": J2, "case_id": TO} | link
    assert [e["event_type"] for e in there["timeline"]] == ["household_transfer_accepted"]
    # The move raised no alert (in the same transaction as the register row just read).
    assert await get(svc, "/alerts") == []
    await svc.publish(envelope(example(SupportEnded).model_copy(update={
        "cause": "moved_out", "last_month_paid": "2022-04", "decided_on": april, "notice_no": None,
        "notice_due": None}), FROM, april, actor=Actor(id="system", role="system", name="系统")))
    await eventually(lambda: case(svc, FROM, lambda c: c["ended"]))

    # In the town: a birth and a death (张小三 leaves the household), with a new committee.
    await svc.publish(envelope(HouseholdChanged(
        category="dibao", changed_on=may, household_size=2, public_name="张*", address="乌尔禾镇和平路3号",
        committee="乌尔禾镇和平社区居民委员会",
        members_added=(MemberAdded(member=Member(name="张小四", id_number=NEWBORN, relation="child"),
                                   cause=MemberCause.BIRTH, since=dt.date(2022, 1, 10)),),
        members_removed=(MemberRemoved(id_number=CHILD_ID, name="张小三", cause=MemberCause.DEATH,
                                       since=dt.date(2022, 4, 20)),),
        recorded_by=Signer(id="clerk-2", name="王窗口", role="clerk")), TO, may, jurisdiction=J2, actor=CLERK))
    await eventually(lambda: case(svc, TO, lambda c: c["committee"] == "乌尔禾镇和平社区居民委员会"))
    # Then applications in 柳树街: one for the member gone (no longer supported in the town: no
    # alert), one for 张三 and the newborn (both supported in the town: a real duplicate each).
    gone, both = f"{J1}-2022-00101", f"{J1}-2022-00102"
    await svc.publish(envelope(application((Member(name="张小三", id_number=CHILD_ID, relation="self"),)), gone,
                               may, actor=CLERK))
    await svc.publish(envelope(application((Member(name="张三", id_number=APPLICANT_ID, relation="self"),
                                            Member(name="张小四", id_number=NEWBORN, relation="child"))), both,
                               may, actor=CLERK))

    async def two_alerts():
        found = await get(svc, "/alerts")
        return found if len(found) >= 2 else None
    alerts = await eventually(two_alerts)
    assert sorted((a["id_hash"], tuple(a["cases"]), tuple(a["jurisdictions"])) for a in alerts) == sorted(
        [(h(APPLICANT_ID), (both, TO), (J1, J2)), (h(NEWBORN), (both, TO), (J1, J2))])

    # The town decides on its case: applied, filed, its notice's clock opened — and its end.
    notice = {"notice_no": "BG-ZR-1", "decided_on": may,
              "notice_due": Due(clock="support_notice", due_on=dt.date(2022, 5, 12), working_days=3,
                                starts_after=may, rule="D21 art. 32: 3 working days")}
    await svc.publish(envelope(example(SupportChanged).model_copy(update={
        "amount_before_fen": 120000, "amount_fen": 100000, "effective_month": "2022-06", **notice}), TO, may,
        jurisdiction=J2, actor=LEADER_B))
    await svc.publish(envelope(example(SupportEnded).model_copy(update={
        "cause": "re_review", "last_month_paid": "2022-06", "decided_on": may, "notice_no": "TF-ZR-1",
        "notice_due": notice["notice_due"], "approving_body": ApprovingBody.JURISDICTION}), TO, may,
        jurisdiction=J2, actor=LEADER_B))
    ended = await eventually(lambda: case(svc, TO, lambda c: c["ended"]))
    assert (ended["stage"], ended["amount_fen"]) == ("ended", 100000)
    assert [c["clock"] for c in ended["clocks"]] == ["support_notice", "support_notice"]
    filings = await get(svc, "/support-filings", month="2022-05", jurisdiction=J2)
    assert [(f["case_id"], f["kind"]) for f in filings] == [(TO, "support_changed"), (TO, "support_ended")]
    assert await get(svc, "/dead-letters") == []
