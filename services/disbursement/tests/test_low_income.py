"""Issue 16 item 3 on real PostgreSQL and JetStream: a low-income household (D21 art. 8) is
registered, not paid — on the register, never on a roster (district or jurisdiction), in finance's
CSV/XLSX, in a payment claim or in the fund plan; and no 0-fen line can reach finance at all."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from jiuzhu_contracts.base import ApprovingBody, Category, Role, Signer
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import CaseApproved, SupportChanged
from jiuzhu_devstack.testing import eventually

from jiuzhu_disbursement.bootstrap import build
from jiuzhu_disbursement.domain.roster import payable

TZ = ZoneInfo("Asia/Shanghai")
J1 = "650205001"
LEADER = Signer(id="lead-1", name="孙主任", role=Role.LEADER)
ACTOR = Actor(id="lead-1", role="leader", name="孙主任")


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "disbursement", None) as running:
        yield running


def approved(case_id, amount, category, name):
    payload = CaseApproved(decided_on=dt.date(2022, 3, 14), category=category, amount_fen=amount, household_size=3,
                           first_month_paid="2022-04", approving_body=ApprovingBody.JURISDICTION, signer=LEADER,
                           public_name=name, committee="居委会", payment_account="6222020000000001")
    return Envelope.wrap(payload, district="650205", jurisdiction=J1, actor=ACTOR,
                         occurred_at=dt.datetime(2022, 3, 14, 9, tzinfo=TZ), case_id=case_id)


def test_payable_rule():
    assert payable("dibao", 1) and payable("tekun", 50000) and payable("temporary", 90000)
    assert not payable("low_income", 0) and not payable("low_income", 100)  # registered, not paid
    assert not payable("dibao", 0)  # a 0-fen line pays no one


async def test_a_low_income_household_is_registered_never_on_a_roster_or_the_fund_plan(svc):
    admin = svc.token("bureau_admin", jurisdiction="650205")
    finance = svc.token("finance", jurisdiction="650205")
    low, paid, zeroed = f"{J1}-2022-00001", f"{J1}-2022-00002", f"{J1}-2022-00003"
    await svc.publish(approved(low, 0, Category.LOW_INCOME, "王低收"))
    await svc.publish(approved(paid, 120000, Category.DIBAO, "张三"))
    await svc.publish(approved(zeroed, 30000, Category.DIBAO, "李四"))
    # A dibao household changed to 0 fen from May: it stays on the register until its end is decided,
    # but a 0-fen month is not a payment.
    change = SupportChanged(category=Category.DIBAO, cause="re_review", decided_on=dt.date(2022, 4, 20),
                            amount_before_fen=30000, amount_fen=0, household_size=3, effective_month="2022-05",
                            reasons=("收入增加",), approving_body=ApprovingBody.JURISDICTION, signer=LEADER,
                            notice_no="TF-2022-0001")
    await svc.publish(Envelope.wrap(change, district="650205", jurisdiction=J1, actor=ACTOR,
                                    occurred_at=dt.datetime(2022, 4, 20, 9, tzinfo=TZ), case_id=zeroed))

    async def registered():
        r = await svc.client.get("/recipients", headers=admin)
        return {row["case_id"]: row for row in r.json()} if len(r.json()) >= 3 else None

    register = await eventually(registered)
    assert register[low]["category"] == "low_income" and register[low]["amount_fen"] == 0  # registered

    for body in ({"month": "2022-04"}, {"month": "2022-04", "jurisdiction": J1}):
        roster = (await svc.client.post("/rosters", json=body, headers=admin)).json()
        assert roster["lines"] == 2 and "low_income" not in roster["totals"], roster
    district = "R-650205-2022-04-v1"
    async with svc.kit.sessions() as s:
        zero = (await s.execute(text("SELECT count(*) FROM roster_lines WHERE amount_fen = 0 OR category = "
                                     "'low_income'"))).scalar()
    assert zero == 0
    assert (await svc.client.post(f"/rosters/{district}/submit", headers=admin)).status_code == 200
    csv = (await svc.client.get(f"/rosters/{district}/export.csv", headers=finance)).text
    assert low not in csv and "low_income" not in csv and ",0,\"" not in csv
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO((await svc.client.get(f"/rosters/{district}/export.xlsx",
                                                          headers=finance)).content))
    cells = [c.value for row in book["名册"].iter_rows() for c in row]
    assert low not in cells and 0 not in cells and "low_income" not in cells
    claims = (await svc.client.get(f"/rosters/{district}/payments", headers=finance)).json()
    assert {c["case_id"] for c in claims} == {paid, zeroed}

    async def changed():
        async with svc.kit.sessions() as s:
            return (await s.execute(text("SELECT 1 FROM recipient_amounts WHERE case_id = :c"), {"c": zeroed})).first()

    await eventually(changed)
    plan = (await svc.client.get("/fund-plan", params={"start": "2022-04", "months": 2}, headers=admin)).json()
    assert all("low_income" not in m["categories"] for m in plan), plan
    assert [m["categories"]["dibao"] for m in plan] == [{"households": 2, "amount_fen": 150000},
                                                        {"households": 1, "amount_fen": 120000}]
    may = (await svc.client.post("/rosters", json={"month": "2022-05"}, headers=admin)).json()
    assert may["lines"] == 1 and may["totals"] == {"dibao": [1, 120000]}
