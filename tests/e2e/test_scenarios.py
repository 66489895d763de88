"""Issue 7's scenarios: every service as its own process, started as ``./jz up`` starts them, for
two jurisdictions with devolved authority and the park without; acting only through the public
HTTP APIs, the public pages and the bus; moving the business calendar instead of sleeping."""

import datetime as dt

from .steps import C1, C2, CP, J1, J2, PARK, _seq, at, through_review

async def public_board(walker, jurisdiction, committee) -> str:
    return (await walker.client.get(walker.url("publicity", jurisdiction) + f"/public/boards/{committee}")).text


async def test_1_dibao_clean_path_to_payment(district, walker):
    day = dt.date(2022, 3, 1)
    case_id, members, computed = await through_review(district, walker, J1, C1, day)
    assert computed["eligible"] and computed["amount_fen"] == 2 * 90000 - 50000
    await walker.until(lambda: _contains(walker, J1, C1, members[0]["name"]))
    # Posted 3-1, 7 working days → up through 3-10; closes on the next business day.
    await district.set_business_time(at(dt.date(2022, 3, 10)))
    state = await walker.wait_decision_state(J1, case_id, lambda s: s["publicity"] == "open")
    assert state["decision_due"] is None
    await district.set_business_time(at(dt.date(2022, 3, 11)))
    state = await walker.wait_decision_state(J1, case_id, lambda s: s["publicity"] == "clean")
    assert state["decision_due"]["due_on"] == "2022-03-15"  # 3-11, 3-14, 3-15
    decided = (await walker.decide(J1, case_id)).json()
    assert decided["first_month_paid"] == "2022-04" and decided["approving_body"] == "jurisdiction"

    async def filed():
        r = await walker.call("GET", "oversight", None, f"/cases/{case_id}", role="inspector", expect=(200, 404))
        # filed: case_filed follows case_approved in its own message (one transaction at decision), so
        # the register can be approved a moment before the filing is applied (oversight's partition idle)
        return r.status_code == 200 and r.json()["stage"] == "approved" \
            and r.json()["timeline"][-1]["event_type"] == "case_filed" and r.json()
    register = await walker.until(filed)
    assert [e["event_type"] for e in register["timeline"]][-2:] == ["case_approved", "case_filed"]
    await walker.until(lambda: _listed(walker, J1, members[0]["name"]))

    async def recipient():
        r = await walker.call("GET", "disbursement", None, "/recipients", role="bureau_admin", params={"jurisdiction": J1})
        return any(x["case_id"] == case_id for x in r.json())
    await walker.until(recipient)
    roster = (await walker.call("POST", "disbursement", None, "/rosters", role="bureau_admin",
                                json={"month": "2022-04", "jurisdiction": J1})).json()
    csv = await walker.call("GET", "disbursement", None, f"/rosters/{roster['roster_id']}/export.csv",
                            role="bureau_admin")
    line = next(l for l in csv.text.splitlines() if case_id in l)
    assert f",{computed['amount_fen']}," in line and ",2022-04," in line
    await walker.call("POST", "disbursement", None, f"/rosters/{roster['roster_id']}/submit", role="bureau_admin")
    confirmed = (await walker.call("POST", "disbursement", None, f"/rosters/{roster['roster_id']}/payments",
                                   role="finance", json={"all": "paid"})).json()
    assert confirmed["paid"] == roster["lines"] >= 1


async def _contains(walker, jurisdiction, committee, text):
    return text in await public_board(walker, jurisdiction, committee)


async def _listed(walker, jurisdiction, name):
    page = (await walker.client.get(walker.url("publicity", jurisdiction) + "/public/list")).text
    return name in page


async def test_2_incomplete_application_one_notice_then_accepted(district, walker):
    await district.set_business_time(at(dt.date(2022, 3, 2)))
    members = walker.household(next(_seq))
    first = await walker.apply(J1, members, committee=C1, materials=["application_form"])
    assert first["status"] == "correction_requested"
    assert {i["code"] for i in first["items"]} == {"id_cards", "household_register", "income_proof"}
    notice = await walker.client.get(walker.url("intake", J1) + first["document_url"], headers=walker.headers("clerk", J1))
    assert "一次性告知书" in notice.text
    body = await walker.call("POST", "intake", J1, f"/applications/{first['application_id']}/resubmissions",
                             role="clerk", json={"category": "dibao", "area": "urban", "registration_jurisdiction": J1,
                                                 "address": "测试路1号", "committee": C1, "members": members,
                                                 "declared_monthly_income_fen": 50000, "declared_assets_fen": 0,
                                                 "payment_account": "6222020000000001", "contact_phone": "13912345678",
                                                 "reason": "生活困难", "consent_signed": True,
                                                 "materials": [{"code": c} for c in ("application_form", "id_cards",
                                                               "household_register", "income_proof")]})
    assert body.json()["status"] == "accepted"


