"""特困 by T21 on the real processes (issue 16 item 2): a tekun household of two in 柳树街 where only the
applicant (74) is a tekun person. The investigators assess her six self-care items (two she cannot do
alone: 半失能); the review computes one person's basic living + care support, not the standard × two;
the leader approves and September's roster pays that. In September the window reports that her
condition changed: the re-assessment opens by itself, due within 10 days (T21 art. 23) on oversight's
clock; she is re-assessed 全失能, the leader changes the amount and October's roster pays the new one.
Refused on the way: the wrong role, the other jurisdiction's staff, a tekun household without its
tekun persons (the rule named), a change of amount by the clerk.

Dates: August–October 2024, after every other e2e file's (test_console_caseload's June 2024)."""

import datetime as dt
import os

import pytest

from .desk import CHROMIUM, Desk
from .steps import C1, J1, J2, at

BASIC = 117000  # config/urho.toml 2024 urban tekun standard (placeholder), per person
SEMI = BASIC + BASIC * 30 // 100  # + care support for 半失能 (the example 30 %): 1,521 元
FULL = BASIC + BASIC * 60 // 100  # 全失能 (the example 60 %): 1,872 元
FACTS = {"unable_to_work": "yes", "no_income_source": "yes", "no_capable_supporter": "yes"}
VISIT = {"partner": {"id": "inv-b", "name": "李调查"}, "living_conditions": "老旧平房，独居一室",
         "findings": "申请人年老体弱，无劳动能力、无生活来源、无法定义务人", "household_signed": True}


def household(members, persons) -> dict:
    return {"members": members, "incomes": [], "assets": [], "facts": FACTS, "tekun_persons": persons}


def her(members, unable, on: dt.date) -> dict:
    return {"id_number": members[0]["id_number"], "name": members[0]["name"], "unable": unable,
            "assessed_on": on.isoformat()}


async def roster_amounts(walker, month: str) -> dict[str, int]:
    roster = (await walker.call("POST", "disbursement", None, "/rosters", role="bureau_admin",
                                json={"month": month, "jurisdiction": J1})).json()
    text = (await walker.call("GET", "disbursement", None, f"/rosters/{roster['roster_id']}/export.csv",
                              role="bureau_admin")).text
    lines = [l.split(",") for l in text.split("\n\n# totals")[0].splitlines()[1:]]
    return {l[1]: int(l[4]) for l in lines if len(l) > 7 and l[3] == month and l[7] == "monthly"}


async def clock(walker, case_id: str, name: str, state: str | None = None) -> dict | None:
    r = (await walker.call("GET", "oversight", None, f"/cases/{case_id}", role="inspector")).json()
    return next((c for c in r["clocks"] if c["clock"] == name and (state is None or c["state"] == state)), None)


