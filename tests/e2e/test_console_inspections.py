"""督查 and 追责 through the staff console (issue 16 item 9; plan 六(二)), in Debian's Chromium driven
by Playwright, against the whole district run as real processes: the bureau's inspector records an
unannounced inspection of 柳树街 — a working group of the bureau alone is refused with the plan's
rule (会同纪委监委、财政等部门) — and a finding about a member of staff, ordered rectified in
writing; a finding placed in a jurisdiction the group did not visit is refused; the bureau's
administrator follows the finding through to an accountability record (a measure the bureau may
not take itself is refused); 柳树街's leader reads the inspection and its own staff's record,
乌尔禾镇's leader may not open it (the rule shown), an auditor has no accountability page."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest

from .desk import CHROMIUM, Desk
from .steps import J1, J2, at

pytestmark = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (./jz test installs it as root)")

DAY = dt.date(2023, 12, 4)  # a Monday


async def test_an_inspection_with_a_finding_followed_through_to_accountability(district, walker, browser, console):
    await district.set_business_time(at(DAY))
    async with Desk(browser, console, "bureau-ins-1") as inspector:
        page = inspector.page
        await page.goto("/inspections")
        form = page.locator("form#inspection")
        await form.get_by_label("督查方式").select_option("unannounced")
        await form.locator(f"input[name=jurisdictions][value='{J1}']").check()
        await form.get_by_label("成员1 姓名").fill("周督查")
        await form.get_by_label("成员2 姓名").fill("郑科员")
        await form.get_by_label("成员2 所在部门").select_option("civil_affairs")  # the bureau alone
        await form.get_by_label("督查内容").fill("检查受理后入户调查时限及审核确认程序")
        await form.get_by_label("查阅案卷数").fill("12")
        await form.get_by_role("button", name="记录督查").click()
        refusal = await page.inner_text(".refusal")
        assert "六(二)" in refusal, refusal
        await inspector.shot("inspections-group-refused")
        form = page.locator("form#inspection")
        await form.get_by_label("成员2 姓名").fill("吴纪检")
        await form.get_by_label("成员2 所在部门").select_option("discipline_inspection")
        async with page.expect_navigation(url="**/inspections/DC-*"):
            await form.get_by_role("button", name="记录督查").click()
        number = re.search(r"DC-[\d-]+", page.url).group(0)

        finding = page.locator("form#finding")
        await finding.get_by_label("问题所在街道（乡镇）").select_option(J2)  # not visited
        await finding.get_by_label("问题类别").select_option("procedure")
        await finding.get_by_label("发现的问题").fill("入户调查超时未完成")
        await finding.get_by_role("button", name="记录问题").click()
        assert "六(二)" in await page.inner_text(".refusal")
        finding = page.locator("form#finding")
        await finding.get_by_label("问题所在街道（乡镇）").select_option(J1)
        await finding.get_by_label("涉及工作人员账号").fill("lsj-inv-a")
        await finding.get_by_label("涉及工作人员姓名").fill("柳调查")
        await finding.get_by_label("书面限期整改（发出整改通知）").check()
        async with page.expect_navigation(url=f"**/inspections/{number}"):
            await finding.get_by_role("button", name="记录问题").click()
        flash = await page.inner_text(".flash")
        assert "整改通知 ZG-" in flash, flash
        row = page.locator("table.findings tbody tr").first
        assert "柳调查" in await row.inner_text()
        assert await row.locator("details").count() == 0  # accountability is the bureau administrator's

    async with Desk(browser, console, "bureau-ba-1") as bureau:
        page = bureau.page
        await page.goto(f"/inspections/{number}")
        row = page.locator("table.findings tbody tr").first
        await row.locator("summary", has_text="追责").click()
        await row.get_by_label("程序").select_option("bureau")
        await row.get_by_label("处理方式").select_option("admonishment")  # the employer's or the commission's
        await row.get_by_role("button", name="登记追责").click()
        assert "未能办理" in await page.inner_text(".refusal")
        await bureau.shot("inspections-accountability-refused")
        row = page.locator("table.findings tbody tr").first
        await row.get_by_label("处理方式").select_option("talk_reminder")
        async with page.expect_navigation(url=f"**/inspections/{number}"):
            await row.get_by_role("button", name="登记追责").click()
        flash = await page.inner_text(".flash")
        record_no = re.search(r"ZZ-[\d-]+", flash).group(0)
        assert "谈话提醒" in flash
        assert record_no in await page.locator("table.findings tbody tr").first.inner_text()
        await bureau.shot("inspections-finding")

    async with Desk(browser, console, "lsj-lead-1") as leader:
        await leader.page.goto("/inspections")
        assert number in await leader.page.inner_text("main")
        await leader.page.goto("/accountability")
        assert record_no in await leader.page.inner_text("main")
    async with Desk(browser, console, "wet-lead-1") as other:
        response = await other.page.goto(f"/inspections/{number}")
        assert response.status == 403 and "六(二)" in await other.page.inner_text(".refusal")
        await other.page.goto("/accountability")
        assert record_no not in await other.page.inner_text("main")
    async with Desk(browser, console, "bureau-aud-1") as auditor:
        response = await auditor.page.goto("/accountability")
        assert response.status == 403
