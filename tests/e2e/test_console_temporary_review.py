"""The reviewer's form for an ordinary temporary case through the staff console (issue 16 item 1;
L18 §2(三)–(四), N22 §4), in Debian's Chromium driven by Playwright against the whole district run
as real processes: the page shows the band; a large amount without its reason is refused beside the
field with the rule named, the form as typed; with the reason and a second tranche 30 days after the
decision it is signed, and the decision stage holds the proposal. Screenshots go to JZ_SCREENSHOTS."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from .desk import CHROMIUM, Desk
from .steps import C1, J1, at

pytestmark = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (./jz test installs it as root)")

DAY = dt.date(2024, 9, 2)  # a Monday; 2024 urban dibao 900 元 (placeholder): band 10,800 元, large above 5,400


async def test_the_reviewer_proposes_an_amount_by_need_in_two_tranches(district, walker, browser, console):
    await district.set_business_time(at(DAY))
    members = walker.household(8761)
    body = {"category": "temporary", "temporary_kind": "expenditure", "area": "urban", "registration_jurisdiction": J1,
            "address": "测试路10号", "committee": C1, "members": members, "declared_monthly_income_fen": 30000,
            "declared_assets_fen": 0, "payment_account": "6222020000000001", "contact_phone": "13912345678",
            "reason": "重病住院", "consent_signed": True,
            "materials": [{"code": c} for c in ("application_form", "id_cards", "household_register",
                                                 "hardship_statement")]}
    case_id = (await walker.call("POST", "intake", J1, "/applications", role="clerk", json=body)).json()["case_id"]
    await walker.wait_task(J1, case_id)
    await walker.call("POST", "verification", J1, f"/cases/{case_id}/home-visit", role="investigator", who="inv-a",
                      json={"visited_on": DAY.isoformat(), "partner": {"id": "inv-b", "name": "李调查"},
                            "living_conditions": "租住单间", "findings": "重病住院属实", "household_signed": True})
    await walker.call("POST", "verification", J1, f"/cases/{case_id}/household", role="investigator", who="inv-a",
                      json={"members": members, "incomes": [{"kind": "wages", "monthly_fen": 30000}], "assets": [],
                            "facts": {"hardship_confirmed": "yes"}})
    await walker.wait_report(J1, case_id)

    async with Desk(browser, console, "lsj-rev-1") as reviewer:
        page = reviewer.page
        await reviewer.until_text(f"/reviewer/cases/{case_id}", "签署审核意见")
        assert "不超过 10,800.00 元" in await page.inner_text("#band-note")
        await page.get_by_label("符合条件", exact=True).check()
        await page.get_by_label("拟救助金额（元，一次性）").fill("7000")  # large, and no reason given
        await page.get_by_label("分次发放：第二笔金额（元，可空；第一笔为其余部分，决定当日发放）").fill("2500")
        await page.get_by_label("第二笔在决定后第几天发放").fill("30")
        await page.get_by_role("button", name="签署审核意见").click()
        text = await page.inner_text("main")
        assert "一事一议" in text  # refused beside the field, the rule named
        assert await page.get_by_label("第二笔在决定后第几天发放").input_value() == "30"  # the form as typed
        await reviewer.shot("temporary-review-refused")
        await page.get_by_label("大额一事一议的理由（超过大额线时必填）").fill("自付医疗费用逾万元，经集体研究")
        await reviewer.shot("temporary-review-form")
        await page.get_by_role("button", name="签署审核意见").click()
        await page.wait_for_url("**/reviewer")
        assert "分2次发放" in await page.inner_text("main")

    state = await walker.wait_decision_state(J1, case_id, lambda s: s["review"] is not None)
    assert state["review"]["amount_fen"] == 700_000
    assert state["review"]["tranches"] == [[450_000, 0], [250_000, 30]]
    assert state["review"]["large_amount_reason"] == "自付医疗费用逾万元，经集体研究"
