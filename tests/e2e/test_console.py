"""The staff console (工作台) in Debian's Chromium, driven by Playwright, against the whole district
run as real processes (issue 13). Each person works at a desk of their own — their own browser
context, signed in from the staff directory — and touches the case only through the console's
pages; the APIs are read afterwards to check what the pages did.

The screenshots each scenario takes are the ones in docs/console/ (JZ_SCREENSHOTS)."""

from __future__ import annotations

import datetime as dt
import itertools
import os

import pytest

from jiuzhu_kernel.working_days import calendar_for

from .desk import CHROMIUM, Desk
from .steps import C1, C2, J1, J2, at, through_review

pytestmark = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (./jz test installs it as root)")
_households = itertools.count(7001)  # synthetic households of their own (steps.py counts from 100)


def working_days_after(district, day: dt.date, n: int) -> dt.date:
    calendar = calendar_for(district.stack.config, district.stack.config_path.parent)
    return calendar.add(day, n).due_on


def desk(browser, console, staff_id, **kw) -> Desk:
    return Desk(browser, console, staff_id, **kw)


async def test_a_dibao_case_from_the_window_to_payment_entirely_through_the_console(district, walker, browser,
                                                                                    console):
    """Seven people: the clerk, two investigators, the reviewer, the leader, the bureau's
    administrator (roster) and finance (payment)."""
    day = dt.date(2023, 3, 1)  # a Wednesday
    await district.set_business_time(at(day))
    members = walker.household(next(_households))

    # 1 受理: the window clerk takes the application
    async with desk(browser, console, "lsj-clerk-1") as clerk:
        page = clerk.page
        await page.goto("/clerk/applications/new")
        await page.get_by_label("救助类别").select_option("dibao")
        await page.get_by_label("城乡类别").select_option("urban")
        await page.get_by_label("户籍所在街道（乡镇）").select_option(J1)
        await page.get_by_label("所在居（村）民委员会").select_option(C1)
        await page.get_by_label("居住地址").fill("柳树街8号")
        # the live resident-ID check says so beside the field while the clerk types
        wrong = members[0]["id_number"][:17] + ("0" if members[0]["id_number"][17] != "0" else "1")
        await page.get_by_label("成员1 身份证号码").fill(wrong)
        await page.get_by_text("校验").first.wait_for()
        for i, m in enumerate(members):
            await page.get_by_label(f"成员{i + 1} 姓名").fill(m["name"])
            await page.get_by_label(f"成员{i + 1} 身份证号码").fill(m["id_number"])
            await page.get_by_label(f"成员{i + 1} 与申请人关系").select_option(m["relation"])
        await page.get_by_text("✓ 身份证号码格式及校验位正确").first.wait_for()
        await clerk.shot("clerk-new-application")
        await page.get_by_label("申报家庭月收入（元）").fill("500")
        await page.get_by_label("申报家庭财产（元）").fill("0")
        await page.get_by_label("收款银行账号").fill("6222020000000088")
        await page.get_by_label("联系电话").fill("1391234")  # one digit short of a mobile number
        await page.get_by_label("申请理由").fill("失业，无固定收入")
        await page.get_by_label("已签订家庭经济状况核对授权书").check()
        for code in ("application_form", "id_cards", "household_register", "income_proof"):
            await page.locator(f"#material-{code}").check()
        await page.get_by_role("button", name="提交申请").click()
        # refused: the rule in Chinese beside the field, and what was typed is kept
        phone = page.locator(".field.invalid", has=page.get_by_label("联系电话"))
        assert "11位" in await phone.inner_text()
        assert await page.get_by_label("成员1 姓名").input_value() == members[0]["name"]
        await clerk.shot("clerk-refused")
        await page.get_by_label("联系电话").fill("13912345678")
        for code in ("application_form", "id_cards", "household_register", "income_proof"):
            await page.locator(f"#material-{code}").check()
        await page.get_by_role("button", name="提交申请").click()
        await page.wait_for_url("**/cases/650205001-*")
        case_id = page.url.rsplit("/", 1)[1].split("?")[0]
        assert members[0]["name"] in await page.inner_text("main")
        await page.goto("/clerk")
        assert case_id in await page.inner_text("main")
        await clerk.shot("clerk")
        receipt = await page.goto(f"/documents/receipt/{case_id}")
        assert receipt.status == 200 and "受理回执" in await page.inner_text("body")

    # 2 入户调查: one investigator records the visit with the other as partner; the other the household
    async with desk(browser, console, "lsj-inv-a") as inv_a:
        await inv_a.until_text(f"/investigator/cases/{case_id}", "保存入户调查记录")
        page = inv_a.page
        await page.get_by_label("入户日期").fill(day.isoformat())
        await page.get_by_label("同行调查人员").select_option("lsj-inv-b")
        await page.get_by_label("居住及生活状况").fill("租住单间，家具简陋")
        await page.get_by_label("调查结论").fill("与申报一致")
        await page.get_by_label("申请人已在调查表上签字").check()
        await page.get_by_role("button", name="保存入户调查记录").click()
        await page.wait_for_url(f"**/investigator/cases/{case_id}*")
        await page.goto("/investigator")
        await inv_a.shot("investigator")
    async with desk(browser, console, "lsj-inv-b") as inv_b:
        page = inv_b.page
        await page.goto(f"/investigator/cases/{case_id}")
        for i, m in enumerate(members):
            await page.get_by_label(f"成员{i + 1} 姓名").fill(m["name"])
            await page.get_by_label(f"成员{i + 1} 身份证号码").fill(m["id_number"])
            await page.get_by_label(f"成员{i + 1} 与申请人关系").select_option(m["relation"])
        await page.get_by_label("收入1 类型").select_option("wages")
        await page.get_by_label("收入1 月额（元）").fill("500")
        await page.get_by_role("button", name="保存家庭信息并发起核对").click()
        await page.wait_for_url(f"**/investigator/cases/{case_id}*")
        # the check centre answers over the bus; the investigator sees its report
        await inv_b.until_text(f"/investigator/cases/{case_id}", "核对报告")

    # 3 审核: the reviewer sees the figures behind the amount and signs
    async with desk(browser, console, "lsj-rev-1") as reviewer:
        page = reviewer.page
        await reviewer.until_text("/reviewer", case_id)
        await reviewer.shot("reviewer")
        await reviewer.until_text(f"/reviewer/cases/{case_id}", "签署审核意见")
        await reviewer.shot("reviewer-case")
        preview = await page.inner_text("main")
        assert "保障标准" in preview or "标准" in preview
        await page.get_by_label("符合条件", exact=True).check()
        await page.get_by_role("button", name="签署审核意见").click()
        await page.wait_for_url("**/reviewer**")

    # 4 公示: seven working days on the committee's board, then the window has closed
    async with desk(browser, console, "lsj-cm-1") as committee:
        await committee.until_text("/committee", case_id)
        await committee.shot("committee")
    await district.set_business_time(at(working_days_after(district, day, 8)))

    # 5 审核确认: the leader approves
    async with desk(browser, console, "lsj-lead-1") as leader:
        page = leader.page
        await leader.until_text("/leader", case_id)
        await leader.shot("leader")
        await leader.until_text(f"/leader/cases/{case_id}", "批准")
        await page.locator("#approve-yes").check()
        await page.get_by_role("button", name="确认决定").click()
        await leader.until_text(f"/cases/{case_id}", "已批准")
        await leader.shot("case-page")
    decided = (await walker.call("GET", "decision", J1, f"/cases/{case_id}", role="leader")).json()
    assert decided["decision"]["approved"] is True and decided["decision"]["signer"]["id"] == "lsj-lead-1"
    month = decided["decision"]["first_month_paid"]

    # 6 名册: the bureau compiles the month's roster for the jurisdiction and submits it to finance
    async with desk(browser, console, "bureau-ba-1") as bureau:
        page = bureau.page
        await page.goto(f"/finance?month={month}")
        await page.get_by_label("名册月份").fill(month)
        await page.get_by_label("编制范围").select_option(J1)
        await page.get_by_role("button", name="编制名册").click()
        await page.wait_for_url("**/finance/rosters/**")
        assert "最低生活保障" in await page.inner_text("main")
        roster_url = page.url
        rid = roster_url.split("?")[0].rstrip("/").rsplit("/", 1)[1]
        lines = await walker.call("GET", "disbursement", None, f"/rosters/{rid}/export.csv", role="bureau_admin")
        assert case_id in lines.text
        await page.get_by_role("button", name="报送财政").click()
        await page.wait_for_url(roster_url + "*")
        await page.goto(f"/district?month={month}")
        await bureau.shot("district")

    # 7 发放: finance confirms the payments
    async with desk(browser, console, "finance-1") as finance:
        page = finance.page
        await page.goto(roster_url)
        await finance.shot("finance-roster")
        await page.get_by_role("button", name="整批确认全部已发放").click()
        await page.wait_for_url(roster_url + "*")
        await page.goto(f"/finance?month={month}")
        await finance.shot("finance")
    stands = (await walker.call("GET", "disbursement", None, f"/rosters/{rid}/payments", role="finance")).json()
    assert [(c["case_id"], c["status"]) for c in stands if c["case_id"] == case_id] == [(case_id, "paid")], stands


