"""Issue 16 items 3 and 5 on the real processes: a low-income household (D21 art. 8) approved in
柳树街 is registered, not paid — absent from the month's roster and its CSV, no door card, "认定登记，
不发放保障金" on the public list, never "0.00" — and counted in the statistics, households and
persons; the jurisdiction produces its own monthly statistics (四(二)3–4), refused another's. Then
the same on the screens (Chromium): the bureau's register says 认定登记，不发放, the committee's board
makes no door card.
Dates after every other e2e file's (test_console's 2023-10-09)."""

import datetime as dt
import os

import pytest

from .desk import CHROMIUM, Desk
from .steps import C1, J1, J2, at

DAY = dt.date(2023, 11, 1)  # a Wednesday; 7 working days of publicity end 11-10
INCOME = 200000  # a couple: above 2 × the 900 元 dibao standard, below 1.5 × it


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (./jz test installs it as root)")
async def test_a_low_income_household_is_counted_not_paid_and_a_jurisdiction_reads_its_own_figures(district, walker,
                                                                                                   browser, console):
    await district.set_business_time(at(DAY))
    members = walker.household(9301)
    accepted = await walker.apply(J1, members, committee=C1, category="low_income", income_fen=INCOME)
    case_id = accepted["case_id"]
    await walker.investigate(J1, case_id, members, DAY, income_fen=INCOME)
    await walker.wait_report(J1, case_id)
    computed = await walker.review(J1, case_id)
    assert computed["eligible"] and computed["amount_fen"] == 0, computed
    await district.set_business_time(at(dt.date(2023, 11, 13)))
    await walker.wait_decision_state(J1, case_id, lambda s: s["publicity"] == "clean")
    decided = (await walker.decide(J1, case_id)).json()
    first = decided.get("first_month_paid") or "2023-12"

    async def registered():
        rows = (await walker.call("GET", "disbursement", None, "/recipients", role="bureau_admin",
                                  params={"jurisdiction": J1, "limit": 10000})).json()
        return next((r for r in rows if r["case_id"] == case_id), None)
    entry = await walker.until(registered)
    assert entry["category"] == "low_income" and entry["amount_fen"] == 0  # registered

    roster = (await walker.call("POST", "disbursement", None, "/rosters", role="bureau_admin",
                                json={"month": first, "jurisdiction": J1})).json()
    assert "low_income" not in roster["totals"], roster
    csv = (await walker.call("GET", "disbursement", None, f"/rosters/{roster['roster_id']}/export.csv",
                             role="bureau_admin")).text
    assert case_id not in csv and ",low_income," not in csv
    plan = (await walker.call("GET", "disbursement", None, "/fund-plan", role="bureau_admin",
                              params={"start": first, "months": 1})).json()
    assert "low_income" not in plan[0]["categories"]

    card = await walker.call("GET", "publicity", J1, f"/door-cards/{case_id}", role="committee", expect=409)
    assert "D21第8条" in card.json()["rule"]

    async def listed():
        page = (await walker.call("GET", "publicity", J1, "/public/list", role="committee")).text
        return page if "认定登记，不发放保障金" in page else None
    page = await walker.until(listed)
    assert ">0.00<" not in page

    async def counted():
        rows = (await walker.call("GET", "oversight", None, "/statistics", role="leader", as_jurisdiction=J1,
                                  params={"month": "2023-11"})).json()
        row = next(r for r in rows if r["category"] == "low_income")
        return rows if row["approvals"] >= 1 and row["approved_persons"] >= 2 else None
    rows = await walker.until(counted)
    assert {r["jurisdiction"] for r in rows} == {J1}  # its own figures only
    active = (await walker.call("GET", "oversight", None, "/statistics", role="clerk", as_jurisdiction=J1,
                                params={"month": first})).json()
    low = next(r for r in active if r["category"] == "low_income")
    assert low["active_households"] >= 1 and low["active_persons"] >= 2 and low["active_amount_fen"] == 0
    yearly = await walker.call("GET", "oversight", None, "/statistics", role="leader", as_jurisdiction=J1,
                               params={"year": "2023", "format": "csv"})
    assert yearly.content.decode("utf-8-sig").splitlines()[0].split(",")[-5:][0] == "在保人数"
    refused = await walker.call("GET", "oversight", None, "/statistics", role="leader", as_jurisdiction=J1,
                                params={"month": "2023-11", "jurisdiction": J2}, expect=403)
    assert "四(二)3–4" in refused.json()["rule"] and refused.json()["field"] == "jurisdiction"

    # The same, on the screens finance and the committee use (Chromium): registered, not paid, no card.
    async with Desk(browser, console, "bureau-ba-1") as bureau:  # the bureau keeps the register
        await bureau.until_text(f"/finance/recipients?jurisdiction={J1}", case_id)
        row = bureau.page.locator("tr", has_text=case_id)
        assert "认定登记，不发放" in await row.inner_text() and "0.00" not in await row.inner_text()
        await row.scroll_into_view_if_needed()
        await bureau.shot("finance-register-low-income")
    async with Desk(browser, console, "lsj-cm-1") as committee:
        await committee.open("/committee")
        board = await committee.page.inner_text("main")
        assert "低收入家庭经认定登记，不发放保障金，不制作公示卡" in board
        assert await committee.page.locator(f"a[href='/documents/door-card/{case_id}']").count() == 0