async def test_a_tekun_household_of_two_with_one_tekun_member_re_assessed_on_a_reported_change(district, walker):
    day = dt.date(2024, 8, 1)  # a Thursday
    await district.set_business_time(at(day))
    members = walker.household(8801, born="19500101")  # the applicant, 74, and her son, 23
    accepted = await walker.apply(J1, members, committee=C1, category="tekun", income_fen=0,
                                  materials=["application_form", "id_cards", "household_register", "income_proof",
                                             "incapacity_proof"])
    case_id = accepted["case_id"]
    await walker.wait_task(J1, case_id)
    await walker.call("POST", "verification", J1, f"/cases/{case_id}/home-visit", role="investigator", who="inv-a",
                      json={"visited_on": day.isoformat(), **VISIT})

    # Refused: the wrong role, the other jurisdiction's investigator, a tekun household without its persons.
    semi = household(members, [her(members, ["bathing", "toileting"], day)])
    path = f"/cases/{case_id}/household"
    r = await walker.call("POST", "verification", J1, path, role="clerk", json=semi, expect=403)
    assert "may not do this" in r.text
    r = await walker.call("POST", "verification", J1, path, role="investigator", as_jurisdiction=J2, json=semi,
                          expect=403)
    assert "serves jurisdiction" in r.text
    r = await walker.call("POST", "verification", J1, path, role="investigator", who="inv-a",
                          json=household(members, []), expect=422)
    assert (r.json()["field"], "T21 art. 5, 21" in r.json()["rule"]) == ("tekun_persons", True)

    await walker.call("POST", "verification", J1, path, role="investigator", who="inv-a", json=semi)
    await walker.wait_report(J1, case_id)
    computed = (await walker.call("GET", "verification", J1, f"/cases/{case_id}/computation", role="reviewer",
                                  who="rev-1")).json()
    assert (computed["eligible"], computed["amount_fen"]) == (True, SEMI)  # one person's, not 2 × 1,170 元
    assert any("按特困人员1人计发（家庭2人）" in r for r in computed["reasons"])
    assert any("半失能" in r for r in computed["reasons"])
    await walker.review(J1, case_id)
    recorded = (await walker.call("GET", "verification", J1, f"/cases/{case_id}", role="investigator")).json()
    assert [p["level"] for p in recorded["household"]["tekun_persons"]] == ["semi_disabled"]

    await district.set_business_time(at(dt.date(2024, 8, 13)))  # 7 working days posted from 8-1 end 8-12
    await walker.wait_decision_state(J1, case_id, lambda s: s["publicity"] == "clean")
    decision_clock = await walker.until(lambda: clock(walker, case_id, "decision"))
    assert decision_clock["due_on"] <= "2024-09-03"  # the plan's 3 working days; T21 art. 16's 15 the ceiling
    approved = (await walker.decide(J1, case_id)).json()
    assert (approved["first_month_paid"], approved["amount_fen"]) == ("2024-09", SEMI)

    async def september():
        return (await roster_amounts(walker, "2024-09")).get(case_id) == SEMI
    await walker.until(september)
    supported = (await walker.call("GET", "decision", J1, f"/supported-households/{case_id}", role="leader")).json()
    assert supported["tekun_levels"] == ["semi_disabled"]  # a standard raise computes per person from them

    # --- September: her condition changed; the window records it ------------------------------------
    reported_on = dt.date(2024, 9, 2)  # a Monday
    await district.set_business_time(at(reported_on))
    change = {"condition_changes": [{"id_number": members[0]["id_number"], "name": members[0]["name"],
                                     "noticed_on": reported_on.isoformat(), "description": "跌倒骨折后卧床"}],
              "reasons": ["居委会报告：特困人员身体状况变化"]}
    url = f"/supported-households/{case_id}/household"
    r = await walker.call("POST", "decision", J1, url, role="investigator", json=change, expect=403)
    assert "may not do this" in r.text
    r = await walker.call("POST", "decision", J1, url, role="clerk", as_jurisdiction=J2, json=change, expect=403)
    assert "serves jurisdiction" in r.text
    await walker.call("POST", "decision", J1, url, role="clerk", json=change)

    async def reassessment():
        r = (await walker.call("GET", "verification", J1, f"/re-reviews/{case_id}", role="investigator")).json()
        return r["current"] if r["status"] == "open" else None
    current = await walker.until(reassessment)
    assert (current["cause"], current["due_on"]) == ("self_care_change", "2024-09-12")  # 10 days (T21 art. 23)
    supervised = await walker.until(lambda: clock(walker, case_id, "re_review", "open"))
    assert supervised["due_on"] == "2024-09-12"

    visit_day = dt.date(2024, 9, 4)
    await district.set_business_time(at(visit_day))
    await walker.call("POST", "verification", J1, f"/re-reviews/{case_id}/home-visit", role="investigator",
                      who="inv-a", json={"visited_on": visit_day.isoformat(), **VISIT})
    worse = household(members, [her(members, ["bathing", "toileting", "dressing", "transferring", "indoor_walking"],
                                    visit_day)])
    await walker.call("POST", "verification", J1, f"/re-reviews/{case_id}/household", role="investigator",
                      who="inv-a", json=worse)

    async def reported():
        r = await walker.call("GET", "verification", J1, f"/re-reviews/{case_id}", role="investigator")
        return r.json()["current"]["check_report"]
    await walker.until(reported)
    now = (await walker.call("GET", "verification", J1, f"/re-reviews/{case_id}/computation", role="reviewer",
                             who="rev-1")).json()
    assert now["amount_fen"] == FULL and any("全失能" in r for r in now["reasons"])
    await walker.call("POST", "verification", J1, f"/re-reviews/{case_id}/review", role="reviewer", who="rev-1",
                      json={"outcome": "change", "proposed_amount_fen": FULL,
                            "reasons": ["重新评估为全失能，照料护理标准提高（T21第23条）"]})
    assert (await walker.until(lambda: clock(walker, case_id, "re_review", "met")))["due_on"] == "2024-09-12"

    # The leader decides the new amount through the support-change path: from the next month.
    body = {"amount_fen": FULL, "cause": "re_review", "reasons": ["生活自理能力重新评估为全失能（T21第23条）"]}
    change_url = f"/supported-households/{case_id}/changes"

    async def outcome_pending():
        rows = (await walker.call("GET", "decision", J1, "/re-review-outcomes", role="leader",
                                  params={"status": "pending"})).json()
        return any(r["case_id"] == case_id for r in rows)
    await walker.until(outcome_pending)
    await walker.call("POST", "decision", J1, change_url, role="clerk", json=body, expect=403)
    notice = (await walker.call("POST", "decision", J1, change_url, role="leader", who="lead-1", json=body)).json()
    assert (notice["effective_month"], notice["amount_before_fen"], notice["amount_fen"]) == ("2024-10", SEMI, FULL)

    async def october():
        return (await roster_amounts(walker, "2024-10")).get(case_id) == FULL
    await walker.until(october)

    async def levels_now():
        r = await walker.call("GET", "decision", J1, f"/supported-households/{case_id}", role="leader")
        return r.json()["tekun_levels"] == ["disabled"]
    await walker.until(levels_now)  # the re-assessment's level, for the next standard raise
    assert (await roster_amounts(walker, "2024-09"))[case_id] == SEMI