async def test_an_objection_during_publicity_through_to_the_second_notice(district, walker, browser, console):
    day = dt.date(2023, 5, 8)  # a Monday
    case_id, members, _ = await through_review(district, walker, J2, C2, day,
                                               members=walker.household(next(_households)))
    async with desk(browser, console, "wet-cm-1") as committee:
        page = committee.page
        await committee.until_text("/committee", case_id)
        notice = page.locator("#notice_no option", has_text=case_id)
        await page.locator("#notice_no").select_option(await notice.get_attribute("value"))
        await page.get_by_label("收到方式").select_option("in_person")
        await page.get_by_label("异议内容").fill("该户有经营性收入未申报，请核查。")
        await page.get_by_role("button", name="登记异议").click()
        await page.wait_for_url("**/committee*")
        assert "该户有经营性收入未申报" in await page.inner_text("main")
    closed = working_days_after(district, day, 8)
    await district.set_business_time(at(closed))
    await walker.wait_decision_state(J2, case_id, lambda s: s["publicity"] == "objected")

    async with desk(browser, console, "wet-inv-a") as inv:
        page = inv.page
        await inv.until_text(f"/investigator/cases/{case_id}", "保存重新调查结论")
        await page.get_by_label("重新调查同行人员").select_option("wet-inv-b")
        await page.get_by_label("异议是否成立").select_option("no")
        await page.locator("#re_findings").fill("经营为临时帮工，收入已计入")
        await page.get_by_role("button", name="保存重新调查结论").click()
        await page.wait_for_url(f"**/investigator/cases/{case_id}*")
    async with desk(browser, console, "wet-rev-1") as reviewer:
        page = reviewer.page
        await reviewer.until_text(f"/reviewer/cases/{case_id}", "签署审核意见")
        await page.get_by_label("符合条件", exact=True).check()
        await page.get_by_role("button", name="签署审核意见").click()
        await page.wait_for_url("**/reviewer**")
    async with desk(browser, console, "wet-cm-1") as committee:
        await committee.until_text("/committee", "第2次")
        row = committee.page.locator("tr", has_text=case_id).first
        assert "第2次" in await row.inner_text()
    state = await walker.wait_decision_state(J2, case_id, lambda s: s["publicity"] == "open" and s["review"]["round"] == 2)
    assert state["objections"] >= 1


