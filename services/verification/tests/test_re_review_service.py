"""定期核查 on real PostgreSQL and JetStream: an approved household is scheduled, the business clock
opens its re-review when due (no sleeping), the new case's steps run through the API, the reviewer
proposes a reduced amount; staff open one on a death; refusals name the rule."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES, MEMBERS
from jiuzhu_contracts.events import ApplicationAccepted, CaseApproved, RecipientMigrated
from jiuzhu_devstack.testing import eventually

from jiuzhu_verification.bootstrap import build

TZ = ZoneInfo("Asia/Shanghai")
J, OTHER = "650205001", "650205100"
CASE, MIGRATED = f"{J}-2022-00001", f"{J}-CL-00c0ffee"
LEADER = Actor(id="lead-1", role="leader", name="孙主任")


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "verification", J) as running:
        yield running


def wrap(svc, payload, case_id, actor=LEADER):
    return Envelope.wrap(payload, district="650205", jurisdiction=J, actor=actor, occurred_at=svc.kit.clock.now(),
                         case_id=case_id)


async def at(svc, day):
    now = dt.datetime.combine(day, dt.time(9), TZ)
    svc.kit.clock.set(now)
    await svc.kit.tick(now)


async def worklist(svc, **params):
    r = await svc.client.get("/re-reviews", params=params, headers=svc.token("investigator"))
    assert r.status_code == 200, r.text
    return r.json()


async def approved_household(svc):
    """Accepted, household recorded by the investigators (the applicant, 42, presumed able to work;
    a child in school), approved at 1,300 元."""
    accepted = next(e for e in EXAMPLES if isinstance(e, ApplicationAccepted)).model_copy(
        update={"close_relative": None})
    await svc.publish(wrap(svc, accepted, CASE, Actor(id="c1", role="clerk", name="窗口")))
    inv = svc.token("investigator", who="inv-a", name="王调查")
    household = {"members": [m.model_dump(mode="json") for m in MEMBERS],
                 "incomes": [{"kind": "wages", "monthly_fen": 50000}], "assets": []}
    r = await eventually(lambda: _ok(svc.client.post(f"/cases/{CASE}/household", headers=inv, json=household)))
    approval = next(e for e in EXAMPLES if isinstance(e, CaseApproved)).model_copy(
        update={"decided_on": dt.date(2022, 3, 1), "first_month_paid": "2022-04"})
    await svc.publish(wrap(svc, approval, CASE))
    return r


async def _ok(call):
    r = await call
    return r if r.status_code == 200 else None


async def test_scheduled_opened_by_the_clock_reduced_and_rescheduled(svc):
    await approved_household(svc)
    # Working-age member able to work: every six months from the decision (D21 art. 31).
    [scheduled] = await eventually(lambda: worklist(svc, due_before="2022-12-31"))
    assert (scheduled["case_id"], scheduled["status"], scheduled["due_on"], scheduled["profile"]) == (
        CASE, "scheduled", "2022-09-01", "changing")
    assert await worklist(svc) == []  # nothing due yet today

    await at(svc, dt.date(2022, 8, 31))
    assert await svc.published("re_review_opened") == []
    await at(svc, dt.date(2022, 9, 1))  # the day it falls due: the business clock opens it
    [opened] = await eventually(lambda: svc.published("re_review_opened"))
    p = opened.payload
    assert (opened.case_id, p.cause, p.round, p.scheduled_on, p.due.due_on, p.due.working_days) == (
        CASE, "periodic", 1, dt.date(2022, 9, 1), dt.date(2022, 9, 23), 15)  # 12 Sep: Mid-Autumn
    await at(svc, dt.date(2022, 9, 2))
    assert len(await svc.published("re_review_opened")) == 1  # once, however often the clock ticks
    [open_one] = await worklist(svc)
    assert (open_one["status"], open_one["due_on"], open_one["working_days_left"]) == ("open", "2022-09-23", 14)

    inv_a, inv_b = svc.token("investigator", who="inv-a", name="王调查"), svc.token("investigator", who="inv-b")
    reviewer = svc.token("reviewer", who="rev-1", name="赵审核")
    early = await svc.client.post(f"/re-reviews/{CASE}/review", headers=reviewer,
                                  json={"outcome": "continue", "proposed_amount_fen": 130000})
    assert early.status_code == 409 and "home visit" in early.json()["rule"]
    await at(svc, dt.date(2022, 9, 6))
    visit = await svc.client.post(f"/re-reviews/{CASE}/home-visit", headers=inv_a, json={
        "visited_on": "2022-09-05", "partner": {"id": "inv-b", "name": "李调查"}, "living_conditions": "租住单间",
        "findings": "户主已找到零工", "household_signed": True})
    assert visit.status_code == 200, visit.text
    household = await svc.client.post(f"/re-reviews/{CASE}/household", headers=inv_b, json={
        "members": [m.model_dump(mode="json") for m in MEMBERS],
        "incomes": [{"kind": "wages", "monthly_fen": 100000}], "assets": []})
    assert household.status_code == 200, household.text
    request_id = household.json()["check_request_id"]
    [requested] = [e for e in await svc.published("economic_check_requested") if e.payload.request_id == request_id]
    assert requested.case_id == CASE
    report = await svc.client.post(f"/economic-checks/{request_id}/report",
                                   headers=svc.token("check_centre", jurisdiction="650205"),
                                   json={"report_no": "HD-R-2", "reported_on": "2022-09-06",
                                         "monthly_income_fen": 110000, "countable_assets_fen": 0, "findings": "工资"})
    assert report.status_code == 200, report.text

    computed = (await svc.client.get(f"/re-reviews/{CASE}/computation", headers=reviewer)).json()
    # 2 people, income max(1,000, 1,100) = 1,100 元: 900 × 2 − 1,100 = 700 元 (was 1,300).
    assert (computed["eligible"], computed["amount_fen"]) == (True, 70000)
    by_investigator = await svc.client.post(f"/re-reviews/{CASE}/review",
                                            headers=svc.token("reviewer", "investigator", who="inv-b"),
                                            json={"outcome": "change", "proposed_amount_fen": 70000})
    assert by_investigator.status_code == 403 and "谁调查" in by_investigator.json()["rule"]
    await at(svc, dt.date(2022, 9, 8))
    signed = await svc.client.post(f"/re-reviews/{CASE}/review", headers=reviewer,
                                   json={"outcome": "change", "proposed_amount_fen": 70000,
                                         "reasons": ["户主就业，家庭收入增加"]})
    assert signed.status_code == 200, signed.text
    [done] = await svc.published("re_review_completed")
    d = done.payload
    assert (d.outcome, d.proposed_amount_fen, d.computed_amount_fen, d.household_monthly_income_fen) == (
        "change", 70000, 70000, 110000)
    assert [s.id for s in d.investigators] == ["inv-a", "inv-b"] and d.reviewer.id == "rev-1"
    assert (d.profile, d.next_on) == ("changing", dt.date(2023, 3, 8))  # the next one follows
    [after] = await worklist(svc, due_before="2023-12-31")
    assert (after["status"], after["due_on"]) == ("scheduled", "2023-03-08")


async def test_a_death_opens_one_at_once_refusals_name_the_rule(svc):
    migrated = next(e for e in EXAMPLES if isinstance(e, RecipientMigrated))
    await svc.publish(wrap(svc, migrated, MIGRATED))  # approved 2020-06-15, members: 42 and a pupil
    [h] = await eventually(lambda: worklist(svc, due_before="2023-12-31"))
    # Its next six-monthly date on the old approval's cycle, not all of the imported caseload today.
    assert (h["case_id"], h["due_on"]) == (MIGRATED, "2022-06-15")

    body = {"case_id": MIGRATED, "cause": "death", "reasons": ["户主于2022年2月20日去世"]}
    clerk = await svc.client.post("/re-reviews", headers=svc.token("clerk"), json=body)
    assert clerk.status_code == 403 and "may not" in clerk.text
    elsewhere = await svc.client.post("/re-reviews", headers=svc.token("investigator", jurisdiction=OTHER), json=body)
    assert elsewhere.status_code == 403 and "serves jurisdiction" in elsewhere.text
    no_date = await svc.client.post("/re-reviews", headers=svc.token("investigator"), json=body)
    assert no_date.status_code == 422 and "N22" in no_date.json()["rule"]
    periodic = await svc.client.post("/re-reviews", headers=svc.token("investigator"),
                                     json={**body, "cause": "periodic", "occurred_on": "2022-02-20"})
    assert periodic.status_code == 422 and "schedule" in periodic.json()["rule"]
    unknown = await svc.client.post("/re-reviews", headers=svc.token("investigator"),
                                    json={**body, "case_id": f"{J}-CL-nobody", "occurred_on": "2022-02-20"})
    assert unknown.status_code == 404

    opened = await svc.client.post("/re-reviews", headers=svc.token("investigator"),
                                   json={**body, "occurred_on": "2022-02-20"})
    assert opened.status_code == 200, opened.text
    assert opened.json()["due"]["due_on"] == "2022-03-22"  # 15 working days, within N22's three months
    again = await svc.client.post("/re-reviews", headers=svc.token("reviewer"),
                                  json={**body, "cause": "petition", "occurred_on": None})
    assert again.status_code == 409 and "one re-review at a time" in again.json()["rule"]
    [event] = await svc.published("re_review_opened")
    assert (event.payload.cause, event.payload.occurred_on) == ("death", dt.date(2022, 2, 20))


async def test_a_death_recorded_at_the_window_opens_the_re_review_by_itself(svc):
    """The clerk records the death as a household change (decision's household_changed): the
    re-review opens without anyone opening it by hand, due within N22's three months."""
    from jiuzhu_contracts.events import HouseholdChanged

    migrated = next(e for e in EXAMPLES if isinstance(e, RecipientMigrated))
    await svc.publish(wrap(svc, migrated, MIGRATED))
    await eventually(lambda: worklist(svc, due_before="2023-12-31"))
    change = next(e for e in EXAMPLES if isinstance(e, HouseholdChanged))  # a birth and a death on 2022-02-20
    births_only = change.model_copy(update={"members_removed": ()})
    await svc.publish(wrap(svc, births_only, MIGRATED, Actor(id="c1", role="clerk", name="窗口")))
    await svc.publish(wrap(svc, change, MIGRATED, Actor(id="c1", role="clerk", name="窗口")))
    [opened] = await eventually(lambda: svc.published("re_review_opened"))  # the birth alone opened none
    assert (opened.payload.cause, opened.payload.occurred_on) == ("death", dt.date(2022, 2, 20))
    assert opened.payload.due.due_on <= dt.date(2022, 5, 20)
    [h] = await worklist(svc, due_before="2023-12-31")
    assert h["status"] == "open"
    await svc.publish(wrap(svc, change.model_copy(update={"changed_on": dt.date(2022, 3, 2)}), MIGRATED,
                           Actor(id="c1", role="clerk", name="窗口")))  # told again: one re-review at a time

    async def all_four_applied():  # the import, the birth, the death, the death told again
        return sum(c.processed for c in svc.kit.consumers) >= 4
    await eventually(all_four_applied)
    assert len(await svc.published("re_review_opened")) == 1
