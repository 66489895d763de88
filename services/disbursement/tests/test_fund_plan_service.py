"""The projected fund plan on real PostgreSQL and JetStream (issue 16 item 4): from the decisions
disbursement registered, per jurisdiction, category and month; CSV and XLSX; a jurisdiction's
leader reads its own plan, another's is refused with the rule."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.base import ApprovingBody, Category, Role, Signer
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import CaseApproved, SupportEnded
from jiuzhu_devstack.testing import eventually

from jiuzhu_disbursement.bootstrap import build

TZ = ZoneInfo("Asia/Shanghai")
J1, J2 = "650205001", "650205100"
LEADER = Signer(id="lead-1", name="孙主任", role=Role.LEADER)
ACTOR = Actor(id="lead-1", role="leader", name="孙主任")


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "disbursement", None) as running:  # business day 2022-03-01
        yield running


def approved(case_id, jurisdiction, amount, decided, first, category=Category.DIBAO, size=2):
    payload = CaseApproved(decided_on=decided, category=category, amount_fen=amount, household_size=size,
                           first_month_paid=first, approving_body=ApprovingBody.JURISDICTION, signer=LEADER,
                           public_name="张三", committee="居委会", payment_account="6222020000000001")
    return Envelope.wrap(payload, district="650205", jurisdiction=jurisdiction, actor=ACTOR,
                         occurred_at=dt.datetime.combine(decided, dt.time(9), TZ), case_id=case_id)


async def registered(svc, n):
    r = await svc.client.get("/recipients", headers=svc.token("bureau_admin", jurisdiction="650205"))
    rows = r.json()
    return rows if len(rows) >= n and any(x["until_month"] for x in rows) else None


def line(plan, month, jurisdiction, category):
    return next(r for r in plan["rows"] if (r["month"], r["jurisdiction"], r["category"]) == (month, jurisdiction,
                                                                                              category))


async def test_the_plan_projects_the_trend_temporary_assistance_and_refuses_another_jurisdiction(svc):
    d = dt.date
    # the trend window is 2021-09 … 2022-02 ([fund_plan] trend_months = 6 before the business month)
    await svc.publish(approved(f"{J1}-2021-00001", J1, 60000, d(2021, 10, 14), "2021-11"))
    await svc.publish(approved(f"{J1}-2021-00002", J1, 90000, d(2021, 12, 10), "2022-01"))
    await svc.publish(approved(f"{J1}-2022-00001", J1, 120000, d(2022, 2, 10), "2022-03"))
    await svc.publish(approved(f"{J1}-2022-00002", J1, 100000, d(2022, 3, 1), "2022-04"))  # known: this month
    await svc.publish(approved(f"{J1}-2022-00003", J1, 270000, d(2022, 1, 5), "2022-02", Category.TEMPORARY))
    await svc.publish(approved(f"{J1}-2022-00004", J1, 90000, d(2022, 2, 3), "2022-03", Category.TEMPORARY, 3))
    await svc.publish(approved(f"{J2}-2022-00001", J2, 80000, d(2022, 1, 20), "2022-02"))
    await svc.publish(approved(f"{J1}-2022-00005", J1, 0, d(2022, 2, 11), "2022-03", Category.LOW_INCOME))
    ended = SupportEnded(category=Category.DIBAO, last_month_paid="2022-01", reasons=("收入增加",), signer=LEADER)
    await svc.publish(Envelope.wrap(ended, district="650205", jurisdiction=J1, actor=ACTOR,
                                    occurred_at=dt.datetime(2022, 1, 20, 9, tzinfo=TZ), case_id=f"{J1}-2021-00001"))
    await eventually(lambda: registered(svc, 8))

    admin = svc.token("bureau_admin", jurisdiction="650205")
    r = await svc.client.get("/fund-plan/projection", params={"start": "2022-04", "months": 3}, headers=admin)
    assert r.status_code == 200, r.text
    plan = r.json()
    assert plan["trend_window"] == {"first": "2021-09", "last": "2022-02", "months": 6}
    april, june = line(plan, "2022-04", J1, "dibao"), line(plan, "2022-06", J1, "dibao")
    # in force in April: the December, February and March approvals (the October one ended in January)
    assert (april["in_force_households"], april["in_force_persons"], april["in_force_amount_fen"]) == (3, 6, 310000)
    assert april["expected_new_households"] == 0  # 0.5 a month expected; March's approval is known already
    assert april["expected_exit_amount_fen"] == 17222 and april["projected_amount_fen"] == 292778
    assert june["expected_new_households"] == 0.5 and june["expected_new_amount_fen"] == 45000
    assert june["projected_amount_fen"] == 310000 + 45000 - 51667
    temporary = line(plan, "2022-05", J1, "temporary")
    assert temporary["temporary_amount_fen"] == 60000 and temporary["projected_households"] == 0.33
    assert not [r for r in plan["rows"] if r["category"] == "low_income"]  # registered, not paid (D21 art. 8)
    town = line(plan, "2022-04", J2, "dibao")
    assert town["in_force_amount_fen"] == 80000 and town["standard_fen"] == 70000  # a township: the rural line
    assert plan["totals"][0]["projected_amount_fen"] == sum(
        r["projected_amount_fen"] for r in plan["rows"] if r["month"] == "2022-04")

    own = await svc.client.get("/fund-plan/projection", params={"start": "2022-04", "months": 1},
                               headers=svc.token("leader", jurisdiction=J1))
    assert own.status_code == 200 and {r["jurisdiction"] for r in own.json()["rows"]} == {J1}
    other = await svc.client.get("/fund-plan/projection", params={"jurisdiction": J1},
                                 headers=svc.token("leader", jurisdiction=J2))
    assert other.status_code == 403 and "本辖区" in other.json()["rule"] and other.json()["field"] == "jurisdiction"
    clerk = await svc.client.get("/fund-plan/projection", headers=svc.token("investigator", jurisdiction=J1))
    assert clerk.status_code == 403 and "allowed: leader" in clerk.text
    past = await svc.client.get("/fund-plan/projection", params={"start": "2022-02"}, headers=admin)
    assert past.status_code == 422 and past.json()["field"] == "start"

    csv = await svc.client.get("/fund-plan/projection", params={"start": "2022-04", "months": 3, "format": "csv",
                                                              "jurisdiction": J1}, headers=admin)
    assert csv.status_code == 200 and csv.headers["content-disposition"].endswith('fund-plan-650205001-2022-04.csv"')
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("月份,辖区,类别,当月标准（分/人）,在保户数")
    assert "2022-06,650205001,dibao,90000,3,6,310000,0.5,45000,0.5,51667,0,0,3.0,6.0,303333" in text
    xlsx = await svc.client.get("/fund-plan/projection", params={"start": "2022-04", "format": "xlsx"}, headers=admin)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["资金需求计划", "测算方法"]
    assert book["资金需求计划"].max_row == 1 + 12 * 3 * 3  # [fund_plan] months = 12; 3 jurisdictions × 3 categories
