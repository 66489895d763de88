"""Issue 16 item 5 on real PostgreSQL and JetStream: statistics count persons as well as households,
a low-income household (registered, not paid) among them; a year as well as a month; and a
jurisdiction's leader or clerk reads its own figures (四(二)3–4), refused another's (403) — as JSON,
CSV and XLSX."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.base import Category
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import ApplicationAccepted, CaseApproved
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_devstack.testing import eventually

from jiuzhu_oversight.bootstrap import build
from jiuzhu_oversight.domain.statistics import last_month, period_problem

TZ = ZoneInfo("Asia/Shanghai")
D, J1, J2 = "650205", "650205001", "650205100"
CLERK = Actor(id="clerk-1", role="clerk", name="刘窗口")


def test_periods():
    assert period_problem("2022") is None and period_problem("2022-05") is None
    assert period_problem("2022-13") and period_problem("22-05") and period_problem("2022-5")
    assert last_month("2022") == "2022-12" and last_month("2022-05") == "2022-05"


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "oversight", None) as running:
        yield running


def event(kind, case_id, jurisdiction, day, **changes):
    example = next(e for e in EXAMPLES if isinstance(e, kind))
    return Envelope.wrap(example.model_copy(update=changes), district=D, jurisdiction=jurisdiction, actor=CLERK,
                         occurred_at=dt.datetime.combine(day, dt.time(9), TZ), case_id=case_id)


async def test_persons_years_and_a_jurisdictions_own_figures(svc):
    low, dibao, other = f"{J1}-2022-00301", f"{J1}-2022-00302", f"{J2}-2022-00301"
    for case_id, j, category, size, amount, day in ((low, J1, Category.LOW_INCOME, 3, 0, dt.date(2022, 3, 18)),
                                                    (dibao, J1, Category.DIBAO, 2, 130000, dt.date(2022, 5, 18)),
                                                    (other, J2, Category.DIBAO, 4, 200000, dt.date(2022, 5, 18))):
        await svc.publish(event(ApplicationAccepted, case_id, j, dt.date(2022, 3, 1), category=category,
                                close_relative=None))
        await svc.publish(event(CaseApproved, case_id, j, day, category=category, decided_on=day, amount_fen=amount,
                                household_size=size, first_month_paid=f"2022-{day.month + 1:02d}"))
    district = svc.token("inspector", jurisdiction=D)

    async def year():
        r = await svc.client.get("/statistics", params={"year": "2022"}, headers=district)
        rows = r.json()
        return rows if sum(x["approvals"] for x in rows) == 3 else None

    rows = {(r["jurisdiction"], r["category"]): r for r in await eventually(year)}
    assert (rows[(J1, "low_income")]["active_households"], rows[(J1, "low_income")]["active_persons"],
            rows[(J1, "low_income")]["active_amount_fen"]) == (1, 3, 0)  # counted though not paid
    assert (rows[(J1, "dibao")]["active_persons"], rows[(J2, "dibao")]["active_persons"]) == (2, 4)
    assert rows[(J1, "dibao")]["approved_persons"] == 2 and rows[(J1, "dibao")]["month"] == "2022"
    march = (await svc.client.get("/statistics", params={"month": "2022-03"}, headers=district)).json()
    assert sum(r["approvals"] for r in march) == 1 and sum(r["approved_persons"] for r in march) == 3
    assert sum(r["active_persons"] for r in march) == 0  # the low-income household counts from April

    # A jurisdiction's leader and clerk: their own figures only, by default and when asked.
    for role in ("leader", "clerk"):
        mine = svc.token(role, jurisdiction=J1)
        own = await svc.client.get("/statistics", params={"month": "2022-05"}, headers=mine)
        assert own.status_code == 200 and {r["jurisdiction"] for r in own.json()} == {J1}
        assert sum(r["approvals"] for r in own.json()) == 1
        asked = await svc.client.get("/statistics", params={"month": "2022-05", "jurisdiction": J1}, headers=mine)
        assert asked.json() == own.json()
        theirs = await svc.client.get("/statistics", params={"month": "2022-05", "jurisdiction": J2}, headers=mine)
        assert theirs.status_code == 403 and "四(二)3–4" in theirs.json()["rule"], theirs.text
        assert theirs.json()["field"] == "jurisdiction"
    csv = await svc.client.get("/statistics", params={"year": "2022", "format": "csv"},
                               headers=svc.token("leader", jurisdiction=J1))
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert csv.headers["content-disposition"].endswith(f'statistics-{J1}-2022.csv"')
    assert lines[0].split(",")[-5:] == ["在保人数", "批准人数", "抽查户数", "抽查发现问题", "按时办结（各时限）"]
    assert len(lines) == 1 + len(Category) and all(line.split(",")[1] == J1 for line in lines[1:])
    from openpyxl import load_workbook

    xlsx = await svc.client.get("/statistics", params={"month": "2022-05", "format": "xlsx"},
                                headers=svc.token("clerk", jurisdiction=J1))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert {r[1].value for r in sheet.iter_rows(min_row=2)} == {J1}

    # District staff: one jurisdiction when asked; bad requests named.
    one = (await svc.client.get("/statistics", params={"year": "2022", "jurisdiction": J2},
                                headers=district)).json()
    assert {r["jurisdiction"] for r in one} == {J2} and sum(r["active_persons"] for r in one) == 4
    for params, field in (({}, "month"), ({"month": "2022-05", "year": "2022"}, "month"),
                          ({"month": "2022-05", "jurisdiction": "650205999"}, "jurisdiction")):
        bad = await svc.client.get("/statistics", params=params, headers=district)
        assert bad.status_code == 422 and bad.json()["field"] == field, bad.text
    assert (await svc.client.get("/statistics", params={"month": "2022-05"},
                                 headers=svc.token("investigator", jurisdiction=J1))).status_code == 403