async def test_a_spot_check_month_with_written_feedback(district, walker, browser, console):
    day = dt.date(2023, 9, 4)
    month = "2023-09"
    refused = {J1: [], J2: []}
    for jurisdiction, committee in ((J1, C1), (J1, C1), (J1, C1), (J2, C2), (J2, C2), (J2, C2)):
        case_id, _, _ = await through_review(district, walker, jurisdiction, committee, day, income=500000,
                                             members=walker.household(next(_households)))
        await walker.wait_decision_state(jurisdiction, case_id, lambda s: s["review"] is not None)
        await walker.decide(jurisdiction, case_id, approve=False, reasons=["家庭人均收入高于低保标准"])
        refused[jurisdiction].append(case_id)

    async def filed():
        r = await walker.call("GET", "oversight", None, "/cases", role="inspector", params={"limit": 5000})
        staged = {c["case_id"]: c["stage"] for c in r.json()}
        return all(staged.get(c) == "refused" for cs in refused.values() for c in cs)
    await walker.until(filed)

    async with desk(browser, console, "bureau-ins-1") as inspector:
        page = inspector.page
        await page.goto(f"/bureau/spot-checks?month={month}")
        await page.get_by_label("抽取月份").fill(month)
        await page.get_by_role("button", name="抽取样本").click()
        await page.wait_for_url("**/bureau/spot-checks**")
        await inspector.shot("bureau")
        drawn = [c for c in refused[J1] if c in await page.inner_text("main")]
        assert drawn, "the month's sample holds at least one of 柳树街's filed cases (≥ 30 %)"
        case_id = drawn[0]
        await page.goto(f"/bureau/spot-checks/{case_id}?month={month}")
        selects = page.locator("form select")
        for i in range(await selects.count()):
            await selects.nth(i).select_option("no" if i == 0 else "yes")
        await page.get_by_label("书面反馈意见").fill("入户调查记录缺少同行人员签字")
        await page.get_by_role("button", name="提交抽查结论").click()
        await inspector.until_text(f"/bureau/spot-checks/{case_id}?month={month}", "入户调查记录缺少同行人员签字")
        feedback = await page.goto(f"/documents/spot-check-feedback/{case_id}")
        assert feedback.status == 200 and "入户调查记录缺少同行人员签字" in await page.inner_text("body")
        await inspector.shot("spot-check-feedback")
        pdf = await inspector.context.request.get(f"{console}/documents/spot-check-feedback/{case_id}.pdf")
        assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
        assert (await pdf.body()).startswith(b"%PDF")

    checks = (await walker.call("GET", "oversight", None, "/spot-checks", role="inspector",
                                params={"month": month})).json()
    [check] = [c for c in checks if c["case_id"] == case_id]
    assert check["feedback"] == "入户调查记录缺少同行人员签字"
    orders = (await walker.call("GET", "oversight", None, "/rectifications", role="inspector")).json()
    [order] = [o["order_no"] for o in orders if o.get("concerning_case") == case_id]
    async with desk(browser, console, "lsj-lead-1") as leader:  # the written order reaches the jurisdiction
        await leader.until_text("/leader", order)
        await leader.page.goto(f"/documents/rectification-order/{order}")
        assert "整改通知书" in await leader.page.inner_text("body")


