"""Issue 16 items 4 and 5 on the real processes: 柳树街 approves two dibao households and one
temporary assistance in March 2025; in April the fund plan projects May and June from that trend —
the expected new approvals at the window's mean amount and the temporary assistance at its mean per
month — for the district and for 柳树街's leader, who is refused 乌尔禾镇's plan with the rule. In the
console (Debian's Chromium, Playwright) the leader produces 柳树街's own monthly and yearly
statistics as charts and downloads them; 乌尔禾镇's are refused with the rule; the bureau sees the
district's. Dates after every other e2e file's (test_console_caseload's 2024-06)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os

import pytest

from .desk import CHROMIUM, Desk
from .steps import C1, J1, J2, at

DAY = dt.date(2025, 3, 3)  # a Monday; 7 working days of publicity end 03-12
DECIDED = dt.date(2025, 3, 14)
CURRENT = dt.date(2025, 4, 1)  # the trend window: 2024-10 … 2025-03 ([fund_plan] trend_months = 6)
APPROVED: dict[str, int] = {}  # case id → amount approved (fen)


async def investigate_hardship(walker, case_id: str, members: list[dict]) -> None:
    """The home visit and the household data, the investigators confirming the hardship (L18 §2)."""
    await walker.wait_task(J1, case_id)
    await walker.call("POST", "verification", J1, f"/cases/{case_id}/home-visit", role="investigator", who="inv-a",
                      json={"visited_on": DAY.isoformat(), "partner": {"id": "inv-b", "name": "李调查"},
                            "living_conditions": "租住单间", "findings": "突发重病，医疗支出大", "household_signed": True})
    await walker.call("POST", "verification", J1, f"/cases/{case_id}/household", role="investigator", who="inv-a",
                      json={"members": members, "incomes": [{"kind": "wages", "monthly_fen": 50000}], "assets": [],
                            "facts": {"hardship_confirmed": "yes"}})


def line(plan: dict, month: str, jurisdiction: str, category: str) -> dict:
    return next(r for r in plan["rows"]
                if (r["month"], r["jurisdiction"], r["category"]) == (month, jurisdiction, category))


async def test_the_fund_plan_projects_the_months_trend_and_temporary_assistance(district, walker):
    await district.set_business_time(at(DAY))
    cases = {}
    for seq, category in ((9501, "dibao"), (9502, "dibao"), (9503, "temporary")):
        members = walker.household(seq)
        materials = ["application_form", "id_cards", "household_register", "income_proof"] + (
            ["hardship_statement"] if category == "temporary" else [])  # L18 §2
        accepted = await walker.apply(J1, members, committee=C1, category=category, income_fen=50000,
                                      materials=materials)
        if category == "temporary":
            await investigate_hardship(walker, accepted["case_id"], members)
        else:
            await walker.investigate(J1, accepted["case_id"], members, DAY, income_fen=50000)
        cases[accepted["case_id"]] = category
    for case_id in cases:
        await walker.wait_report(J1, case_id)
        computed = await walker.review(J1, case_id)
        assert computed["eligible"] and computed["amount_fen"] > 0, computed
    await district.set_business_time(at(DECIDED))
    for case_id in cases:
        await walker.wait_decision_state(J1, case_id, lambda s: s["publicity"] == "clean")
        await walker.decide(J1, case_id)

    async def registered():
        rows = (await walker.call("GET", "disbursement", None, "/recipients", role="bureau_admin",
                                  params={"jurisdiction": J1, "limit": 10000})).json()
        mine = {r["case_id"]: r for r in rows if r["case_id"] in cases}
        return mine if len(mine) == len(cases) else None
    register = await walker.until(registered)
    APPROVED.update({c: r["amount_fen"] for c, r in register.items()})
    dibao = sum(a for c, a in APPROVED.items() if cases[c] == "dibao")
    temporary = sum(a for c, a in APPROVED.items() if cases[c] == "temporary")

    await district.set_business_time(at(CURRENT))
    plan = (await walker.call("GET", "disbursement", None, "/fund-plan/projection", role="bureau_admin",
                              params={"start": "2025-05", "months": 2})).json()
    assert plan["current_month"] == "2025-04"
    assert plan["trend_window"] == {"first": "2024-10", "last": "2025-03", "months": 6}
    may, june = line(plan, "2025-05", J1, "dibao"), line(plan, "2025-06", J1, "dibao")
    # two approvals in six months: 1/3 of a household a month, at their mean amount; none known since April
    assert may["expected_new_households"] == 0.33 and june["expected_new_households"] == 0.67
    assert may["expected_new_amount_fen"] == (dibao + 3) // 6  # (a + b) / 6, half up
    assert may["in_force_households"] >= 2 and may["in_force_amount_fen"] >= dibao  # paid from April
    assert may["projected_amount_fen"] == (may["in_force_amount_fen"] + may["expected_new_amount_fen"]
                                           - may["expected_exit_amount_fen"] + may["standard_raise_fen"])
    assert may["standard_raise_fen"] == 0  # the district file configures no later standard
    temp = line(plan, "2025-06", J1, "temporary")  # the decided amount, one sixth a month, every month
    assert temp["temporary_amount_fen"] == (temporary + 3) // 6 and temp["projected_households"] == 0.17
    assert line(plan, "2025-05", J2, "temporary")["temporary_amount_fen"] == 0

    own = (await walker.call("GET", "disbursement", None, "/fund-plan/projection", role="leader",
                             as_jurisdiction=J1, params={"start": "2025-05", "months": 2})).json()
    assert {r["jurisdiction"] for r in own["rows"]} == {J1}
    assert line(own, "2025-05", J1, "dibao") == may
    refused = await walker.call("GET", "disbursement", None, "/fund-plan/projection", role="leader",
                                as_jurisdiction=J1, params={"jurisdiction": J2}, expect=403)
    assert "四(二)3–4" in refused.json()["rule"] and refused.json()["field"] == "jurisdiction"
    wrong_role = await walker.call("GET", "disbursement", None, "/fund-plan/projection", role="reviewer",
                                   as_jurisdiction=J1, expect=403)
    assert "allowed: leader" in wrong_role.text
    sheet = await walker.call("GET", "disbursement", None, "/fund-plan/projection", role="finance",
                              params={"start": "2025-05", "months": 2, "format": "csv"})
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["月份", "辖区", "类别"] and [J1, "temporary"] in [r[1:3] for r in rows[1:] if r]

    # the month's filings spot-checked, for the statistics' spot-check column, once oversight has them
    async def filed():
        rows = (await walker.call("GET", "oversight", None, "/statistics", role="leader", as_jurisdiction=J1,
                                  params={"month": "2025-03"})).json()
        return sum(r["approvals"] for r in rows) >= 3
    await walker.until(filed)
    await walker.call("POST", "oversight", None, "/spot-checks/draw", role="inspector", json={"month": "2025-03"})


pytestmark_browser = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                        reason="Debian's chromium is not installed (./jz test installs it as root)")


@pytestmark_browser
async def test_a_jurisdiction_produces_its_own_statistics_in_the_console_and_is_refused_anothers(
        district, walker, browser, console):
    if not APPROVED:
        pytest.skip("needs the approvals of the first test of this file")

    async def counted():
        rows = (await walker.call("GET", "oversight", None, "/statistics", role="leader", as_jurisdiction=J1,
                                  params={"month": "2025-03"})).json()
        return rows if sum(r["approvals"] for r in rows) >= 3 and sum(r["spot_checks"] for r in rows) >= 1 else None
    await walker.until(counted)

    async with Desk(browser, console, "lsj-lead-1", viewport=(1280, 1500)) as leader:
        await leader.open("/")
        await leader.page.get_by_role("link", name="统计", exact=True).click()
        await leader.page.wait_for_url("**/statistics")
        await leader.page.fill("#month", "2025-03")
        await leader.page.get_by_role("button", name="查看月度").click()
        await leader.page.wait_for_url("**/statistics?month=2025-03")
        heading = await leader.page.inner_text("h1")
        assert "柳树街街道办事处" in heading and "2025年3月" in heading
        assert await leader.page.locator("figure.chart svg").count() == 6
        main = await leader.page.inner_text("main")
        assert "新增、停发、变更" in main and "各环节平均用时与时限" in main and "按时办结与超时" in main
        assert "乌尔禾镇" not in main  # its own figures only
        await leader.shot("statistics-jurisdiction-month")
        async with leader.page.expect_download() as waiting:
            await leader.page.click("#download-csv")
        download = await waiting.value
        body = open(await download.path(), encoding="utf-8-sig").read()
        rows = list(csv.reader(io.StringIO(body)))
        assert "在保人数" in rows[0] and {r[1] for r in rows[1:] if r} == {J1}
        dibao = next(r for r in rows[1:] if r and r[3] == "dibao")
        assert int(dibao[rows[0].index("批准")]) >= 2
        async with leader.page.expect_download() as waiting:
            await leader.page.click("#download-xlsx")
        assert (await waiting.value).suggested_filename.endswith(".xlsx")

        await leader.page.fill("#year", "2025")
        await leader.page.get_by_role("button", name="查看年度").click()
        await leader.page.wait_for_url("**/statistics?year=2025")
        assert "2025年" in await leader.page.inner_text("h1")
        assert await leader.page.locator("figure.chart svg").count() == 6
        await leader.shot("statistics-jurisdiction-year")

        await leader.page.get_by_role("link", name="资金需求预测").click()
        await leader.page.wait_for_url("**/finance/fund-plan?jurisdiction=650205001")
        assert "柳树街街道办事处" in await leader.page.inner_text("h1")
        assert await leader.page.locator("figure.chart svg").count() == 1
        table = await leader.page.inner_text("table")
        assert "2025-05" in table and "0.33 /" in table  # the trend's expected new approvals in May
        await leader.shot("fund-plan-jurisdiction")
        assert (await leader.open(f"/finance/fund-plan?jurisdiction={J2}")).status == 403
        assert "四(二)3–4" in await leader.page.inner_text("main")

        response = await leader.open(f"/statistics?month=2025-03&jurisdiction={J2}")
        assert response.status == 403
        refused = await leader.page.inner_text("main")
        assert "四(二)3–4" in refused and "本辖区" in refused
        assert await leader.page.locator("figure.chart").count() == 0
        await leader.shot("statistics-refused")

    async with Desk(browser, console, "bureau-ins-1", viewport=(1280, 1500)) as bureau:
        await bureau.open("/statistics?month=2025-03")
        assert "全区" in await bureau.page.inner_text("h1")
        await bureau.page.select_option("#jurisdiction-m", J2)
        await bureau.page.get_by_role("button", name="查看月度").click()
        await bureau.page.wait_for_url(lambda url: f"jurisdiction={J2}" in url)
        assert "乌尔禾镇" in await bureau.page.inner_text("h1")
        await bureau.open("/statistics?month=2025-03")
        await bureau.shot("statistics-district")

    async with Desk(browser, console, "lsj-inv-a") as investigator:
        response = await investigator.open("/statistics")
        assert response.status == 403
