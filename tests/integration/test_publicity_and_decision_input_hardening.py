"""Input hardening at publicity and decision (issue 6): a large amount the contract allows flows
through publicity's notice and long-term list (BIGINT, no dead letter); entered dates and months are
bounded by the acceptance, the decision and the business day; refusals are 422s naming the field."""

import datetime as dt

from sqlalchemy import select

from jiuzhu_devstack.testing import eventually
from jiuzhu_publicity.adapters.tables import listings, notices

from .test_publicity_and_decision_flows import CASE, COMMITTEE, REVIEWER, district, review  # noqa: F401

LARGE = 3_000_000_000  # fen a month: above int32 (2,147,483,647); the reviewer's HTTP limit is lower


def refused(response, field: str, *words: str) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["field"] == field and all(w in body["rule"] for w in words), body


async def test_large_amount_flows_through_publicity_and_support_end_month_is_bounded(district):
    d = district
    await d.play(review(1, True, dt.date(2022, 3, 1)).model_copy(update={"proposed_amount_fen": LARGE,
                                                                        "override_reason": "测试"}), REVIEWER)
    [opened] = await eventually(lambda: d.events("publicity_opened"))  # not dead-lettered: posted
    assert opened.payload.proposed_amount_fen == LARGE
    async with d.publicity.kit.sessions() as s:
        assert (await s.execute(select(notices.c.state["amount_fen"]))).scalar_one() == LARGE
    board = (await d.publicity.client.get(f"/public/boards/{COMMITTEE}")).text
    assert "30,000,000.00" in board

    await d.at(dt.date(2022, 3, 11))
    await d.until(lambda s: s["publicity"] == "clean")
    leader = d.decision.token("leader", who="lead-1", name="孙主任")
    decided = await d.decision.client.post(f"/cases/{CASE}/decision", json={"approve": True}, headers=leader)
    assert decided.status_code == 200, decided.text

    async def listed():
        async with d.publicity.kit.sessions() as s:
            return (await s.execute(select(listings.c.amount_fen))).scalar()
    assert await eventually(listed) == LARGE

    # End of support: the last month paid, within the configured months and not before the decision.
    reasons = {"reasons": ["家庭收入超过标准"]}
    for month, words in (("0001-01", ("months_back",)), ("9999-12", ("months_ahead",)),
                         ("2022-02", ("决定月份2022-03",))):
        refused(await d.decision.client.post(f"/cases/{CASE}/end-support", headers=leader,
                                             json={**reasons, "last_month_paid": month}), "last_month_paid", *words)
    assert await d.events("support_ended") == []
    ended = await d.decision.client.post(f"/cases/{CASE}/end-support", headers=leader,
                                         json={**reasons, "last_month_paid": "2022-04"})
    assert ended.status_code == 200, ended.text


async def test_refusal_notice_delivery_date_is_bounded(district):
    d = district
    await d.play(review(1, False, dt.date(2022, 3, 1)), REVIEWER)
    await d.until(lambda s: s["review"] and not s["review"]["eligible"])
    leader = d.decision.token("leader", who="lead-1", name="孙主任")
    refusal = await d.decision.client.post(f"/cases/{CASE}/decision", headers=leader,
                                           json={"approve": False, "reasons": ["家庭人均月收入高于当地低保标准"]})
    assert refusal.status_code == 200, refusal.text
    clerk = d.decision.token("clerk")
    url = f"/cases/{CASE}/refusal-notice/delivery"
    # "Delivered 9999-12-31" would lock the notice as delivered and let oversight count the clock met.
    refused(await d.decision.client.post(url, headers=clerk, json={"delivered_on": "9999-12-31",
                                                                   "received_by": "居委会王主任"}),
            "delivered_on", "不得晚于2022-03-02")
    refused(await d.decision.client.post(url, headers=clerk, json={"delivered_on": "0001-01-01",
                                                                   "received_by": "居委会王主任"}),
            "delivered_on", "受理日期")
    assert await d.events("refusal_notice_issued") == []
    delivered = await d.decision.client.post(url, headers=clerk, json={"delivered_on": "2022-03-02",
                                                                       "received_by": "居委会王主任"})
    assert delivered.status_code == 200 and delivered.json()["on_time"] is True
