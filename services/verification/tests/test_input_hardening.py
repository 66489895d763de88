"""Input hardening in verification (issue 6): entered dates between the acceptance and the business
day (+ tolerance), means and the reviewer's amount within [limits], ID numbers normalised — every
refusal a 422 naming the field, and nothing recorded or published."""

import pytest

from jiuzhu_contracts import encode
from jiuzhu_contracts.examples import MEMBERS, synthetic_id
from jiuzhu_contracts.subjects import event_subject, events_stream
from jiuzhu_devstack.testing import eventually

from jiuzhu_verification.bootstrap import build

from .test_verification_service import CASE, J, accepted_envelope, case_state

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
VISIT = {"partner": {"id": "inv-b", "name": "李调查"}, "living_conditions": "租住单间", "findings": "与申报一致",
         "household_signed": True}


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "verification", J) as running:
        yield running


async def accepted_in_full_width(svc):
    """application_accepted as a producer that did not normalise would have put it on the wire."""
    env = accepted_envelope(svc)
    raw = encode(env).decode()
    for m in MEMBERS:
        raw = raw.replace(m.id_number, m.id_number[:17].translate(FULL_WIDTH) + m.id_number[17])
    assert MEMBERS[0].id_number not in raw
    await svc.publish_bytes(event_subject(env.district, env.jurisdiction, env.event_type, svc.prefix), raw.encode(),
                            signed_by=f"intake-{env.jurisdiction}", msg_id=env.event_id)
    return await eventually(lambda: case_state(svc))


def refused(response, field: str, *words: str) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["field"] == field and all(w in body["rule"] for w in words), body


async def test_dates_amounts_and_ids_are_bounded_through_the_whole_investigation(svc):
    state = await accepted_in_full_width(svc)
    assert state["member_id_numbers"] == [m.id_number for m in MEMBERS]  # normalised on the way in
    inv = svc.token("investigator", who="inv-a", name="王调查")

    # Home visit: a visit "on 2099-01-01" would stop the review clock from ever breaching.
    for day, words in (("2099-01-01", ("不得晚于2022-03-02",)), ("2022-02-28", ("受理日期",)),
                       ("0001-01-01", ("受理日期",))):
        refused(await svc.client.post(f"/cases/{CASE}/home-visit", headers=inv, json={**VISIT, "visited_on": day}),
                "visited_on", *words)
    ok = await svc.client.post(f"/cases/{CASE}/home-visit", headers=inv, json={**VISIT, "visited_on": "2022-03-02"})
    assert ok.status_code == 200, ok.text  # the business day + one day's tolerance

    # Household data: absurd income, a member not yet born on the business day; full width is fine.
    members = [m.model_dump(mode="json") for m in MEMBERS]
    refused(await svc.client.post(f"/cases/{CASE}/household", headers=inv, json={
        "members": members, "incomes": [{"kind": "wages", "monthly_fen": 10**30}]}),
        "incomes.0.monthly_fen", "household_monthly_income_fen")
    refused(await svc.client.post(f"/cases/{CASE}/household", headers=inv, json={
        "members": members, "assets": [{"kind": "deposit", "value_fen": 6_000_000_000},
                                       {"kind": "deposit", "value_fen": 6_000_000_000}]}),
        "assets", "household_assets_fen")  # each line allowed, the sum not
    unborn = {"name": "未生", "id_number": synthetic_id(born="20230101", seq="009"), "relation": "child"}
    refused(await svc.client.post(f"/cases/{CASE}/household", headers=inv, json={"members": members + [unborn]}),
            "members.2.id_number", "晚于业务日期")
    wide = [{**m, "id_number": m["id_number"][:17].translate(FULL_WIDTH) + m["id_number"][17]} for m in members]
    household = await svc.client.post(f"/cases/{CASE}/household", headers=inv, json={
        "members": wide, "incomes": [{"kind": "wages", "monthly_fen": 50000}]})
    assert household.status_code == 200, household.text
    [requested] = await svc.published("economic_check_requested")
    assert requested.payload.member_id_numbers == tuple(m.id_number for m in MEMBERS)

    # The check centre's report: dated and sized plausibly.
    centre = svc.token("check_centre", jurisdiction="650205")
    url = f"/economic-checks/{household.json()['check_request_id']}/report"
    report = {"report_no": "R-1", "reported_on": "2022-03-01", "monthly_income_fen": 60000,
              "countable_assets_fen": 0, "findings": "无"}
    refused(await svc.client.post(url, headers=centre, json={**report, "reported_on": "9999-12-31"}), "reported_on")
    refused(await svc.client.post(url, headers=centre, json={**report, "countable_assets_fen": 10**30}),
            "countable_assets_fen", "应计财产")
    assert (await svc.client.post(url, headers=centre, json=report)).status_code == 200

    # A disputed case's democratic appraisal.
    assert (await svc.client.post(f"/cases/{CASE}/dispute", headers=inv)).status_code == 200
    appraisal = {"participants": ["村民代表"], "result": "supports", "minutes": "一致同意"}
    refused(await svc.client.post(f"/cases/{CASE}/democratic-appraisal", headers=inv,
                                  json={**appraisal, "held_on": "2099-01-01"}), "held_on")
    assert (await svc.client.post(f"/cases/{CASE}/democratic-appraisal", headers=inv,
                                  json={**appraisal, "held_on": "2022-03-01"})).status_code == 200

    # The reviewer's override: 3,000,000,000 fen a month is refused; the limit itself is allowed.
    reviewer = svc.token("reviewer", who="rev-1", name="赵审核")
    override = {"eligible": True, "override_reason": "特殊困难"}
    refused(await svc.client.post(f"/cases/{CASE}/review", headers=reviewer,
                                  json={**override, "proposed_amount_fen": 3_000_000_000}),
            "proposed_amount_fen", "amount_per_month_fen")
    signed = await svc.client.post(f"/cases/{CASE}/review", headers=reviewer,
                                   json={**override, "proposed_amount_fen": 10_000_000})
    assert signed.status_code == 200, signed.text
    # The check centre sends its report again (its acknowledgement was lost): accepted as already
    # recorded, although the case has moved on; a different report for it is still refused.
    assert (await svc.client.post(url, headers=centre, json=report)).status_code == 200
    assert (await svc.client.post(url, headers=centre, json={**report, "report_no": "R-2"})).status_code == 409
    for event_type in ("home_visit_recorded", "household_recorded", "economic_check_reported",
                       "democratic_appraisal_held", "review_signed"):
        assert len(await svc.published(event_type)) == 1, event_type  # refusals published nothing