async def test_3_objection_reinvestigation_second_notice_approved_within_15_days(district, walker):
    day = dt.date(2022, 4, 6)  # Wednesday after Qingming (4-3…4-5)
    case_id, members, _ = await through_review(district, walker, J2, C2, day)
    await walker.until(lambda: _contains(walker, J2, C2, members[0]["name"]))
    board = await public_board(walker, J2, C2)
    notice_no = board.split("公示编号 ")[1].split(" ")[0]
    await district.set_business_time(at(dt.date(2022, 4, 8)))
    r = await walker.client.post(walker.url("publicity", J2) + "/public/objections",
                                 data={"notice_no": notice_no, "summary": "该户有经营性收入未申报", "anonymous": "true"})
    assert r.status_code == 201
    await district.set_business_time(at(dt.date(2022, 4, 16)))  # the 7th working day was 4-15
    state = await walker.wait_decision_state(J2, case_id, lambda s: s["publicity"] == "objected")
    limit = dt.date.fromisoformat(state["decision_due"]["due_on"])
    # 15 working days after 4-15: the May Day holiday and its make-up days, and Xinjiang's 肉孜节 on 5-5
    # (config/holidays/xinjiang/2022.json)
    assert limit == dt.date(2022, 5, 10)
    reinv = await walker.call("GET", "verification", J2, f"/cases/{case_id}", role="investigator")
    assert reinv.json()["status"] == "reinvestigating"
    await district.set_business_time(at(dt.date(2022, 4, 18)))
    await walker.call("POST", "verification", J2, f"/cases/{case_id}/reinvestigation", role="investigator",
                      who="inv-c", json={"partner": {"id": "inv-d", "name": "赵调查"}, "objection_upheld": False,
                                         "findings": "经营为临时帮工，收入已计入"})
    await walker.review(J2, case_id)
    await walker.wait_decision_state(J2, case_id, lambda s: s["publicity"] == "open" and s["review"]["round"] == 2)
    await district.set_business_time(at(dt.date(2022, 4, 28)))  # 7 working days after 4-18 end 4-27
    state = await walker.wait_decision_state(J2, case_id, lambda s: s["publicity"] == "clean")
    assert dt.date.fromisoformat(state["decision_due"]["due_on"]) <= limit
    decided = (await walker.decide(J2, case_id)).json()
    assert dt.date.fromisoformat(decided["decided_on"]) <= limit


async def test_4_ineligible_review_refusal_notice_delivered_in_3_days(district, walker):
    day = dt.date(2022, 5, 10)
    case_id, _, computed = await through_review(district, walker, J1, C1, day, income=500000)
    assert not computed["eligible"]
    await walker.wait_decision_state(J1, case_id, lambda s: s["review"] and not s["review"]["eligible"])
    refused = (await walker.decide(J1, case_id, approve=False, reasons=["家庭人均收入高于低保标准"])).json()
    assert refused["refusal_notice_due"] == "2022-05-13"
    notice = await walker.call("GET", "decision", J1, f"/cases/{case_id}/refusal-notice", role="clerk")
    assert "不予批准通知书" in notice.text
    delivered = (await walker.call("POST", "decision", J1, f"/cases/{case_id}/refusal-notice/delivery", role="clerk",
                                   json={"delivered_on": "2022-05-10", "received_by": "居委会主任"})).json()
    assert delivered["on_time"] is True


async def test_5_refusal_to_cooperate_and_withdrawal(district, walker):
    await district.set_business_time(at(dt.date(2022, 5, 11)))
    a = await walker.apply(J1, walker.household(next(_seq)), committee=C1)
    await walker.wait_task(J1, a["case_id"])
    await walker.call("POST", "verification", J1, f"/cases/{a['case_id']}/refusal-to-cooperate", role="investigator",
                      json={"circumstances": "两次拒绝入户调查"})

    async def stage(case_id, wanted):
        r = await walker.call("GET", "intake", J1, f"/cases/{case_id}", role="clerk")
        return r.json()["stage"] == wanted
    await walker.until(lambda: stage(a["case_id"], "deemed_withdrawn"))
    b = await walker.apply(J1, walker.household(next(_seq)), committee=C1)
    await walker.call("POST", "intake", J1, f"/cases/{b['case_id']}/withdrawal", role="clerk",
                      json={"reason": "已找到工作"})
    await walker.until(lambda: stage(b["case_id"], "withdrawn"))

    async def closed_in_verification():
        r = await walker.call("GET", "verification", J1, f"/cases/{b['case_id']}", role="investigator", expect=(200, 404))
        return r.status_code == 200 and r.json()["status"] == "withdrawn"
    await walker.until(closed_in_verification)


