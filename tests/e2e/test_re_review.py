"""定期核查 on the real processes (issue 15 item 2): a household approved here is scheduled for its
re-review (D21 art. 31: members of working age able to work → every six months); the business clock
passes the date and verification opens it by itself; investigators and the reviewer take the new
case's steps through the API with the check centre's report; the reviewer proposes a reduced amount;
decision shows the proposal to the leader, and oversight's re_review clock is met."""

import datetime as dt

from .steps import C1, J1, at, through_review


async def test_a_re_review_opened_by_the_clock_proposes_a_reduced_amount(district, walker):
    day = dt.date(2023, 3, 1)
    case_id, members, computed = await through_review(district, walker, J1, C1, day)
    assert computed["amount_fen"] == 2 * 90000 - 50000
    await district.set_business_time(at(dt.date(2023, 3, 13)))  # 7 working days posted from 3-1 end 3-10
    await walker.wait_decision_state(J1, case_id, lambda s: s["publicity"] == "clean")
    decided = (await walker.decide(J1, case_id)).json()
    decided_on = dt.date.fromisoformat(decided["decided_on"])

    async def scheduled():
        r = await walker.call("GET", "verification", J1, f"/re-reviews/{case_id}", role="investigator",
                              expect=(200, 404))
        return r.json() if r.status_code == 200 else None
    household = await walker.until(scheduled)
    assert (household["status"], household["profile"]) == ("scheduled", "changing")  # two adults able to work
    assert household["next_on"] == (decided_on.replace(month=decided_on.month + 6)).isoformat()

    due_day = dt.date.fromisoformat(household["next_on"])
    await district.set_business_time(at(due_day))  # the business clock passes the date: opened by itself

    async def opened():
        rows = (await walker.call("GET", "verification", J1, "/re-reviews", role="investigator")).json()
        return next((r for r in rows if r["case_id"] == case_id and r["status"] == "open"), None)
    item = await walker.until(opened)
    assert item["cause"] == "periodic" and item["working_days_left"] == 15

    await walker.call("POST", "verification", J1, f"/re-reviews/{case_id}/home-visit", role="investigator",
                      who="inv-a", json={"visited_on": due_day.isoformat(), "partner": {"id": "inv-b", "name": "李调查"},
                                         "living_conditions": "租住单间", "findings": "户主已稳定就业",
                                         "household_signed": True})
    await walker.call("POST", "verification", J1, f"/re-reviews/{case_id}/household", role="investigator",
                      who="inv-a", json={"members": members, "incomes": [{"kind": "wages", "monthly_fen": 120000}],
                                         "assets": []})

    async def reported():
        r = await walker.call("GET", "verification", J1, f"/re-reviews/{case_id}", role="investigator")
        return r.json()["current"]["check_report"]
    await walker.until(reported)  # the check centre answered the re-review's request
    now = (await walker.call("GET", "verification", J1, f"/re-reviews/{case_id}/computation", role="reviewer",
                             who="rev-1")).json()
    assert (now["eligible"], now["amount_fen"]) == (True, 2 * 90000 - 120000)
    signed = (await walker.call("POST", "verification", J1, f"/re-reviews/{case_id}/review", role="reviewer",
                                who="rev-1", json={"outcome": "change", "proposed_amount_fen": now["amount_fen"],
                                                   "reasons": ["户主稳定就业，家庭收入增加"]})).json()
    assert signed["outcome"] == "change" and signed["next_on"] > due_day.isoformat()

    async def before_the_leader():
        rows = (await walker.call("GET", "decision", J1, "/re-review-outcomes", role="leader",
                                  params={"status": "pending"})).json()
        return next((r for r in rows if r["case_id"] == case_id), None)
    pending = await walker.until(before_the_leader)
    assert pending["outcome"] == "change"
    assert pending["proposal"]["proposed_amount_fen"] == 60000 and pending["proposal"]["computed_amount_fen"] == 60000
    assert [s["id"] for s in pending["proposal"]["investigators"]] == ["inv-a", "inv-b"]

    async def clock_met():
        r = await walker.call("GET", "oversight", None, f"/cases/{case_id}", role="inspector")
        clocks = [c for c in r.json()["clocks"] if c["clock"] == "re_review"]
        return clocks if clocks and clocks[0]["state"] == "met" else None
    [clock] = await walker.until(clock_met)
    assert clock["due_on"] == item["due_on"] and clock["breached_on"] is None
