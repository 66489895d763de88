"""定期核查's outcomes on the real processes (issue 15 items 2–3, D21 art. 31–32): two households
approved in 柳树街 in November 2023 are re-reviewed in December on a reported change. The first's
income rose: the proposal is a reduction, the leader decides it with its written notice, the
committee delivers it, and January's roster carries the reduced amount (December's the approved
one). The second's income is above the standard: the proposal is to stop, the leader ends support
with its notice, and the household leaves the roster and the public long-term list. Each proposal
is acted on by the leader's decision.

Dates: after every other e2e file's (the session's district and its business clock are shared;
test_re_review.py ends in September 2023, test_console.py in October)."""

import datetime as dt

from .steps import C1, J1, at, through_review

APPROVED = 2 * 90000 - 50000  # two people, 500 元 declared and found (2023 standard 900 元)


async def roster_amounts(walker, month: str) -> dict[str, int]:
    """case_id → amount of each monthly line of 柳树街's roster for ``month``, as finance downloads it."""
    roster = (await walker.call("POST", "disbursement", None, "/rosters", role="bureau_admin",
                                json={"month": month, "jurisdiction": J1})).json()
    text = (await walker.call("GET", "disbursement", None, f"/rosters/{roster['roster_id']}/export.csv",
                              role="bureau_admin")).text
    lines = [l.split(",") for l in text.split("\n\n# totals")[0].splitlines()[1:]]
    return {l[1]: int(l[4]) for l in lines if len(l) > 7 and l[3] == month and l[7] == "monthly"}


async def public_list(walker) -> str:
    return (await walker.client.get(walker.url("publicity", J1) + "/public/list")).text


async def re_review(walker, case_id: str, members: list[dict], day: dt.date, income_fen: int, outcome: str) -> dict:
    """Opened on a reported change, investigated, checked, proposed; the proposal as decision shows it."""
    await walker.call("POST", "verification", J1, "/re-reviews", role="investigator", who="inv-a",
                      json={"case_id": case_id, "cause": "reported_change", "reasons": ["居委会报告：家庭收入变化"],
                            "occurred_on": day.isoformat()})
    await walker.call("POST", "verification", J1, f"/re-reviews/{case_id}/home-visit", role="investigator",
                      who="inv-a", json={"visited_on": day.isoformat(), "partner": {"id": "inv-b", "name": "李调查"},
                                         "living_conditions": "租住单间", "findings": "户主已就业",
                                         "household_signed": True})
    await walker.call("POST", "verification", J1, f"/re-reviews/{case_id}/household", role="investigator",
                      who="inv-a", json={"members": members, "incomes": [{"kind": "wages", "monthly_fen": income_fen}],
                                         "assets": []})

    async def reported():
        r = await walker.call("GET", "verification", J1, f"/re-reviews/{case_id}", role="investigator")
        return r.json()["current"]["check_report"]
    await walker.until(reported)
    now = (await walker.call("GET", "verification", J1, f"/re-reviews/{case_id}/computation", role="reviewer",
                             who="rev-1")).json()
    await walker.call("POST", "verification", J1, f"/re-reviews/{case_id}/review", role="reviewer", who="rev-1",
                      json={"outcome": outcome, "proposed_amount_fen": now["amount_fen"] if outcome == "change" else 0,
                            "reasons": ["家庭收入增加"]})

    async def before_the_leader():
        rows = (await walker.call("GET", "decision", J1, "/re-review-outcomes", role="leader",
                                  params={"status": "pending"})).json()
        return next((r for r in rows if r["case_id"] == case_id), None)
    return await walker.until(before_the_leader)


async def outcome_status(walker, case_id: str) -> str:
    rows = (await walker.call("GET", "decision", J1, "/re-review-outcomes", role="leader")).json()
    return next(r["status"] for r in rows if r["case_id"] == case_id)


async def deliver(walker, notice_no: str, on: dt.date) -> dict:
    return (await walker.call("POST", "decision", J1, f"/supported-households/notices/{notice_no}/delivery",
                              role="clerk", json={"delivered_on": on.isoformat(),
                                                  "received_by": f"{C1} 王主任"})).json()


async def notice_met(walker, case_id: str) -> bool:
    r = (await walker.call("GET", "oversight", None, f"/cases/{case_id}", role="inspector")).json()
    return any(c["clock"] == "support_notice" and c["state"] == "met" for c in r["clocks"])


