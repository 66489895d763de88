"""主动发现 through the staff console (issue 16 item 7; plan 四(三)2, 五(一)), in Debian's Chromium
driven by Playwright, against the whole district run as real processes: 柳树街's residents'
committee reports two households in difficulty (a report naming no difficulty is refused beside the
field); the window clerk follows the first up with an application made on the household's behalf —
an authorisation signed by someone outside the household is refused, naming the field — and the
application is accepted with the authorisation recorded; the second is closed with its reason.
The committee may not follow a report up, another jurisdiction's clerk may not open it (the rule
shown), an investigator has no such page. Screenshots go to JZ_SCREENSHOTS."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest

from .desk import CHROMIUM, Desk
from .steps import C1, J1, at

pytestmark = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (./jz test installs it as root)")

DAY = dt.date(2023, 11, 6)  # a Monday


async def report(page, name: str, address: str, difficulties: tuple[str, ...], observed: str) -> str:
    form = page.locator("form#report")
    await form.get_by_label("报告的居（村）民委员会").select_option(C1)
    await form.get_by_label("户主或联系人姓名").fill(name)
    await form.get_by_label("居住地址").fill(address)
    for d in difficulties:
        await form.locator(f"input[name=difficulties][value={d}]").check()
    await form.get_by_label("发现的情况").fill(observed)
    async with page.expect_navigation(url="**/discoveries"):  # the redirect after the POST, not the page before
        await form.get_by_role("button", name="报送").click()
    return re.search(r"\d+-FX-\d{4}-\d+", await page.inner_text(".flash")).group(0)


async def test_a_committees_report_followed_up_with_an_application_on_the_households_behalf(
        district, walker, browser, console):
    await district.set_business_time(at(DAY))
    members = walker.household(8611)
    async with Desk(browser, console, "lsj-cm-1") as committee:
        page = committee.page
        await page.goto("/discoveries")
        form = page.locator("form#report")
        await form.get_by_label("报告的居（村）民委员会").select_option(C1)
        await form.get_by_label("户主或联系人姓名").fill(members[0]["name"])
        await form.get_by_label("居住地址").fill("柳树街61号")
        await form.get_by_label("发现的情况").fill("户主重病卧床，家中无固定收入")
        await form.get_by_role("button", name="报送").click()  # no difficulty ticked
        assert "未能办理" in await page.inner_text(".refusal")
        assert await page.locator("form#report fieldset.invalid .field-error").count() == 1
        first = await report(page, members[0]["name"], "柳树街61号", ("illness", "no_income"),
                             "户主重病卧床，家中无固定收入")
        second = await report(page, "独居老人李某", "柳树街62号", ("elderly_alone",), "独居老人，行动不便")
        assert "剩 5 个工作日" in await page.locator(f"tr#r-{first}").inner_text()
        await committee.shot("discoveries-committee")
        response = await page.goto(f"/discoveries/{first}")  # the follow-up is the window's
        assert response.status == 403 and "无权" in await page.inner_text("main")

    async with Desk(browser, console, "wet-clerk-1") as other:  # another jurisdiction's clerk
        response = await other.page.goto(f"/discoveries/{first}")
        refusal = await other.page.inner_text(".refusal")  # the service's refusal, its Chinese half and rule
        assert response.status == 403 and "本服务只办理街道（乡镇）650205001 的事项" in refusal and "四(二)" in refusal
    async with Desk(browser, console, "lsj-inv-a") as investigator:
        response = await investigator.page.goto("/discoveries")
        assert response.status == 403

    async with Desk(browser, console, "lsj-clerk-1") as clerk:
        page = clerk.page
        await page.goto("/discoveries")
        await page.get_by_role("link", name=first).click()
        await page.wait_for_url(f"**/discoveries/{first}")
        apply = page.locator("form#apply")
        assert await apply.get_by_label("成员1 姓名").input_value() == members[0]["name"]  # from the report
        assert await apply.get_by_label("居住地址").input_value() == "柳树街61号"
        await apply.get_by_label("救助类别").select_option("dibao")
        await apply.get_by_label("城乡类别").select_option("urban")
        for i, m in enumerate(members):
            await apply.get_by_label(f"成员{i + 1} 姓名").fill(m["name"])
            await apply.get_by_label(f"成员{i + 1} 身份证号码").fill(m["id_number"])
            await apply.get_by_label(f"成员{i + 1} 与申请人关系").select_option(m["relation"])
        await apply.get_by_label("申报家庭月收入（元）").fill("300")
        await apply.get_by_label("申报家庭财产（元）").fill("0")
        await apply.get_by_label("收款银行账号").fill("6222020000008611")
        await apply.get_by_label("联系电话").fill("13912348611")
        await apply.get_by_label("申请理由").fill("户主重病，无固定收入")
        await apply.get_by_label("已签订家庭经济状况核对授权书").check()
        for code in ("application_form", "id_cards", "household_register", "income_proof"):
            await apply.locator(f"#material-{code}").check()
        await apply.get_by_label("委托人（家庭成员或监护人）").fill("王邻居")  # not of the household
        await apply.get_by_label("跟进情况").fill("入户核实，户主委托代为申请")
        await apply.get_by_role("button", name="代为申请").click()
        refusal = await page.inner_text(".refusal")
        assert "未能办理" in refusal, refusal
        assert await page.locator("form#apply .field.invalid").count() >= 1
        assert await page.locator("form#apply").get_by_label("成员1 姓名").input_value() == members[0]["name"]
        await clerk.shot("discoveries-authorisation-refused")
        apply = page.locator("form#apply")
        await apply.get_by_label("委托人（家庭成员或监护人）").fill(members[0]["name"])
        await apply.get_by_role("button", name="代为申请").click()
        await page.wait_for_url(f"**/discoveries/{first}")
        flash = await page.inner_text(".flash")
        assert "已代为申请并受理" in flash, flash
        case_id = re.search(r"\d+-\d{4}-\d+", flash.split("案件编号", 1)[1]).group(0)
        facts = await page.inner_text("dl.facts")
        assert "已代为申请" in facts and case_id in facts and members[0]["name"] in facts
        await clerk.shot("discoveries-applied")

        await page.goto(f"/discoveries/{second}")
        close = page.locator("form#close")
        await close.get_by_label("办结理由").select_option("declined")
        await close.get_by_label("核实情况").fill("入户核实，老人由子女照料，不愿申请")
        async with page.expect_navigation(url="**/discoveries"):
            await close.get_by_role("button", name="办结").click()
        assert "已办结" in await page.inner_text(".flash")

    case = (await walker.call("GET", "intake", J1, f"/cases/{case_id}", role="clerk")).json()
    assert case["on_behalf"]["report_no"] == first
    assert case["on_behalf"]["authorisation"]["signed_by"] == members[0]["name"]
    closed = (await walker.call("GET", "intake", J1, f"/discoveries/{second}", role="clerk")).json()
    assert (closed["status"], closed["closing_reason"]) == ("closed", "declined")