async def test_a_person_of_one_jurisdiction_sees_nothing_of_anothers_cases(district, walker, browser, console):
    day = dt.date(2023, 10, 9)
    await district.set_business_time(at(day))
    members = walker.household(next(_households))
    accepted = await walker.apply(J1, members, committee=C1)
    case_id, name = accepted["case_id"], members[0]["name"]
    await walker.wait_task(J1, case_id)

    async with desk(browser, console, "lsj-clerk-1") as own:  # the positive control
        await own.until_text(f"/cases/{case_id}", name)
    async with desk(browser, console, "wet-clerk-1") as other:
        page = other.page
        for path in (f"/cases/{case_id}", f"/documents/receipt/{case_id}", f"/clerk/cases/{case_id}/withdrawal"):
            response = await page.goto(path)
            assert response.status in (403, 404), path
            assert name not in await page.content() and members[0]["id_number"] not in await page.content(), path
        for path in ("/clerk", "/cases"):
            await page.goto(path)
            assert case_id not in await page.content() and name not in await page.content(), path
        await page.goto(f"/cases?q={case_id}")  # looking it up by its number: refused, nothing shown but what was typed
        assert "不属于" in await page.inner_text("main") and name not in await page.content()
    async with desk(browser, console, "wet-inv-a") as other_inv:
        response = await other_inv.page.goto(f"/investigator/cases/{case_id}")
        assert response.status in (403, 404) and name not in await other_inv.page.content()
        await other_inv.page.goto("/investigator")
        assert case_id not in await other_inv.page.content()
    async with desk(browser, console, "bureau-ins-1") as district_staff:  # the district sees every jurisdiction
        await district_staff.until_text(f"/cases/{case_id}", case_id)


async def test_the_main_pages_fit_a_tablet_and_work_from_the_keyboard(district, browser, console):
    """A 10-inch tablet held upright (800 × 1280): no page scrolls sideways. Signing in needs no mouse."""
    async with Desk(browser, console, "lsj-inv-a", viewport=(800, 1280)) as tablet:
        for path in ("/investigator", "/cases", "/committee", "/clerk/applications/new"):
            await tablet.page.goto(path)
            overflow = await tablet.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} is {overflow}px wider than a tablet"
        await tablet.page.goto("/investigator")
        await tablet.shot("investigator-tablet")
    context = await browser.new_context(base_url=console, viewport={"width": 1280, "height": 800})
    try:
        page = await context.new_page()
        await page.goto("/signin")
        await page.keyboard.press("Tab")  # the skip link
        radio = page.locator("input[name=staff_id]").first
        for _ in range(10):  # Tab through the header to the first person of the directory
            if await radio.evaluate("el => el === document.activeElement"):
                break
            await page.keyboard.press("Tab")
        assert await radio.evaluate("el => el === document.activeElement"), "the directory is not reachable by Tab"
        picked = await radio.get_attribute("value")
        await page.keyboard.press("Space")
        await page.keyboard.press("Enter")
        await page.wait_for_url(lambda url: "/signin" not in url)
        name = next(p.name for p in district.stack.config.staff if p.id == picked)
        assert name in await page.inner_text("header")
    finally:
        await context.close()
