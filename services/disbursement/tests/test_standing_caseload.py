"""The standing caseload on the roster (issue 15), on real PostgreSQL and JetStream: a household
imported from the old system is paid from its first month like one approved here; a change of
amount applies from its effective month and never to a roster of an earlier month, compiled
before or after it; a gradual exit pays through its last month; an end stops payment; nothing is
paid twice and no compiled roster is rewritten."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from jiuzhu_contracts.base import Category
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import GradualExitStarted, RecipientMigrated, SupportChanged, SupportEnded
from jiuzhu_contracts.events.support import ChangeCause
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_devstack.testing import eventually

from jiuzhu_disbursement.bootstrap import build
from jiuzhu_disbursement.domain.amounts import amount_in

TZ = ZoneInfo("Asia/Shanghai")
J1, J2 = "650205001", "650205100"
A, B, C = f"{J1}-CL-0000000a", f"{J1}-CL-0000000b", f"{J2}-CL-0000000c"
LEADER = Actor(id="lead-1", role="leader", name="孙主任")


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "disbursement", None) as running:
        yield running


def example(kind):
    return next(e for e in EXAMPLES if isinstance(e, kind))


async def play(svc, payload, case_id, jurisdiction=J1, day=dt.date(2022, 4, 20)):
    await svc.publish(Envelope.wrap(payload, district="650205", jurisdiction=jurisdiction, actor=LEADER,
                                    occurred_at=dt.datetime.combine(day, dt.time(9), TZ), case_id=case_id))


def migrated(amount, first="2022-05", name="张*", category=Category.DIBAO):
    return example(RecipientMigrated).model_copy(update={"amount_fen": amount, "first_month_paid": first,
                                                         "public_name": name, "category": category})


def changed(amount, before, month, cause=ChangeCause.RE_REVIEW):
    return example(SupportChanged).model_copy(update={"amount_fen": amount, "amount_before_fen": before,
                                                      "effective_month": month, "cause": cause})


async def compile_(svc, month, jurisdiction=None):
    body = {"month": month} | ({"jurisdiction": jurisdiction} if jurisdiction else {})
    r = await svc.client.post("/rosters", json=body, headers=svc.token("bureau_admin", jurisdiction="650205"))
    assert r.status_code == 200, r.text
    return r.json()


async def lines(svc, roster_id):
    async with svc.kit.sessions() as s:
        rows = await s.execute(text("SELECT case_id, month, amount_fen, kind FROM roster_lines WHERE roster_id = :r "
                                    "ORDER BY case_id, month"), {"r": roster_id})
        return [tuple(r) for r in rows]


async def on_register(svc, n):
    r = await svc.client.get("/recipients", headers=svc.token("bureau_admin", jurisdiction="650205"))
    return r.json() if len(r.json()) >= n else None


async def amount_changes(svc, n):
    async with svc.kit.sessions() as s:
        rows = (await s.execute(text("SELECT case_id, from_month, amount_fen FROM recipient_amounts "
                                     "ORDER BY case_id, from_month"))).all()
    return [tuple(r) for r in rows] if len(rows) >= n else None


async def test_a_migrated_household_is_paid_from_its_first_month_like_an_approved_one(svc):
    await play(svc, migrated(130000, first="2022-05"), A)
    await play(svc, migrated(60000, first="2022-06", name="李*"), B)
    await play(svc, migrated(270000, first="2022-05", name="王*", category=Category.TEKUN), C, jurisdiction=J2)
    await play(svc, migrated(130000, first="2022-05"), A)  # the same household published again: one recipient
    register = await eventually(lambda: on_register(svc, 3))
    assert [(r["case_id"], r["from_month"], r["amount_fen"], r["approved_on"]) for r in register] == [
        (A, "2022-05", 130000, "2020-06-15"), (B, "2022-06", 60000, "2020-06-15"),
        (C, "2022-05", 270000, "2020-06-15")]

    april = await compile_(svc, "2022-04")
    assert april["lines"] == 0  # the old system paid up to its first month here
    may = await compile_(svc, "2022-05")
    assert await lines(svc, may["roster_id"]) == [(A, "2022-05", 130000, "monthly"), (C, "2022-05", 270000, "monthly")]
    assert may["totals"] == {"dibao": [1, 130000], "tekun": [1, 270000]}
    town = await compile_(svc, "2022-06", J1)
    assert await lines(svc, town["roster_id"]) == [(A, "2022-06", 130000, "monthly"), (B, "2022-06", 60000, "monthly")]
    plan = (await svc.client.get("/fund-plan", params={"start": "2022-04", "months": 3},
                                 headers=svc.token("bureau_admin", jurisdiction="650205"))).json()
    assert [p["categories"] for p in plan] == [
        {}, {"dibao": {"households": 1, "amount_fen": 130000}, "tekun": {"households": 1, "amount_fen": 270000}},
        {"dibao": {"households": 2, "amount_fen": 190000}, "tekun": {"households": 1, "amount_fen": 270000}}]


async def test_a_change_applies_from_its_effective_month_and_never_rewrites_an_earlier_roster(svc):
    admin = svc.token("bureau_admin", jurisdiction="650205")
    await play(svc, migrated(130000, first="2022-05"), A)
    await play(svc, migrated(60000, first="2022-05", name="李*"), B)
    await eventually(lambda: on_register(svc, 2))
    may = await compile_(svc, "2022-05")
    assert (await svc.client.post(f"/rosters/{may['roster_id']}/submit", headers=admin)).status_code == 200
    june_before = await compile_(svc, "2022-06")

    # 减发 from July for A; a change for B effective May, decided after May's roster was submitted.
    await play(svc, changed(90000, 130000, "2022-07"), A)
    await play(svc, changed(40000, 60000, "2022-05"), B)
    assert await eventually(lambda: amount_changes(svc, 2)) == [(A, "2022-07", 90000), (B, "2022-05", 40000)]

    # June: A keeps its old amount (the change is from July), B's new amount applies; the June
    # roster compiled before is kept as it was and superseded by a new version with its difference.
    june = await compile_(svc, "2022-06")
    assert june["version"] == 2 and june["difference"]["changed"] == 1
    assert await lines(svc, june["roster_id"]) == [(A, "2022-06", 130000, "monthly"), (B, "2022-06", 40000, "monthly")]
    assert await lines(svc, june_before["roster_id"]) == [(A, "2022-06", 130000, "monthly"),
                                                          (B, "2022-06", 60000, "monthly")]
    july = await compile_(svc, "2022-07")
    assert await lines(svc, july["roster_id"]) == [(A, "2022-07", 90000, "monthly"), (B, "2022-07", 40000, "monthly")]
    # May was submitted and claimed at the old amounts: compiling it again pays nobody twice.
    again = await compile_(svc, "2022-05")
    assert again["roster_id"] == may["roster_id"] and again["unchanged"] is True
    assert await lines(svc, may["roster_id"]) == [(A, "2022-05", 130000, "monthly"), (B, "2022-05", 60000, "monthly")]
    # A standard raise from January, decided in December, applies to January and later only.
    await play(svc, changed(95000, 90000, "2023-01", ChangeCause.STANDARD_RAISE), A, day=dt.date(2022, 12, 20))
    await eventually(lambda: amount_changes(svc, 3))
    plan = (await svc.client.get("/fund-plan", params={"start": "2022-12", "months": 2}, headers=admin)).json()
    assert [p["categories"]["dibao"]["amount_fen"] for p in plan] == [90000 + 40000, 95000 + 40000]
    # The register shows the amount in force in the month asked (default: the business clock's),
    # the amount approved, and the history.
    async def register_in(month=None):
        r = await svc.client.get("/recipients", params={"month": month} if month else {}, headers=admin)
        assert r.status_code == 200, r.text
        return {row["case_id"]: row for row in r.json()}
    now = svc.kit.clock.today().strftime("%Y-%m")
    assert (await register_in())[A]["month"] == now
    assert [(m, (await register_in(m))[A]["amount_fen"]) for m in ("2022-06", "2022-07", "2023-01")] == [
        ("2022-06", 130000), ("2022-07", 90000), ("2023-01", 95000)]
    a = (await register_in("2022-08"))[A]
    assert (a["approved_amount_fen"], a["amounts"]) == (130000, [
        {"from_month": "2022-05", "amount_fen": 130000, "by": "approval"},
        {"from_month": "2022-07", "amount_fen": 90000, "by": "change"},
        {"from_month": "2023-01", "amount_fen": 95000, "by": "change"}])
    assert (await register_in("2022-05"))[B]["amount_fen"] == 40000  # changed from its first month
    bad = await svc.client.get("/recipients", params={"month": "2022-13"}, headers=admin)
    assert bad.status_code == 422 and "month" in bad.text
    # The SQL and the domain's rule agree, month by month.
    changes = {"2022-07": 90000, "2023-01": 95000}
    for month, amount in (("2022-06", 130000), ("2022-07", 90000), ("2023-01", 95000)):
        assert amount_in(month, 130000, changes) == amount


async def test_a_gradual_exit_pays_through_its_last_month_and_an_end_stops_after_the_last_month_paid(svc):
    await play(svc, migrated(130000, first="2022-05"), A)
    await play(svc, migrated(60000, first="2022-05", name="李*"), B)
    await play(svc, example(GradualExitStarted).model_copy(update={"months": 3, "last_month_paid": "2022-07"}), A)
    await play(svc, example(SupportEnded).model_copy(update={"last_month_paid": "2022-05", "cause": "death"}), B)

    async def settled():
        rows = await on_register(svc, 2)
        return rows if rows and [r["until_month"] for r in rows] == ["2022-07", "2022-05"] else None
    await eventually(settled)
    assert await lines(svc, (await compile_(svc, "2022-05"))["roster_id"]) == [
        (A, "2022-05", 130000, "monthly"), (B, "2022-05", 60000, "monthly")]
    assert await lines(svc, (await compile_(svc, "2022-07"))["roster_id"]) == [(A, "2022-07", 130000, "monthly")]
    assert (await compile_(svc, "2022-08"))["lines"] == 0
