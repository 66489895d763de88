"""Disbursement on real PostgreSQL and JetStream: a roster for a month is compiled, submitted,
downloaded and confirmed; no household is ever paid twice for a month and category."""

import datetime as dt
import hashlib
import io
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from jiuzhu_contracts.base import ApprovingBody, Category, Role, Signer
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import CaseApproved, SupportEnded
from jiuzhu_devstack.testing import eventually

from jiuzhu_disbursement.bootstrap import build

TZ = ZoneInfo("Asia/Shanghai")
J1, J2 = "650205001", "650205100"
LEADER = Signer(id="lead-1", name="孙主任", role=Role.LEADER)


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "disbursement", None) as running:
        yield running


def approved(case_id, jurisdiction, amount, category=Category.DIBAO, first="2022-04", name="张三"):
    payload = CaseApproved(decided_on=dt.date(2022, 3, 14), category=category, amount_fen=amount, household_size=2,
                           first_month_paid=first, approving_body=ApprovingBody.JURISDICTION, signer=LEADER,
                           public_name=name, committee="居委会", payment_account="6222020000000001")
    return Envelope.wrap(payload, district="650205", jurisdiction=jurisdiction,
                         actor=Actor(id="lead-1", role="leader", name="孙主任"),
                         occurred_at=dt.datetime(2022, 3, 14, 9, tzinfo=TZ), case_id=case_id)


async def recipients(svc, n):
    r = await svc.client.get("/recipients", headers=svc.token("bureau_admin", jurisdiction="650205"))
    return r.json() if len(r.json()) >= n else None


async def test_roster_compiled_submitted_downloaded_confirmed_and_never_paid_twice(svc):
    admin = svc.token("bureau_admin", jurisdiction="650205", who="ba-1", name="区民政局")
    finance = svc.token("finance", jurisdiction="650205", who="fin-1", name="区财政局")
    await svc.publish(approved(f"{J1}-2022-00001", J1, 120000))
    await svc.publish(approved(f"{J1}-2022-00002", J1, 45000, name='王"五\\六\t七'))  # quote, backslash, tab
    await svc.publish(approved(f"{J2}-2022-00001", J2, 270000, Category.TEMPORARY))
    await svc.publish(approved(f"{J2}-2022-00002", J2, 99900, first="2022-05"))  # starts next month
    await eventually(lambda: recipients(svc, 4))

    first = (await svc.client.post("/rosters", json={"month": "2022-04"}, headers=admin)).json()
    # Temporary assistance is paid by one-off batches, not on the roster (issue 16 item 1).
    assert first["lines"] == 2 and first["version"] == 1
    assert first["totals"] == {"dibao": [2, 165000]}
    again = (await svc.client.post("/rosters", json={"month": "2022-04"}, headers=admin)).json()
    assert again["roster_id"] == first["roster_id"] and again["unchanged"] is True

    await svc.publish(approved(f"{J2}-2022-00003", J2, 80000, name="李四"))
    await eventually(lambda: recipients(svc, 5))
    second = (await svc.client.post("/rosters", json={"month": "2022-04"}, headers=admin)).json()
    assert second["version"] == 2 and second["lines"] == 3
    assert second["difference"]["added"] == 1
    assert second["difference"]["lines"] == [f"+ {J2}-2022-00003 dibao 2022-04 李四 800.00元"]
    stale = await svc.client.post(f"/rosters/{first['roster_id']}/submit", headers=admin)
    assert stale.status_code == 409  # a superseded version cannot be submitted

    town = (await svc.client.post("/rosters", json={"month": "2022-04", "jurisdiction": J1}, headers=admin)).json()
    early = await svc.client.get(f"/rosters/{second['roster_id']}/export.csv", headers=finance)
    assert early.status_code == 409  # finance receives submitted rosters only
    submitted = await svc.client.post(f"/rosters/{second['roster_id']}/submit", headers=admin)
    assert submitted.status_code == 200
    twice = await svc.client.post(f"/rosters/{town['roster_id']}/submit", headers=admin)
    assert twice.status_code == 409 and "paid twice" in twice.json()["rule"]
    assert len(twice.json()["conflicts"]) == 2

    csv = await svc.client.get(f"/rosters/{second['roster_id']}/export.csv", headers=finance)
    assert csv.status_code == 200
    body = csv.text
    lines_part = body.split("\n\n# totals")[0] + "\n"
    assert hashlib.sha256(lines_part.encode()).hexdigest() == second["checksum"] == csv.headers["x-roster-checksum"]
    assert '"王""五\\六\t七"' in body and "# dibao,3,245000,2450.00" in body
    # The SQL/COPY path agrees with the domain's rules for the canonical export, line for line.
    from jiuzhu_disbursement.adapters.roster_sql import all_lines
    from jiuzhu_disbursement.domain.roster import checksum as canonical_checksum
    async with svc.kit.sessions() as s:
        assert canonical_checksum(await all_lines(s, second["roster_id"])) == second["checksum"]
    xlsx = await svc.client.get(f"/rosters/{second['roster_id']}/export.xlsx", headers=finance)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    assert book["名册"].max_row == 4 and book["合计"].cell(1, 1).value == "类别"

    failed = f"{J1}-2022-00002"
    confirm = await svc.client.post(f"/rosters/{second['roster_id']}/payments", headers=finance, json={"lines": [
        {"case_id": failed, "category": "dibao", "month": "2022-04", "status": "failed",
         "failure_reason": "账户已销户"}]})
    assert confirm.json() == {"roster_id": second["roster_id"], "confirmed": 1, "paid": 0, "failed": 1}
    rest = await svc.client.post(f"/rosters/{second['roster_id']}/payments", headers=finance, json={"all": "paid"})
    assert rest.json()["paid"] == 2
    stands = (await svc.client.get(f"/rosters/{second['roster_id']}/payments", headers=finance)).json()
    assert sorted((c["case_id"], c["status"], c["failure_reason"]) for c in stands if c["case_id"] == failed) == [
        (failed, "failed", "账户已销户")]
    assert sum(c["status"] == "paid" for c in stands) == 2 and len(stands) == 3
    events = await svc.published("payment_confirmed")
    assert sum(len(e.payload.lines) for e in events) == 3

    may = (await svc.client.post("/rosters", json={"month": "2022-05"}, headers=admin)).json()
    async with svc.kit.sessions() as s:
        lines = (await s.execute(text("SELECT case_id, month, kind FROM roster_lines WHERE roster_id = :r "
                                      "ORDER BY case_id, month"), {"r": may["roster_id"]})).all()
    assert [tuple(l) for l in lines] == [
        (f"{J1}-2022-00001", "2022-05", "monthly"), (failed, "2022-04", "carried"), (failed, "2022-05", "monthly"),
        (f"{J2}-2022-00002", "2022-05", "monthly"), (f"{J2}-2022-00003", "2022-05", "monthly")]
    assert (await svc.client.post(f"/rosters/{may['roster_id']}/submit", headers=admin)).status_code == 200

    # The database itself refuses a second claim and any change to a paid one.
    async with svc.kit.sessions() as s:
        with pytest.raises(IntegrityError):
            async with s.begin():
                await s.execute(text("INSERT INTO payment_claims VALUES (:c, 'dibao', '2022-04', 1, 'x', 'submitted')"),
                                {"c": f"{J1}-2022-00001"})
    async with svc.kit.sessions() as s:
        with pytest.raises(DBAPIError, match="paid and final"):
            async with s.begin():
                await s.execute(text("UPDATE payment_claims SET status = 'failed' WHERE case_id = :c AND month = "
                                     "'2022-04'"), {"c": f"{J1}-2022-00001"})