@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (./jz test installs it as root)")
async def test_the_console_household_form_records_the_tekun_person_and_her_assessment(district, walker, browser,
                                                                                    console):
    """The investigator's household form in the console (Playwright, real Chromium): a tekun case's
    form has the 特困 fieldset; without a tekun person ticked it is refused on the form with T21's
    rule; ticked, with two items she cannot do alone, the record shows her 半失能."""
    day = dt.date(2024, 8, 5)  # a Monday
    await district.set_business_time(at(day))
    members = walker.household(8802, born="19480101")
    accepted = await walker.apply(J1, members, committee=C1, category="tekun", income_fen=0,
                                  materials=["application_form", "id_cards", "household_register", "income_proof",
                                             "incapacity_proof"])
    case_id = accepted["case_id"]
    await walker.wait_task(J1, case_id)
    await walker.call("POST", "verification", J1, f"/cases/{case_id}/home-visit", role="investigator",
                      who="lsj-inv-a", json={"visited_on": day.isoformat(), **VISIT, "partner": {
                          "id": "lsj-inv-b", "name": "李调查"}})
    async with Desk(browser, console, "lsj-inv-b") as inv:
        page = inv.page
        await inv.until_text(f"/investigator/cases/{case_id}", "特困人员及生活自理能力评估")
        for i, m in enumerate(members):
            await page.get_by_label(f"成员{i + 1} 姓名").fill(m["name"])
            await page.get_by_label(f"成员{i + 1} 身份证号码").fill(m["id_number"])
            await page.get_by_label(f"成员{i + 1} 与申请人关系").select_option(m["relation"])
        for fact in ("无劳动能力", "无生活来源", "无法定义务人或其无履行能力"):
            await page.get_by_label(fact, exact=True).select_option("yes")
        await page.get_by_role("button", name="保存家庭信息并发起核对").click()
        await page.wait_for_load_state()
        refusal = page.locator("#tekun-persons .field-error")
        assert "逐人登记特困人员" in await refusal.inner_text()  # the rule beside the fieldset, in Chinese
        await refusal.scroll_into_view_if_needed()
        await inv.shot("investigator-tekun-refused")

        await page.get_by_label("评估日期").fill(day.isoformat())
        await page.get_by_label("成员1 是特困人员").check()
        await page.get_by_label("成员1 不能自主洗澡").check()
        await page.get_by_label("成员1 不能自主如厕").check()
        await page.locator("#tekun-persons").scroll_into_view_if_needed()
        await inv.shot("investigator-tekun-form")
        await page.get_by_role("button", name="保存家庭信息并发起核对").click()
        await page.wait_for_url(f"**/investigator/cases/{case_id}*")
        await inv.until_text(f"/investigator/cases/{case_id}", "半失能")
        await page.locator(".tekun-person").scroll_into_view_if_needed()
        await inv.shot("investigator-tekun-record")
    recorded = (await walker.call("GET", "verification", J1, f"/cases/{case_id}", role="investigator")).json()
    [person] = recorded["household"]["tekun_persons"]
    assert (person["id_number"], person["level"], person["unable"]) == (
        members[0]["id_number"], "semi_disabled", ["toileting", "bathing"])
