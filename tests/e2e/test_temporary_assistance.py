"""Temporary assistance on the real processes (issue 16 item 1; L18 §2, N22 §4): an emergency is
helped the same day — decided at once by the jurisdiction's leader (先行救助), paid through a one-off
batch that finance confirms — and its means check and publicity are completed afterwards under
oversight's follow-up clock; the case closed when paid, the same household's second emergency is
applied for and helped too (a small amount in two tranches, its follow-up skipped). The wrong role
and another jurisdiction are refused at each step, naming the rule."""

import datetime as dt

from .steps import C1, J1, J2, at

_households = iter(range(8601, 8700))
DISTRICT = "650205"


def emergency(members, *, kind="emergency"):
    return {"category": "temporary", "temporary_kind": kind, "area": "urban", "registration_jurisdiction": J1,
            "address": "测试路8号", "committee": C1, "members": members, "declared_monthly_income_fen": 30000,
            "declared_assets_fen": 0, "payment_account": "6222020000000001", "contact_phone": "13912345678",
            "reason": "家中失火，衣物口粮被毁", "consent_signed": True,
            "materials": [{"code": c} for c in ("application_form", "id_cards", "household_register",
                                                 "hardship_statement")]}


async def intake_case(walker, case_id):
    return (await walker.call("GET", "intake", J1, f"/cases/{case_id}", role="clerk")).json()


async def oversight_case(walker, case_id):
    r = await walker.call("GET", "oversight", None, f"/cases/{case_id}", role="inspector", expect=(200, 404))
    return r.json() if r.status_code == 200 else None


def clock_states(register) -> dict[str, str]:
    return {c["clock"]: c["state"] for c in register["clocks"]}


async def pay_through_a_batch(walker, case_id, *, refusals=False) -> dict:
    """The bureau issues a one-off batch for J1 once the approval has reached disbursement; finance
    confirms it. Returns the issued batch."""
    async def issued():
        r = await walker.call("POST", "disbursement", None, "/one-off-batches", role="bureau_admin",
                              json={"jurisdiction": J1}, expect=(200, 409))
        return r.json() if r.status_code == 200 else None  # 409: nothing payable yet (the approval is on its way)
    if refusals:
        wrong_role = await walker.call("POST", "disbursement", None, "/one-off-batches", role="finance",
                                       json={"jurisdiction": J1}, expect=403)
        assert "may not" in wrong_role.text
        wrong_place = await walker.call("POST", "disbursement", None, "/one-off-batches", role="bureau_admin",
                                        as_jurisdiction=J1, json={"jurisdiction": J1}, expect=403)
        assert "at jurisdiction level may not" in wrong_place.text  # one-off batches are the district's
    batch = await walker.until(issued)
    detail = (await walker.call("GET", "disbursement", None, f"/one-off-batches/{batch['batch_id']}",
                                role="finance")).json()
    assert case_id in {l["case_id"] for l in detail["lines_detail"]}
    if refusals:
        wrong_role = await walker.call("POST", "disbursement", None, f"/one-off-batches/{batch['batch_id']}/payments",
                                       role="bureau_admin", json={"all": "paid"}, expect=403)
        assert "may not" in wrong_role.text
    confirmed = (await walker.call("POST", "disbursement", None, f"/one-off-batches/{batch['batch_id']}/payments",
                                   role="finance", json={"all": "paid"})).json()
    assert confirmed["paid"] == batch["lines"] and confirmed["status"] == "confirmed"
    retried = (await walker.call("POST", "disbursement", None, f"/one-off-batches/{batch['batch_id']}/payments",
                                 role="finance", json={"all": "paid"})).json()
    assert retried["confirmed"] == 0  # a retry pays nothing twice
    return batch


