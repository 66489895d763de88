"""主动发现 on the real processes (issue 16 item 7; plan 四(三)2): a residents' committee reports a
household in difficulty to its jurisdiction's window; oversight opens the follow-up clock from the
report; the clerk makes the application on the household's behalf with its authorisation (代为申请,
plan 五(一)); the case is accepted and goes on to the investigation like any other, and the clock is
met. A second report left without a follow-up is overdue at oversight. The committee may not make
the application, another jurisdiction's clerk may not touch the report, and an application without
the household's authorisation is refused naming the field."""

import datetime as dt

from .steps import C1, J1, J2, at

_households = iter(range(8401, 8500))


async def discovery_clocks(walker) -> dict[str, str]:
    """Oversight's open discovery_follow_up clocks of J1: report number → where it stands."""
    r = await walker.call("GET", "oversight", None, "/deadlines", role="inspector",
                          params={"within_working_days": 30})
    body = r.json().get(J1, {})
    return {**{d["case_id"]: "due_soon" for d in body.get("due_soon", []) if d["clock"] == "discovery_follow_up"},
            **{d["case_id"]: "overdue" for d in body.get("overdue", []) if d["clock"] == "discovery_follow_up"}}


async def test_a_committees_report_leads_to_an_application_accepted_on_the_households_behalf(district, walker):
    day = dt.date(2023, 5, 8)
    await district.set_business_time(at(day))
    members = walker.household(next(_households))
    report = (await walker.call("POST", "intake", J1, "/discoveries", role="committee", who="cm-1", json={
        "committee": C1, "household": {"name": members[0]["name"], "address": "测试路1号", "household_size": 2},
        "difficulties": ["illness", "no_income"], "observed": "户主重病卧床，家中无固定收入"})).json()
    report_no = report["report_no"]
    assert report["status"] == "open" and report["working_days_left"] == 5

    async def clock_opened():
        return (await discovery_clocks(walker)).get(report_no)
    assert await walker.until(clock_opened) == "due_soon"

    worklist = (await walker.call("GET", "intake", J1, "/discoveries", role="clerk",
                                  params={"status": "open"})).json()
    assert report_no in [w["report_no"] for w in worklist]

    application = {"category": "dibao", "area": "urban", "registration_jurisdiction": J1, "address": "测试路1号",
                   "committee": C1, "members": members, "declared_monthly_income_fen": 30000, "declared_assets_fen": 0,
                   "payment_account": "6222020000000001", "contact_phone": "13912345678",
                   "reason": "户主重病，无固定收入", "consent_signed": True,
                   "materials": [{"code": c} for c in ("application_form", "id_cards", "household_register",
                                                        "income_proof")]}
    authorisation = {"signed_by": members[0]["name"], "signed_on": day.isoformat(), "document": "written"}
    path = f"/discoveries/{report_no}/application"
    # Refused, each naming why: the committee reports but the jurisdiction applies; another
    # jurisdiction's clerk; no authorisation from the household.
    refused = await walker.call("POST", "intake", J1, path, role="committee", expect=403,
                                json={"application": application, "authorisation": authorisation})
    assert "may not" in refused.text and "clerk" in refused.text
    refused = await walker.call("POST", "intake", J1, path, role="clerk", as_jurisdiction=J2, expect=403,
                                json={"application": application, "authorisation": authorisation})
    assert "serves jurisdiction" in refused.text
    refused = await walker.call("POST", "intake", J1, path, role="clerk", expect=422, json={"application": application})
    assert "authorisation" in {e["field"] for e in refused.json()["errors"]}

    made = (await walker.call("POST", "intake", J1, path, role="clerk", who="clerk-1",
                              json={"application": application, "authorisation": authorisation,
                                    "note": "入户核实，户主委托代为申请"})).json()
    case_id = made["application"]["case_id"]
    assert made["application"]["status"] == "accepted" and made["report"]["status"] == "application_made"
    assert made["report"]["case_id"] == case_id and made["report"]["on_time"] is True

    case = (await walker.call("GET", "intake", J1, f"/cases/{case_id}", role="clerk")).json()
    assert case["on_behalf"]["report_no"] == report_no
    assert case["on_behalf"]["authorisation"] == {**authorisation, "relation": "self"}
    await walker.wait_task(J1, case_id)  # the investigation has the case, as for any application

    async def clock_met():
        return report_no not in await discovery_clocks(walker)
    assert await walker.until(clock_met)

    # A second report, left without a follow-up past its due date, is overdue at oversight.
    other = (await walker.call("POST", "intake", J1, "/discoveries", role="committee", json={
        "committee": C1, "household": {"name": "独居老人", "address": "测试路2号"},
        "difficulties": ["elderly_alone"], "observed": "独居老人，行动不便"})).json()
    due_on = dt.date.fromisoformat(other["follow_up_due"]["due_on"])
    await district.set_business_time(at(due_on + dt.timedelta(days=1)))

    async def overdue():
        return (await discovery_clocks(walker)).get(other["report_no"]) == "overdue"
    assert await walker.until(overdue)
    late = (await walker.call("GET", "intake", J1, f"/discoveries/{other['report_no']}", role="clerk")).json()
    assert late["working_days_left"] < 0