async def test_a_re_review_reduces_one_household_and_stops_another_each_with_its_notice(district, walker):
    day = dt.date(2023, 11, 1)  # a Wednesday
    reduced, reduced_members, computed = await through_review(district, walker, J1, C1, day)
    stopped, stopped_members, _ = await through_review(district, walker, J1, C1, day)
    assert computed["amount_fen"] == APPROVED
    await district.set_business_time(at(dt.date(2023, 11, 13)))  # 7 working days posted from 11-1 end 11-10
    for case_id in (reduced, stopped):
        await walker.wait_decision_state(J1, case_id, lambda s: s["publicity"] == "clean")
        assert (await walker.decide(J1, case_id)).json()["first_month_paid"] == "2023-12"

        async def scheduled(case_id=case_id):
            r = await walker.call("GET", "verification", J1, f"/re-reviews/{case_id}", role="investigator",
                                  expect=(200, 404))
            return r.status_code == 200
        await walker.until(scheduled)

    async def listed():
        page = await public_list(walker)
        return all(f"<td>{m[0]['name']}</td>" in page for m in (reduced_members, stopped_members))
    await walker.until(listed)

    review_day = dt.date(2023, 12, 1)  # a Friday
    await district.set_business_time(at(review_day))

    # --- a reduction: income rose to 1,200 元 -------------------------------------------------------
    proposal = await re_review(walker, reduced, reduced_members, review_day, 120000, "change")
    assert (proposal["outcome"], proposal["proposal"]["proposed_amount_fen"]) == ("change", 2 * 90000 - 120000)
    change = {"amount_fen": proposal["proposal"]["proposed_amount_fen"], "cause": "re_review",
              "reasons": ["定期核查：户主稳定就业，家庭人均收入增加（D21第31、32条）"]}
    url = f"/supported-households/{reduced}/changes"
    await walker.call("POST", "decision", J1, url, role="clerk", json=change, expect=403)
    notice = (await walker.call("POST", "decision", J1, url, role="leader", who="lead-1", json=change)).json()
    assert (notice["effective_month"], notice["amount_before_fen"], notice["amount_fen"]) == \
        ("2024-01", APPROVED, 60000)
    printed = await walker.call("GET", "decision", J1, f"/supported-households/notices/{notice['notice_no']}",
                                role="clerk")
    assert "变更通知书" in printed.text and "600" in printed.text
    delivered_on = dt.date(2023, 12, 4)  # the next working day, via the committee
    await district.set_business_time(at(delivered_on))
    assert (await deliver(walker, notice["notice_no"], delivered_on))["on_time"] is True
    await walker.until(lambda: notice_met(walker, reduced))
    assert await outcome_status(walker, reduced) == "acted"

    # December is paid as approved; January, the next roster after the decision, at the reduced amount.
    async def january_reduced():
        return (await roster_amounts(walker, "2024-01")).get(reduced) == 60000
    await walker.until(january_reduced)
    assert (await roster_amounts(walker, "2023-12"))[reduced] == APPROVED

    # --- a stop: income above the standard -----------------------------------------------------
    proposal = await re_review(walker, stopped, stopped_members, delivered_on, 200000, "stop")
    assert proposal["outcome"] == "stop"
    end = {"cause": "re_review", "reasons": ["定期核查：家庭人均收入高于低保标准（D21第32条）"]}
    notice = (await walker.call("POST", "decision", J1, f"/supported-households/{stopped}/end", role="leader",
                                who="lead-1", json=end)).json()
    assert notice["last_month_paid"] == "2023-12" and notice["notice_no"]
    assert (await deliver(walker, notice["notice_no"], delivered_on))["on_time"] is True
    await walker.until(lambda: notice_met(walker, stopped))
    assert await outcome_status(walker, stopped) == "acted"

    async def off_everywhere():
        page = await public_list(walker)
        january = await roster_amounts(walker, "2024-01")
        intake = (await walker.call("GET", "intake", J1, f"/cases/{stopped}", role="clerk")).json()
        return (f"<td>{stopped_members[0]['name']}</td>" not in page and stopped not in january
                and intake["stage"] == "ended")
    await walker.until(off_everywhere)
    assert (await roster_amounts(walker, "2023-12"))[stopped] == APPROVED  # its last month, paid
    assert f"<td>{reduced_members[0]['name']}</td>" in await public_list(walker)
