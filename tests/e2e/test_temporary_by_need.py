"""The ordinary temporary path by need, on the real processes (issue 16 item 1; L18 §2(三)–(四), N22
§4): an expenditure-driven (支出型) case is investigated and reviewed; the review proposes the amount
by need within the band the computation shows — a large one with its recorded reason — in two
tranches; after its publicity the leader approves that amount with those tranches, both are paid
through one-off batches confirmed by finance, and the case closes when the last is paid. The review
is refused to the wrong role and another jurisdiction, and an amount or tranches outside the rules
with the field and the rule named."""

import datetime as dt

from .steps import C1, J1, J2, at

DAY = dt.date(2024, 7, 1)  # a Monday; 2024 urban dibao 900 元 (config/urho.toml placeholder)
DECIDED = DAY + dt.timedelta(days=14)  # past the 7 working days of publicity
SECOND = DECIDED + dt.timedelta(days=30)


def expenditure(members):
    return {"category": "temporary", "temporary_kind": "expenditure", "area": "urban",
            "registration_jurisdiction": J1, "address": "测试路9号", "committee": C1, "members": members,
            "declared_monthly_income_fen": 30000, "declared_assets_fen": 0, "payment_account": "6222020000000001",
            "contact_phone": "13912345678", "reason": "重病住院，自付医疗费用超出家庭承受能力", "consent_signed": True,
            "materials": [{"code": c} for c in ("application_form", "id_cards", "household_register",
                                                 "hardship_statement")]}


async def pay_one_batch(walker, case_id) -> list[tuple[int, int]]:
    """The bureau issues a one-off batch for J1; finance confirms it as paid — until a batch carries
    this case (before the approval reaches disbursement there is nothing of it to pay: a 409, or a
    batch of other cases' tranches). Returns this case's lines (tranche, amount)."""
    async def paid():
        r = await walker.call("POST", "disbursement", None, "/one-off-batches", role="bureau_admin",
                              json={"jurisdiction": J1}, expect=(200, 409))
        if r.status_code == 409:
            return None
        bid = r.json()["batch_id"]
        detail = (await walker.call("GET", "disbursement", None, f"/one-off-batches/{bid}", role="finance")).json()
        confirmed = (await walker.call("POST", "disbursement", None, f"/one-off-batches/{bid}/payments",
                                       role="finance", json={"all": "paid"})).json()
        assert confirmed["status"] == "confirmed"
        return [(l["tranche"], l["amount_fen"]) for l in detail["lines_detail"] if l["case_id"] == case_id] or None
    return await walker.until(paid)


async def stage(walker, case_id) -> str:
    return (await walker.call("GET", "intake", J1, f"/cases/{case_id}", role="clerk")).json()["stage"]


async def test_an_expenditure_case_reviewed_by_need_paid_in_two_tranches_then_closed(district, walker):
    await district.set_business_time(at(DAY))
    members = walker.household(8801)
    case_id = (await walker.call("POST", "intake", J1, "/applications", role="clerk",
                                 json=expenditure(members))).json()["case_id"]
    await walker.wait_task(J1, case_id)
    await walker.call("POST", "verification", J1, f"/cases/{case_id}/home-visit", role="investigator", who="inv-a",
                      json={"visited_on": DAY.isoformat(), "partner": {"id": "inv-b", "name": "李调查"},
                            "living_conditions": "租住单间", "findings": "重病住院属实，自付费用大", "household_signed": True})
    await walker.call("POST", "verification", J1, f"/cases/{case_id}/household", role="investigator", who="inv-a",
                      json={"members": members, "incomes": [{"kind": "wages", "monthly_fen": 30000}], "assets": [],
                            "facts": {"hardship_confirmed": "yes"}})
    await walker.wait_report(J1, case_id)

    # The computation shows the band: 6 months × 900 元 × 2 persons, large above 3 months.
    computed = (await walker.call("GET", "verification", J1, f"/cases/{case_id}/computation", role="reviewer",
                                  who="rev-1")).json()
    assert computed["eligible"] and (computed["band_max_fen"], computed["large_above_fen"]) == (1_080_000, 540_000)
    assert any("6个月×低保标准900.00元×2人" in r for r in computed["reasons"])

    path = f"/cases/{case_id}/review"
    opinion = {"eligible": True, "proposed_amount_fen": 700_000, "reasons": ["重病住院，自付医疗费用高"],
               "large_amount_reason": "自付医疗费用逾万元，经街道集体研究，一事一议",
               "tranches": [{"amount_fen": 450_000, "after_days": 0}, {"amount_fen": 250_000, "after_days": 30}]}
    refused = await walker.call("POST", "verification", J1, path, role="investigator", who="inv-c", json=opinion,
                                expect=403)
    assert "may not" in refused.text
    refused = await walker.call("POST", "verification", J1, path, role="reviewer", who="rev-2", as_jurisdiction=J2,
                                json=opinion, expect=403)
    assert "serves jurisdiction" in refused.text
    for wrong, field, rule in (
            ({"proposed_amount_fen": 1_080_001}, "proposed_amount_fen", "L18 §2(三)"),
            ({"large_amount_reason": None}, "large_amount_reason", "一事一议"),
            ({"tranches": [{"amount_fen": 450_000, "after_days": 0}, {"amount_fen": 200_000, "after_days": 30}]},
             "tranches", "L18 §2(四)"),
            ({"tranches": [{"amount_fen": 450_000, "after_days": 3}, {"amount_fen": 250_000, "after_days": 30}]},
             "tranches.0.after_days", "L18 §2(四)")):
        r = await walker.call("POST", "verification", J1, path, role="reviewer", who="rev-1",
                              json={**opinion, **wrong}, expect=422)
        assert r.json()["field"] == field and rule in r.json()["rule"], r.text
    signed = (await walker.call("POST", "verification", J1, path, role="reviewer", who="rev-1", json=opinion)).json()
    assert signed["proposed_amount_fen"] == 700_000 and len(signed["tranches"]) == 2

    # After a clean publicity the leader approves that amount with those tranches, dated from the decision.
    await district.set_business_time(at(DECIDED))
    await walker.wait_decision_state(J1, case_id, lambda s: s["publicity"] == "clean")
    decided = (await walker.decide(J1, case_id)).json()
    assert decided["decided_on"] == DECIDED.isoformat()
    state = await walker.wait_decision_state(J1, case_id, lambda s: s["status"] == "decided")
    grant = state["grant"]
    assert not grant["assist_first"] and grant["amount_fen"] == 700_000
    assert grant["large_amount_reason"].startswith("自付医疗费用")
    assert [(t["no"], t["amount_fen"], t["payable_on"]) for t in grant["tranches"]] == [
        (1, 450_000, DECIDED.isoformat()), (2, 250_000, SECOND.isoformat())]

    # Each tranche through its own one-off batch; the case closes when the last is paid.
    assert await pay_one_batch(walker, case_id) == [(1, 450_000)]
    assert await stage(walker, case_id) == "approved"  # the second tranche is still to come
    await district.set_business_time(at(SECOND))
    assert await pay_one_batch(walker, case_id) == [(2, 250_000)]

    async def closed():
        register = (await walker.call("GET", "oversight", None, f"/cases/{case_id}", role="inspector")).json()
        return register["stage"] == "closed" and await stage(walker, case_id) == "closed" and register
    register = await walker.until(closed)
    events = [t["event_type"] for t in register["timeline"]]
    assert events.index("review_signed") < events.index("case_approved") < events.index("temporary_assistance_paid")
