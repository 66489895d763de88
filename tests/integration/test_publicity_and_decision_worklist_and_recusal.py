"""Decision's worklist comes from the case store's derived columns (status, decision_due); a
recused staff member is refused by the store on every command about the case (D21 art. 11)."""

import datetime as dt

from sqlalchemy import select

from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events import CloseRelativeFlagged
from jiuzhu_contracts.events.intake import CloseRelativeFlag
from jiuzhu_contracts.examples import MEMBERS

from jiuzhu_decision.adapters.cases import DECISION_CASES
from jiuzhu_decision.adapters.tables import decision_cases

from .test_publicity_and_decision_flows import CASE, REVIEWER, district, review  # noqa: F401


async def row(d):
    async with d.decision.kit.sessions() as s:
        return (await s.execute(select(decision_cases.c.status, decision_cases.c.decision_due,
                                       decision_cases.c.state_version))).one()


async def test_the_worklist_holds_cases_in_procedure_with_their_decision_due(district):
    d = district
    leader = d.decision.token("leader", who="lead-1", name="孙主任")
    await d.play(review(1, False, dt.date(2022, 3, 1)), REVIEWER)
    await d.until(lambda s: s["review"])
    [pending] = (await d.decision.client.get("/cases", headers=leader)).json()
    assert {k: pending[k] for k in ("case_id", "category", "publicity", "decision_due", "may_approve",
                                    "may_refuse")} == {"case_id": CASE, "category": "dibao", "publicity": "none",
                                                       "decision_due": "2022-03-04", "may_approve": False,
                                                       "may_refuse": True}
    assert tuple(await row(d)) == ("in_procedure", dt.date(2022, 3, 4), DECISION_CASES.version)

    refused = await d.decision.client.post(f"/cases/{CASE}/decision", headers=leader,
                                           json={"approve": False, "reasons": ["家庭人均月收入高于当地低保标准"]})
    assert refused.status_code == 200, refused.text
    assert refused.json() == {"case_id": CASE, "approved": False, "decided_on": "2022-03-01", "amount_fen": 0,
                              "first_month_paid": None, "approving_body": "jurisdiction",
                              "refusal_notice_due": "2022-03-04"}
    assert (await d.decision.client.get("/cases", headers=leader)).json() == []
    assert tuple(await row(d)) == ("decided", None, DECISION_CASES.version)
    assert (await d.decision.client.get(f"/cases/{CASE}", headers=leader)).json()["status"] == "decided"

    missing = await d.decision.client.get("/cases/650205001-2022-09999", headers=leader)
    assert missing.status_code == 404 and missing.json()["detail"] == "没有案件 650205001-2022-09999 / no case 650205001-2022-09999 here"


async def test_a_recused_staff_member_may_not_record_the_refusal_notice_delivery(district):
    d = district
    await d.play(review(1, False, dt.date(2022, 3, 1)), REVIEWER)
    await d.until(lambda s: s["review"])
    refused = await d.decision.client.post(f"/cases/{CASE}/decision", json={"approve": False, "reasons": ["x"]},
                                           headers=d.decision.token("leader", who="lead-1"))
    assert refused.status_code == 200, refused.text
    flag = CloseRelativeFlag(staff_ids=("clerk-9",), member_id_numbers=(MEMBERS[1].id_number,), relations=("child",))
    await d.play(CloseRelativeFlagged(flagged_on=dt.date(2022, 3, 1), close_relative=flag),
                 Actor(id="clerk-1", role="clerk", name="刘窗口"))
    await d.until(lambda s: "clerk-9" in s["recused"])
    body = {"delivered_on": "2022-03-01", "received_by": "居委会王主任"}
    url = f"/cases/{CASE}/refusal-notice/delivery"
    r = await d.decision.client.post(url, json=body, headers=d.decision.token("clerk", who="clerk-9"))
    assert r.status_code == 403 and "D21 art. 11" in r.json()["rule"]
    assert await d.events("refusal_notice_issued") == []
    ok = await d.decision.client.post(url, json=body, headers=d.decision.token("clerk", who="clerk-2"))
    assert ok.status_code == 200, ok.text