async def test_support_ended_leaves_the_roster_and_the_fund_plan(svc):
    admin = svc.token("bureau_admin", jurisdiction="650205")
    await svc.publish(approved(f"{J1}-2022-00001", J1, 120000))
    await svc.publish(approved(f"{J1}-2022-00002", J1, 60000))
    await eventually(lambda: recipients(svc, 2))
    ended = SupportEnded(category=Category.DIBAO, last_month_paid="2022-05", reasons=("收入增加",), signer=LEADER)
    await svc.publish(Envelope.wrap(ended, district="650205", jurisdiction=J1,
                                    actor=Actor(id="lead-1", role="leader", name="孙主任"),
                                    occurred_at=dt.datetime(2022, 5, 10, 9, tzinfo=TZ), case_id=f"{J1}-2022-00002"))

    async def ended_in_register():
        rows = await recipients(svc, 2)
        return rows and any(r["until_month"] == "2022-05" for r in rows)

    await eventually(ended_in_register)
    plan = (await svc.client.get("/fund-plan", params={"start": "2022-04", "months": 3}, headers=admin)).json()
    assert [p["categories"]["dibao"]["amount_fen"] for p in plan] == [180000, 180000, 120000]
    june = (await svc.client.post("/rosters", json={"month": "2022-06"}, headers=admin)).json()
    assert june["lines"] == 1


async def test_every_endpoint_refuses_wrong_roles(svc):
    from jiuzhu_devstack.testing import walk_access_matrix

    assert await walk_access_matrix(svc, other_jurisdiction=J1) > 50


async def test_roster_for_a_month_far_from_the_business_month_is_refused(svc):
    """Issue 6: a roster for 9999-12 would put every recipient's payment for it on a submission."""
    admin = svc.token("bureau_admin", jurisdiction="650205")
    for month, limit in (("9999-12", "months_ahead"), ("2019-12", "months_back")):
        r = await svc.client.post("/rosters", json={"month": month}, headers=admin)
        assert r.status_code == 422 and r.json()["field"] == "month" and limit in r.json()["rule"], r.text