async def test_6_authority_park_bureau_and_cross_jurisdiction(district, walker):
    day = dt.date(2022, 5, 16)
    park_case, _, _ = await through_review(district, walker, PARK, CP, day, income=500000)
    await walker.wait_decision_state(PARK, park_case, lambda s: s["review"] is not None)
    leader = await walker.decide(PARK, park_case, approve=False, reasons=["x"], expect=403)
    assert "rests with the district bureau" in leader.json()["detail"]
    ok = (await walker.decide(PARK, park_case, approve=False, reasons=["收入超标"], by_bureau=True)).json()
    assert ok["approving_body"] == "district_bureau"

    j1_case, _, _ = await through_review(district, walker, J1, C1, day, income=500000)
    await walker.wait_decision_state(J1, j1_case, lambda s: s["review"] is not None)
    bureau = await walker.decide(J1, j1_case, approve=False, reasons=["x"], by_bureau=True, expect=403)
    assert "can no longer decide" in bureau.json()["detail"]
    other = await walker.call("POST", "decision", J1, f"/cases/{j1_case}/decision", role="leader",
                              as_jurisdiction=J2, json={"approve": False, "reasons": ["x"]}, expect=403)
    assert "serves jurisdiction" in other.json()["detail"]


async def test_7_spring_festival_deadlines_and_a_breach_raised_once(district, walker):
    await district.set_business_time(at(dt.date(2022, 1, 27)))
    a = await walker.apply(J2, walker.household(next(_seq)), committee=C2)
    # 10 working days from 1-27: 1-28, 1-29 and 1-30 (weekend working days), 2-7 … 2-11, 2-14, 2-15
    assert a["investigation_due"]["due_on"] == "2022-02-15"

    async def breaches():
        r = await walker.call("GET", "oversight", None, f"/cases/{a['case_id']}", role="inspector", expect=(200, 404))
        return r.status_code == 200 and [c for c in r.json()["clocks"] if c["breached_on"]]

    await district.set_business_time(at(dt.date(2022, 2, 15)))
    assert not await breaches()
    await district.set_business_time(at(dt.date(2022, 2, 16)))
    [breach] = await walker.until(breaches)
    assert breach["clock"] == "investigation" and breach["breached_on"] == "2022-02-16"
    await district.set_business_time(at(dt.date(2022, 2, 17)))
    trail = (await walker.call("GET", "oversight", None, f"/audit/cases/{a['case_id']}", role="auditor")).json()
    assert [t["event_type"] for t in trail].count("deadline_breached") == 1


