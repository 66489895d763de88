"""Temporary assistance through the staff console (issue 16 item 1), in Debian's Chromium driven by
Playwright against the whole district run as real processes: the leader helps an emergency first on
its case page (先行救助), the bureau issues the one-off batch and finance confirms it, and the case
closes. The batch page is refused to a clerk; another jurisdiction's leader cannot open the case.
Screenshots go to JZ_SCREENSHOTS."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from .desk import CHROMIUM, Desk
from .steps import C1, J1, at

pytestmark = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (./jz test installs it as root)")

DAY = dt.date(2024, 9, 2)  # a Monday


async def test_an_emergency_helped_first_on_the_leaders_page_then_paid_by_a_one_off_batch(district, walker, browser,
                                                                                         console):
    await district.set_business_time(at(DAY))
    members = walker.household(8751)
    body = {"category": "temporary", "temporary_kind": "emergency", "area": "urban", "registration_jurisdiction": J1,
            "address": "测试路9号", "committee": C1, "members": members, "declared_monthly_income_fen": 30000,
            "declared_assets_fen": 0, "payment_account": "6222020000000001", "contact_phone": "13912345678",
            "reason": "家中失火", "consent_signed": True,
            "materials": [{"code": c} for c in ("application_form", "id_cards", "household_register",
                                                 "hardship_statement")]}
    case_id = (await walker.call("POST", "intake", J1, "/applications", role="clerk", json=body)).json()["case_id"]
    await walker.wait_decision_state(J1, case_id, lambda s: s["status"] == "in_procedure")

    async with Desk(browser, console, "lsj-lead-1") as leader:
        page = leader.page
        await leader.until_text(f"/leader/cases/{case_id}", "先行救助（急难型临时救助，当场决定）")
        await page.get_by_label("救助金额（元）").fill("8000")  # above 3 × 900 × 2: large, and no reason given
        await page.get_by_label("急难情形（每行一条）").fill("家中失火，衣物口粮被毁")
        await page.get_by_role("button", name="先行救助").click()
        assert "一事一议" in await page.inner_text("#assist-first")  # refused beside the form, the rule named
        assert await page.get_by_label("急难情形（每行一条）").input_value() == "家中失火，衣物口粮被毁"  # kept
        await page.locator("#assist-first").scroll_into_view_if_needed()
        await leader.shot("temporary-assist-first-refused")
        await page.get_by_label("救助金额（元）").fill("3000")
        await page.get_by_label("分次发放：第二笔金额（元，可空）").fill("1000")
        await page.get_by_label("第二笔发放日期").fill((DAY + dt.timedelta(days=30)).isoformat())
        await leader.shot("temporary-assist-first-form")
        await page.get_by_role("button", name="先行救助").click()
        text = await page.inner_text("main")
        assert "已先行救助：3000.00 元，分2次发放" in text and "第1笔" in text and "第2笔" in text
        await page.locator("#grant-h").scroll_into_view_if_needed()
        await leader.shot("temporary-assist-first-decided")

    async with Desk(browser, console, "wet-lead-1") as other:  # 乌尔禾镇's leader: not this jurisdiction's case
        await other.open(f"/leader/cases/{case_id}")
        assert "先行救助（急难型" not in await other.page.content()

    async with Desk(browser, console, "lsj-clerk-1") as clerk:
        response = await clerk.open("/finance/one-off")
        assert response.status == 403 and "无权使用该页面" in await clerk.page.content()

    async with Desk(browser, console, "bureau-ba-1") as bureau:
        page = bureau.page
        await page.goto("/finance/one-off")
        await page.get_by_label("范围").select_option(J1)
        await page.get_by_role("button", name="编制并报送财政").click()
        for _ in range(120):  # the approval may still be on its way to disbursement: nothing payable yet
            if case_id in await page.inner_text("main"):
                break
            assert "应发" in await page.inner_text("main") or "no tranche" in await page.inner_text("main")
            await page.wait_for_timeout(250)
            await page.goto("/finance/one-off")
            await page.get_by_label("范围").select_option(J1)
            await page.get_by_role("button", name="编制并报送财政").click()
        assert "待财政确认" in await page.inner_text("main")
        await bureau.shot("temporary-one-off-issued")

    async with Desk(browser, console, "finance-1") as finance:
        page = finance.page
        await page.goto("/finance/one-off")
        await page.get_by_role("button", name="确认整批已发放").first.click()
        assert "笔已发放" in await page.inner_text("main")
        await finance.shot("temporary-one-off-confirmed")
