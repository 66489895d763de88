"""信访件 through the staff console (issue 16 item 6; plan 六(二)–(三)), in Debian's Chromium driven by
Playwright, against the whole district run as real processes: the bureau registers a letter —
a short summary refused with the field's rule — transfers it, first to the wrong jurisdiction
(refused, the rule beside the field), then to the case's own with its deadline; the business clock
passes the deadline and the register shows it overdue and escalated; the jurisdiction's leader
answers it from the inbox (a re-review asked for a household not on support is refused, naming
the rule), another jurisdiction's leader neither sees it nor opens it, a clerk has no register; the
bureau closes it. Screenshots go to JZ_SCREENSHOTS; the best are in docs/console/."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest

from .desk import CHROMIUM, Desk
from .steps import J1, at

pytestmark = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (./jz test installs it as root)")

DAY = dt.date(2023, 10, 9)  # a Monday after the National Day holiday
CASE = f"{J1}-2023-09917"  # a case of 柳树街 that is not a household on support


async def test_a_letter_registered_transferred_overdue_answered_and_closed(district, walker, browser, console):
    await district.set_business_time(at(DAY))
    async with Desk(browser, console, "bureau-ba-1") as bureau:
        page = bureau.page
        await page.goto("/petitions")
        form = page.locator("form#register")
        await form.locator("#channel").select_option("letter")
        await form.locator("#kind").select_option("report")
        await form.locator("#summary").fill("短")
        await form.locator("#petitioner").fill("孙来信")
        await form.locator("#contact").fill("13800000009")
        await form.locator("#concerning_case").fill(CASE)
        await form.get_by_role("button", name="登记").click()
        assert "未能办理" in await page.inner_text(".refusal")
        assert await page.locator("form#register .field.invalid #summary").count() == 1
        await page.locator("form#register #summary").fill("反映该户户主在外务工，收入未如实申报")
        async with page.expect_navigation(url="**/petitions"):  # the redirect after the POST
            await page.locator("form#register").get_by_role("button", name="登记").click()
        flash = await page.inner_text(".flash")
        number = re.search(r"XF-\d+-\d{4}-\d{5}", flash).group(0)
        row = page.locator(f"tr#p-{number}")
        assert "已登记" in await row.inner_text() and "孙来信" in await row.inner_text()

        # 转办 to the wrong jurisdiction: refused, the rule beside the field.
        await row.locator("select[name=to_jurisdiction]").select_option("650205100")
        await row.get_by_role("button", name="转办").click()
        refusal = await page.inner_text(".refusal")
        assert "转办给案件所在的街道" in refusal, refusal
        row = page.locator(f"tr#p-{number}")
        assert "不属于 650205100" in await row.locator(".field-error").inner_text()  # beside the field
        await bureau.shot("petitions-transfer-refused")
        await row.locator("select[name=to_jurisdiction]").select_option(J1)
        await row.get_by_role("button", name="转办").click()
        await page.wait_for_url("**/petitions")
        assert "前书面答复" in await page.inner_text(".flash")
        row = page.locator(f"tr#p-{number}")
        assert "剩 15 个工作日" in await row.inner_text()
        due_on = dt.date.fromisoformat((await walker.call("GET", "oversight", None, f"/petitions/{number}",
                                                          role="bureau_admin")).json()["due_on"])

    # The due day passes without an answer: overdue, and oversight escalates it (督办).
    await district.set_business_time(at(due_on + dt.timedelta(days=1)))
    async with Desk(browser, console, "bureau-ba-1") as bureau:
        await bureau.until_text("/petitions", "已督办")
        row = bureau.page.locator(f"tr#p-{number}")
        assert "超期 1 个工作日" in await row.inner_text()
        await bureau.shot("petitions-register")

    async with Desk(browser, console, "wet-lead-1") as other:  # another jurisdiction's leader
        await other.page.goto("/petitions/inbox")
        assert number not in await other.page.inner_text("main")
        response = await other.page.goto(f"/petitions/{number}")
        assert response.status == 403 and "六(三)" in await other.page.inner_text(".refusal")
    async with Desk(browser, console, "lsj-clerk-1") as clerk:  # the register is the bureau's
        response = await clerk.page.goto("/petitions")
        assert response.status == 403 and "无权" in await clerk.page.inner_text("main")

    async with Desk(browser, console, "lsj-lead-1") as leader:
        page = leader.page
        await page.goto("/petitions/inbox")
        row = page.locator(f"tr#p-{number}")
        assert "已督办" in await row.inner_text() and "孙来信" not in await page.inner_text("main")
        await row.locator("textarea[name=answer]").fill("经入户核实，户主确在外务工，收入已纳入核算")
        await row.locator("select[name=substantiated]").select_option("yes")
        await row.get_by_role("button", name="答复").click()
        refusal = await page.inner_text(".refusal")
        assert "D21 art. 31" in refusal and "在保" in refusal, refusal  # the case is not a household on support
        await leader.shot("petitions-inbox-refused")
        row = page.locator(f"tr#p-{number}")
        await row.locator("textarea[name=answer]").fill("经入户核实，户主确在外务工；该户未在保，已告知信访人")
        await row.locator("input[name=no_re_review]").check()
        await row.get_by_role("button", name="答复").click()
        await page.wait_for_url("**/petitions/inbox")
        assert "已书面答复" in await page.inner_text(".flash")
        assert "逾期答复" in await page.locator(f"tr#p-{number}").inner_text()
        await leader.shot("petitions-inbox")

    async with Desk(browser, console, "bureau-ba-1") as bureau:
        page = bureau.page
        await page.goto("/petitions")
        row = page.locator(f"tr#p-{number}")
        await row.locator("textarea[name=conclusion]").fill("答复属实，已办结")
        await row.get_by_role("button", name="办结").click()
        await page.wait_for_url("**/petitions")
        assert "已办结" in await page.locator(f"tr#p-{number}").inner_text()