async def test_an_emergency_helped_the_same_day_completed_afterwards_then_a_second_one(district, walker):
    day = dt.date(2024, 6, 3)
    await district.set_business_time(at(day))
    members = walker.household(next(_households))

    # The window records the kind; a 支出型 household above the disposable-income line is refused.
    rich = await walker.call("POST", "intake", J1, "/applications", role="clerk", expect=422,
                             json={**emergency(members, kind="expenditure"), "declared_monthly_income_fen": 900_000})
    assert rich.json()["field"] == "declared_monthly_income_fen" and "L18 §1(二)2" in rich.json()["rule"]
    first = (await walker.call("POST", "intake", J1, "/applications", role="clerk", json=emergency(members))).json()
    case_id = first["case_id"]
    await walker.wait_decision_state(J1, case_id, lambda s: s["status"] == "in_procedure")

    # 先行救助, the same day. Refused: the clerk; another jurisdiction's leader; the district bureau,
    # which holds no authority for J1 since its hand-over (2022-02-01).
    path, body = f"/cases/{case_id}/assist-first", {"amount_fen": 300_000, "reasons": ["家中失火，衣物口粮被毁"]}
    refused = await walker.call("POST", "decision", J1, path, role="clerk", json=body, expect=403)
    assert "may not" in refused.text
    refused = await walker.call("POST", "decision", J1, path, role="leader", as_jurisdiction=J2, json=body, expect=403)
    assert "serves jurisdiction" in refused.text
    refused = await walker.call("POST", "decision", J1, path, role="bureau_admin", as_jurisdiction=DISTRICT,
                                json=body, expect=403)
    assert "SPEC §3" in refused.json()["rule"] and "can no longer decide" in refused.text
    too_much = await walker.call("POST", "decision", J1, path, role="leader", who="lead-1", expect=422,
                                 json={**body, "amount_fen": 800_000})  # above 3 × 900 元 × 2: large, no reason
    assert too_much.json()["field"] == "large_amount_reason" and "一事一议" in too_much.json()["rule"]
    decided = (await walker.call("POST", "decision", J1, path, role="leader", who="lead-1", json=body)).json()
    assert decided["decided_on"] == day.isoformat() and decided["follow_up"] == "complete_afterwards"
    follow_up_due = decided["follow_up_due"]["due_on"]

    # Paid the same day through a one-off batch, outside the monthly roster; the case closes.
    await pay_through_a_batch(walker, case_id, refusals=True)
    roster = (await walker.call("POST", "disbursement", None, "/rosters", role="bureau_admin",
                                json={"month": "2024-07", "jurisdiction": J1})).json()
    assert "temporary" not in roster["totals"]

    async def closed_everywhere():
        register = await oversight_case(walker, case_id)
        return (register and register["stage"] == "closed" and (await intake_case(walker, case_id))["stage"] == "closed"
                and register)
    register = await walker.until(closed_everywhere)
    assert clock_states(register)["assist_follow_up"] == "open"  # supervised although paid
    assert "decision" not in clock_states(register)

    # Completed afterwards: the home visit, the household's means, the check report, the review, the
    # publicity — each on the case's timeline; the follow-up clock is met and no decision is owed.
    await walker.wait_task(J1, case_id)
    await walker.call("POST", "verification", J1, f"/cases/{case_id}/home-visit", role="investigator", who="inv-a",
                      json={"visited_on": day.isoformat(), "partner": {"id": "inv-b", "name": "李调查"},
                            "living_conditions": "房屋部分烧毁", "findings": "失火属实", "household_signed": True})
    await walker.call("POST", "verification", J1, f"/cases/{case_id}/household", role="investigator", who="inv-a",
                      json={"members": members, "incomes": [{"kind": "wages", "monthly_fen": 30000}], "assets": [],
                            "facts": {"hardship_confirmed": "yes"}})
    await walker.wait_report(J1, case_id)
    computed = await walker.review(J1, case_id)
    assert computed["eligible"]
    await walker.wait_decision_state(J1, case_id, lambda s: s["publicity"] == "open")
    later = day + dt.timedelta(days=16)  # past the 7 working days (the Dragon Boat Festival, 6-10, between)
    await district.set_business_time(at(later))
    state = await walker.wait_decision_state(J1, case_id, lambda s: s["publicity"] == "clean")
    assert state["status"] == "decided" and state["grant"]["assist_first"]

    async def follow_up_met():
        register = await oversight_case(walker, case_id)
        return clock_states(register).get("assist_follow_up") == "met" and register
    register = await walker.until(follow_up_met)
    assert "decision" not in clock_states(register) and register["stage"] == "closed"
    assert dt.date.fromisoformat(follow_up_due) >= later
    events = [t["event_type"] for t in (await intake_case(walker, case_id))["timeline"]]
    assert events.index("case_approved") < events.index("temporary_assistance_paid") < events.index("review_signed") \
        < events.index("publicity_closed")

    # The same household's second emergency: applied for and helped; a small amount in two tranches,
    # its means check and publicity skipped (below 1,000 元).
    second = (await walker.call("POST", "intake", J1, "/applications", role="clerk", json=emergency(members))).json()
    second_id = second["case_id"]
    assert second_id != case_id
    again = await walker.call("POST", "intake", J1, "/applications", role="clerk", json=emergency(members), expect=409)
    assert again.json()["open_case"] == second_id  # one open temporary case at a time
    await walker.wait_decision_state(J1, second_id, lambda s: s["status"] == "in_procedure")
    month_later = later + dt.timedelta(days=30)
    small = (await walker.call("POST", "decision", J1, f"/cases/{second_id}/assist-first", role="leader",
                               who="lead-1", json={"amount_fen": 80_000, "reasons": ["医疗急需"], "tranches": [
                                   {"amount_fen": 50_000, "payable_on": later.isoformat()},
                                   {"amount_fen": 30_000, "payable_on": month_later.isoformat()}]})).json()
    assert small["follow_up"] == "skipped" and [t["no"] for t in small["tranches"]] == [1, 2]
    await pay_through_a_batch(walker, second_id)
    assert (await intake_case(walker, second_id))["stage"] == "approved"  # a tranche is still to come

    await district.set_business_time(at(month_later))
    await pay_through_a_batch(walker, second_id)

    async def second_closed():
        register = await oversight_case(walker, second_id)
        return register and register["stage"] == "closed" and register
    register = await walker.until(second_closed)
    assert clock_states(register) == {"investigation": "cancelled"}  # skipped: nothing owed, nothing breached
    assert (await intake_case(walker, second_id))["stage"] == "closed"