async def test_8_and_9_close_relative_spot_checks_feedback_and_rectification(district, walker):
    day = dt.date(2022, 6, 6)
    kin = walker.household(next(_seq))
    await district.set_business_time(at(day))
    await walker.call("POST", "intake", J1, "/close-relatives", role="leader", json={
        "staff_id": "inv-kin", "staff_name": "亲属员工", "relative_name": kin[0]["name"],
        "relative_id_number": kin[0]["id_number"], "relation": "sibling"})
    kin_case, _, _ = await through_review(district, walker, J1, C1, day, income=500000, members=kin)
    intake_view = (await walker.call("GET", "intake", J1, f"/cases/{kin_case}", role="clerk")).json()
    assert intake_view["close_relative"] is True
    recused = await walker.call("POST", "verification", J1, f"/cases/{kin_case}/dispute", role="investigator",
                                who="inv-kin", expect=403)
    assert "D21 art. 11" in recused.json()["rule"]
    await walker.wait_decision_state(J1, kin_case, lambda s: s["review"] is not None)
    await walker.decide(J1, kin_case, approve=False, reasons=["收入超标"])

    cases = {J1: [kin_case], J2: []}
    for jurisdiction, committee, n in ((J1, C1, 3), (J2, C2, 3)):
        for _ in range(n):
            case_id, _, _ = await through_review(district, walker, jurisdiction, committee, day, income=500000)
            await walker.wait_decision_state(jurisdiction, case_id, lambda s: s["review"] is not None)
            await walker.decide(jurisdiction, case_id, approve=False, reasons=["收入超标"])
            cases[jurisdiction].append(case_id)

    async def filed_all():
        r = await walker.call("GET", "oversight", None, "/cases", role="inspector", params={"limit": 5000})
        staged = {c["case_id"]: c["stage"] for c in r.json()}
        return all(staged.get(c) == "refused" for cs in cases.values() for c in cs)
    await walker.until(filed_all)
    await walker.call("POST", "oversight", None, "/spot-checks/draw", role="inspector", json={"month": "2022-06"})
    checks = (await walker.call("GET", "oversight", None, "/spot-checks", role="inspector",
                                params={"month": "2022-06"})).json()
    for jurisdiction in (J1, J2):
        filed = [c for c in checks if c["jurisdiction"] == jurisdiction]
        population = (await walker.call("GET", "oversight", None, "/spot-checks/redraw", role="auditor",
                                        params={"jurisdiction": jurisdiction, "month": "2022-06"})).json()
        assert population["same"] is True
        assert len(filed) >= -(-3 * len(cases[jurisdiction]) // 10)
    assert any(c["case_id"] == kin_case and c["because"] == "close_relative" for c in checks)

    done = (await walker.call("POST", "oversight", None, f"/spot-checks/{kin_case}/findings", role="inspector",
                              json={"target_correct": True, "procedure_followed": True, "materials_complete": False,
                                    "feedback": "缺少收入证明原件"})).json()
    feedback = await walker.call("GET", "oversight", None, f"/spot-checks/{kin_case}/feedback", role="leader",
                                 as_jurisdiction=J1)
    assert "缺少收入证明原件" in feedback.text
    answered = await walker.call("POST", "oversight", None, f"/rectifications/{done['rectification_order']}/answer",
                                 role="leader", as_jurisdiction=J1, json={"answer": "已补充收入证明原件"})
    assert answered.json()["on_time"] is True
    verify = (await walker.call("GET", "oversight", None, "/audit/verify", role="auditor")).json()
    assert verify["intact"] is True and verify["entries"] > 50



async def test_10_one_trace_covers_a_case_from_intake_to_roster(district, walker, traces):
    """Every service exports to an OTLP receiver, as to a collector. The application's request
    begins the case's trace; every later action on the case (a clerk, an investigator, a leader,
    a clock tick) and every event it causes continue it, through the roster line."""
    day = dt.date(2022, 7, 1)
    case_id, members, computed = await through_review(district, walker, J2, C2, day)
    await walker.until(lambda: _contains(walker, J2, C2, members[0]["name"]))
    # posted 7-1; 7 working days: 7-4 … 7-8, 7-14, 7-15 (Xinjiang's 古尔邦节 7-9 … 7-13)
    await district.set_business_time(at(dt.date(2022, 7, 16)))
    await walker.wait_decision_state(J2, case_id, lambda s: s["publicity"] == "clean")
    month = (await walker.decide(J2, case_id)).json()["first_month_paid"]

    async def registered():
        r = await walker.call("GET", "disbursement", None, "/recipients", role="bureau_admin", params={"jurisdiction": J2})
        return any(x["case_id"] == case_id for x in r.json())
    await walker.until(registered)
    roster = (await walker.call("POST", "disbursement", None, "/rosters", role="bureau_admin",
                                json={"month": month, "jurisdiction": J2})).json()

    async def reached_roster():
        return [s for s in traces.where(**{"jiuzhu.case_id": case_id}) if s.name == f"on roster {roster['roster_id']}"]
    [on_roster] = await walker.until(reached_roster, every=0.5)

    async def whole_trace():  # spans arrive in batches; a parent may come after its children
        spans = traces.trace(on_roster.trace_id)
        ids = {s.span_id for s in spans}
        return all(s.parent_id in ids for s in spans if s.parent_id) and spans
    trace = await walker.until(whole_trace, timeout=15, every=0.5)

    # One trace: every span that names the case is in it, and it began with the application.
    assert {s.trace_id for s in traces.where(**{"jiuzhu.case_id": case_id})} == {on_roster.trace_id}
    [root] = [s for s in trace if not s.parent_id]
    assert root.service == f"intake-{J2}" and root.name.startswith("POST /applications")
    # It runs through every stage's service, each one's own work (SQL) included.
    services = {s.service for s in trace}
    assert {f"intake-{J2}", f"verification-{J2}", f"publicity-{J2}", f"decision-{J2}", "oversight",
            "disbursement"} <= services, services
    sql = {s.service for s in trace if "postgresql" in (s.attributes.get("db.system"), s.attributes.get("db.system.name"))}
    assert {f"verification-{J2}", "disbursement"} <= sql, sql
    # Staff actions are linked to the requests that made them: acceptance … the leader's decision.
    acted = {s.attributes.get("jiuzhu.event_type") for s in trace if s.links}
    assert {"review_signed", "case_approved"} <= acted, acted
