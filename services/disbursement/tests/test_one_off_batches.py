"""Temporary assistance through one-off batches (issue 16 item 1) on real PostgreSQL and JetStream:
tranches payable by today go on a batch, finance confirms it, a failed tranche is carried to the next
batch, a tranche is paid once whatever is redelivered or retried, and a case paid in full is closed."""

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from jiuzhu_contracts.base import ApprovingBody, Category
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import CaseApproved
from jiuzhu_contracts.events.temporary import Tranche
from jiuzhu_devstack.testing import eventually

from jiuzhu_disbursement.bootstrap import build

from .test_disbursement_service import J1, J2, LEADER, recipients

TZ = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2022, 3, 14)


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "disbursement", None, today=dt.datetime(2022, 3, 14, 9, tzinfo=TZ)) as running:
        yield running


def approved(case_id, jurisdiction, amount, tranches=(), category=Category.TEMPORARY):
    payload = CaseApproved(decided_on=DAY, category=category, amount_fen=amount, household_size=2,
                           first_month_paid="2022-03", approving_body=ApprovingBody.JURISDICTION, signer=LEADER,
                           public_name="张三", committee="居委会", payment_account="6222020000000001",
                           tranches=tuple(Tranche(no=i, amount_fen=a, payable_on=d)
                                          for i, (a, d) in enumerate(tranches, start=1)),
                           assist_first=bool(tranches))
    return Envelope.wrap(payload, district="650205", jurisdiction=jurisdiction,
                         actor=Actor(id="lead-1", role="leader", name="孙主任"),
                         occurred_at=dt.datetime(2022, 3, 14, 9, tzinfo=TZ), case_id=case_id)


async def test_tranches_are_paid_once_through_batches_and_the_case_closes_when_paid_in_full(svc):
    admin = svc.token("bureau_admin", jurisdiction="650205", who="ba-1", name="区民政局")
    finance = svc.token("finance", jurisdiction="650205", who="fin-1", name="区财政局")
    two = f"{J1}-2022-00001"
    one = f"{J2}-2022-00001"
    later = DAY + dt.timedelta(days=18)
    first_approval = approved(two, J1, 300_000, tranches=((200_000, DAY), (100_000, later)))
    await svc.publish(first_approval)
    await svc.publish(first_approval)  # redelivered: registered once
    await svc.publish(approved(one, J2, 270_000))  # an ordinary approval written without tranches: one, today
    await svc.publish(approved(f"{J1}-2022-00002", J1, 120_000, category=Category.DIBAO))
    await eventually(lambda: recipients(svc, 3))

    # The wrong role and a jurisdiction's staff are refused; the roster no longer carries temporary cases.
    assert (await svc.client.post("/one-off-batches", json={}, headers=finance)).status_code == 403
    assert (await svc.client.post("/one-off-batches", json={},
                                  headers=svc.token("bureau_admin", jurisdiction=J1))).status_code == 403
    roster = (await svc.client.post("/rosters", json={"month": "2022-04"}, headers=admin)).json()
    assert roster["totals"] == {"dibao": [1, 120_000]}

    batch = (await svc.client.post("/one-off-batches", json={}, headers=admin)).json()
    assert batch["batch_id"] == "LS-650205-20220314-1" and batch["lines"] == 2 and batch["total_fen"] == 470_000
    nothing = await svc.client.post("/one-off-batches", json={}, headers=admin)
    assert nothing.status_code == 409 and "L18 §2(四)" in nothing.json()["rule"]
    csv = await svc.client.get(f"/one-off-batches/{batch['batch_id']}/export.csv", headers=finance)
    lines_part = csv.text.split("\n\n# total_fen")[0] + "\n"
    assert hashlib.sha256(lines_part.encode()).hexdigest() == batch["checksum"] == csv.headers["x-batch-checksum"]
    [issued] = await svc.published("one_off_batch_issued")
    assert {(l.case_id, l.tranche) for l in issued.payload.lines} == {(two, 1), (one, 1)}

    # Finance: the bureau cannot confirm; one line fails, the rest is paid; a retry pays nothing.
    assert (await svc.client.post(f"/one-off-batches/{batch['batch_id']}/payments", json={"all": "paid"},
                                  headers=admin)).status_code == 403
    failed = await svc.client.post(f"/one-off-batches/{batch['batch_id']}/payments", headers=finance, json={
        "lines": [{"case_id": one, "tranche": 1, "status": "failed", "failure_reason": "账户已冻结"}]})
    assert failed.json()["failed"] == 1
    rest = (await svc.client.post(f"/one-off-batches/{batch['batch_id']}/payments", json={"all": "paid"},
                                  headers=finance)).json()
    assert (rest["paid"], rest["status"]) == (1, "confirmed")
    retry = (await svc.client.post(f"/one-off-batches/{batch['batch_id']}/payments", json={"all": "paid"},
                                   headers=finance)).json()
    assert retry["confirmed"] == 0
    assert await svc.published("temporary_assistance_paid") == []  # two has a tranche to come, one failed

    # The next batch carries the failed tranche; the second tranche waits for its day.
    carried = (await svc.client.post("/one-off-batches", json={"jurisdiction": J2}, headers=admin)).json()
    assert carried["lines"] == 1 and carried["total_fen"] == 270_000
    await svc.client.post(f"/one-off-batches/{carried['batch_id']}/payments", json={"all": "paid"}, headers=finance)
    [paid] = await eventually(lambda: _paid(svc, 1))
    assert paid.case_id == one and paid.jurisdiction == J2 and paid.payload.amount_fen == 270_000
    assert paid.payload.batches == (carried["batch_id"],)  # the batch that paid it

    svc.kit.clock.set(dt.datetime.combine(later, dt.time(9), TZ))
    third = (await svc.client.post("/one-off-batches", json={}, headers=admin)).json()
    assert third["lines"] == 1 and third["total_fen"] == 100_000
    await svc.client.post(f"/one-off-batches/{third['batch_id']}/payments", json={"all": "paid"}, headers=finance)
    closed = await eventually(lambda: _paid(svc, 2))
    assert (closed[1].case_id, closed[1].payload.tranches, closed[1].payload.amount_fen) == (two, 2, 300_000)
    detail = (await svc.client.get(f"/one-off-batches/{batch['batch_id']}",
                                   headers=svc.token("inspector", jurisdiction="650205"))).json()
    assert sorted((l["case_id"], l["status"]) for l in detail["lines_detail"]) == [(two, "paid"), (one, "failed")]

    # The database itself refuses a second claim of a tranche and any change to a paid one.
    async with svc.kit.sessions() as s:
        with pytest.raises(IntegrityError):
            async with s.begin():
                await s.execute(text("INSERT INTO tranche_claims VALUES (:c, 1, 1, 'x', 'submitted')"), {"c": two})
    async with svc.kit.sessions() as s:
        with pytest.raises(DBAPIError, match="paid and final"):
            async with s.begin():
                await s.execute(text("UPDATE tranche_claims SET status = 'failed' WHERE case_id = :c"), {"c": two})


async def _paid(svc, n):
    found = await svc.published("temporary_assistance_paid")
    return found if len(found) >= n else None
