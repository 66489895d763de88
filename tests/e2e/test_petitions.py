"""信访件的转办督办 on the real processes (issue 16 item 6; plan 六(二)–(三)): the bureau registers
a letter, a visit and a hotline call at any time; the letter — a report about a household the
jurisdiction supports — is transferred to that jurisdiction with its deadline (转办), left
unanswered past it on the district's business clock and escalated once by oversight (督办), then
answered by the jurisdiction's leader as substantiated: verification opens the household's
re-review by itself (cause: petition), on the jurisdiction's re-review work list and oversight's
clocks, and the bureau closes the petition. Each step is refused to the wrong role and the wrong
jurisdiction with the rule named; who petitioned is never shown to the jurisdiction."""

import datetime as dt

from .steps import C1, J1, J2, at, through_review

_households = iter(range(8501, 8600))


async def test_a_report_transferred_overdue_escalated_answered_opens_a_re_review(district, walker):
    # A household supported by J1 (approved after its publicity).
    case_id, _, _ = await through_review(district, walker, J1, C1, dt.date(2023, 8, 1),
                                         members=walker.household(next(_households)))
    await district.set_business_time(at(dt.date(2023, 8, 14)))  # 7 working days posted from 8-1 end 8-10
    await walker.wait_decision_state(J1, case_id, lambda s: s["publicity"] == "clean")
    await walker.decide(J1, case_id)

    async def scheduled():
        r = await walker.call("GET", "verification", J1, f"/re-reviews/{case_id}", role="investigator",
                              expect=(200, 404))
        return r.status_code == 200 and r.json()["status"] == "scheduled"
    await walker.until(scheduled)

    received = dt.date(2023, 8, 15)
    await district.set_business_time(at(received))

    async def register(role, body, expect=201, as_jurisdiction=None):
        return await walker.call("POST", "oversight", None, "/petitions", role=role, json=body, expect=expect,
                                 as_jurisdiction=as_jurisdiction)
    letter = (await register("bureau_admin", {
        "channel": "letter", "kind": "report", "received_on": received.isoformat(), "petitioner": "赵举报",
        "contact": "13800000001", "summary": "反映该低保户户主已在外稳定务工，收入较高", "concerning_case": case_id})).json()
    visit = (await register("bureau_admin", {
        "channel": "visit", "kind": "complaint", "received_on": received.isoformat(), "petitioner": "钱来访",
        "summary": "投诉窗口工作人员态度生硬"})).json()
    call = (await register("inspector", {
        "channel": "hotline", "kind": "enquiry", "received_on": received.isoformat(),
        "summary": "咨询低保申请需要哪些材料"})).json()
    assert [p["channel_zh"] for p in (letter, visit, call)] == ["来信", "来访", "电话"]
    assert letter["status"] == "registered" and letter["concerning_case"] == case_id
    # The jurisdiction answers petitions; it does not register them.
    refused = await register("leader", {"channel": "letter", "kind": "report", "received_on": received.isoformat(),
                                        "summary": "反映某户情况"}, expect=403, as_jurisdiction=J1)
    assert "may not" in refused.text
    number = letter["petition_no"]
    path = f"/petitions/{number}"

    # 转办: to the case's own jurisdiction, by the bureau only.
    transfer = {"to_jurisdiction": J1, "instructions": "请入户核实并书面答复"}
    await walker.call("POST", "oversight", None, f"{path}/transfer", role="leader", as_jurisdiction=J1,
                      json=transfer, expect=403)
    elsewhere = await walker.call("POST", "oversight", None, f"{path}/transfer", role="bureau_admin",
                                  json={**transfer, "to_jurisdiction": J2}, expect=422)
    assert elsewhere.json()["field"] == "to_jurisdiction" and "转办给案件所在的街道" in elsewhere.json()["rule"]
    moved = (await walker.call("POST", "oversight", None, f"{path}/transfer", role="bureau_admin",
                               json=transfer)).json()
    due_on = dt.date.fromisoformat(moved["due_on"])
    assert moved["status"] == "transferred" and moved["transferred_on"] == received.isoformat()
    assert due_on == dt.date(2023, 9, 5)  # 15 working days (the district's deadlines.petition, 六(三))
    again = await walker.call("POST", "oversight", None, f"{path}/transfer", role="bureau_admin", json=transfer,
                              expect=409)
    assert "六(三)" in again.json()["rule"]

    # The jurisdiction's inbox: its own petitions, without who petitioned; not another jurisdiction's.
    inbox = (await walker.call("GET", "oversight", None, "/petitions", role="leader", as_jurisdiction=J1)).json()
    [mine] = [p for p in inbox if p["petition_no"] == number]
    assert "petitioner" not in mine and "contact" not in mine
    other = (await walker.call("GET", "oversight", None, "/petitions", role="leader", as_jurisdiction=J2)).json()
    assert number not in [p["petition_no"] for p in other]
    peek = await walker.call("GET", "oversight", None, path, role="leader", as_jurisdiction=J2, expect=403)
    assert "六(三)" in peek.json()["rule"]

    # 督办: the due day passes on the district's business clock with no answer.
    await district.set_business_time(at(due_on))
    assert (await walker.call("GET", "oversight", None, path, role="bureau_admin")).json()["escalated_on"] is None
    late_day = due_on + dt.timedelta(days=1)
    await district.set_business_time(at(late_day))

    async def escalated():
        return (await walker.call("GET", "oversight", None, path, role="bureau_admin")).json()["escalated_on"]
    assert await walker.until(escalated) == late_day.isoformat()
    overdue = (await walker.call("GET", "oversight", None, "/petitions", role="bureau_admin",
                                 params={"status": "transferred", "jurisdiction": J1})).json()
    assert number in [p["petition_no"] for p in overdue if p["escalated_on"]]

    # The answer: only J1's leader; the rule is named.
    answer = {"answer": "经入户核实，户主已在外稳定务工，举报属实", "substantiated": True}
    not_theirs = await walker.call("POST", "oversight", None, f"{path}/answer", role="leader", as_jurisdiction=J2,
                                   json=answer, expect=403)
    assert "only it answers" in not_theirs.text and "六(三)" in not_theirs.json()["rule"]
    await walker.call("POST", "oversight", None, f"{path}/answer", role="clerk", as_jurisdiction=J1, json=answer,
                      expect=403)
    no_case = await walker.call("POST", "oversight", None, f"/petitions/{visit['petition_no']}/answer", role="leader",
                                as_jurisdiction=J1, json=answer, expect=409)  # never transferred: not awaiting one
    assert "六(三)" in no_case.json()["rule"]
    done = (await walker.call("POST", "oversight", None, f"{path}/answer", role="leader", as_jurisdiction=J1,
                              who="lead-1", json=answer)).json()
    assert (done["status"], done["answered_on_time"], done["re_review_requested"]) == ("answered", False, True)

    # 举报属实: the household's re-review is opened by verification, on J1's work list, cause petition.
    async def opened():
        rows = (await walker.call("GET", "verification", J1, "/re-reviews", role="investigator")).json()
        return next((r for r in rows if r["case_id"] == case_id and r["status"] == "open"), None)
    item = await walker.until(opened)
    assert item["cause"] == "petition"
    household = (await walker.call("GET", "verification", J1, f"/re-reviews/{case_id}", role="investigator")).json()
    assert household["current"]["opened_on"] == late_day.isoformat() and number in household["current"]["reasons"][0]

    async def clock_opened():  # the case's timeline at oversight: its re-review clock, due when verification said
        r = (await walker.call("GET", "oversight", None, f"/cases/{case_id}", role="inspector")).json()
        return [c for c in r["clocks"] if c["clock"] == "re_review"]
    [clock] = await walker.until(clock_opened)
    assert clock["due_on"] == item["due_on"]

    early = await walker.call("POST", "oversight", None, f"/petitions/{call['petition_no']}/close",
                              role="leader", as_jurisdiction=J1, json={"conclusion": "已电话答复"}, expect=403)
    assert "may not" in early.text
    closed = (await walker.call("POST", "oversight", None, f"{path}/close", role="bureau_admin",
                                json={"conclusion": "举报属实，已启动复核，办结"})).json()
    assert closed["status"] == "closed" and closed["petitioner"] == "赵举报"
