"""追责 (issue 16 item 9, plan 六(二)) on the real processes: an application left uninvestigated
breaches its deadline on the district's business clock; the bureau follows the breach through to
an accountability record, which the bureau and the jurisdiction's own leader read and another
jurisdiction's leader and an auditor may not. A joint inspection of the same jurisdiction records a
finding ordered rectified, and its printed report names no one."""

from __future__ import annotations

import datetime as dt

from .steps import C1, J1, J2, at

_households = iter(range(8301, 8400))


async def test_a_breach_raised_by_the_district_clock_followed_through_to_accountability(district, walker):
    await district.set_business_time(at(dt.date(2023, 6, 5)))
    applied = await walker.apply(J1, walker.household(next(_households)), committee=C1)
    case_id, due_on = applied["case_id"], dt.date.fromisoformat(applied["investigation_due"]["due_on"])

    async def breached():
        r = await walker.call("GET", "oversight", None, f"/cases/{case_id}", role="inspector", expect=(200, 404))
        return r.status_code == 200 and [c for c in r.json()["clocks"] if c["breached_on"]]

    await district.set_business_time(at(due_on))
    assert not await breached()
    record = {"basis": "breach", "jurisdiction": J1, "person": {"id": "lsj-inv-1", "name": "柳调查"},
              "facts": "受理后未在规定时限内完成入户调查", "procedure": "bureau", "measure": "talk_reminder"}
    [clock] = (await walker.call("GET", "oversight", None, f"/cases/{case_id}", role="inspector")).json()["clocks"]
    early = await walker.call("POST", "oversight", None, "/accountability", role="bureau_admin",
                              json={**record, "basis_ref": clock["opened_by_event"]}, expect=422)
    assert early.json()["field"] == "basis_ref" and "六(二)" in early.json()["rule"]

    await district.set_business_time(at(due_on + dt.timedelta(days=1)))
    [breach] = await walker.until(breached)
    assert breach["clock"] == "investigation"
    record["basis_ref"] = breach["opened_by_event"]
    await walker.call("POST", "oversight", None, "/accountability", role="inspector", json=record, expect=403)
    made = (await walker.call("POST", "oversight", None, "/accountability", role="bureau_admin", json=record)).json()
    assert made["concerning_case"] == case_id and made["measure_zh"] == "谈话提醒"

    def listed(response):
        return [a["record_no"] for a in response.json()]
    bureau = await walker.call("GET", "oversight", None, f"/accountability?jurisdiction={J1}", role="bureau_admin")
    assert made["record_no"] in listed(bureau)
    own = await walker.call("GET", "oversight", None, "/accountability", role="leader", as_jurisdiction=J1)
    assert made["record_no"] in listed(own)
    other = await walker.call("GET", "oversight", None, "/accountability", role="leader", as_jurisdiction=J2)
    assert made["record_no"] not in listed(other)
    peek = await walker.call("GET", "oversight", None, f"/accountability/{made['record_no']}", role="leader",
                             as_jurisdiction=J2, expect=403)
    assert "六(二)" in peek.json()["rule"]
    await walker.call("GET", "oversight", None, "/accountability", role="auditor", expect=403)

    inspection = (await walker.call("POST", "oversight", None, "/inspections", role="bureau_admin", json={
        "kind": "unannounced", "started_on": str(due_on + dt.timedelta(days=1)),
        "ended_on": str(due_on + dt.timedelta(days=1)), "jurisdictions": [J1],
        "members": [{"name": "周督查", "body": "civil_affairs"}, {"name": "吴纪检", "body": "discipline_inspection"}],
        "scope": "检查受理后入户调查时限", "cases_checked": [case_id], "files_checked": 5})).json()
    finding = (await walker.call("POST", "oversight", None, f"/inspections/{inspection['inspection_no']}/findings",
                                 role="inspector", json={
        "jurisdiction": J1, "kind": "procedure", "severity": "minor", "text": "入户调查超时未完成",
        "concerning_case": case_id, "staff": {"id": "lsj-inv-1", "name": "柳调查"}, "rectify": True})).json()
    assert finding["rectification_order"]
    orders = await walker.call("GET", "oversight", None, "/rectifications", role="leader", as_jurisdiction=J1)
    assert finding["rectification_order"] in [o["order_no"] for o in orders.json()]
    report = await walker.call("GET", "oversight", None, f"/inspections/{inspection['inspection_no']}/report",
                               role="leader", as_jurisdiction=J1)
    assert "入户调查超时未完成" in report.text and "柳调查" not in report.text
    await walker.call("GET", "oversight", None, f"/inspections/{inspection['inspection_no']}", role="leader",
                      as_jurisdiction=J2, expect=403)
