"""特困人员 per person on real PostgreSQL and JetStream (T21 art. 5, 21–23): the investigation names the
household's tekun person with the six-item assessment; the review computes one person's basic living
+ care support for a household of two; the review carries the persons; a household change reporting
the person's changed condition opens the re-assessment due within 10 days, whose review proposes the
new amount. Refusals name the field and the rule."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import ApplicationAccepted, CaseApproved, HouseholdChanged
from jiuzhu_contracts.base import Category
from jiuzhu_contracts.examples import APPLICANT_ID, EXAMPLES, MEMBERS, synthetic_id
from jiuzhu_devstack.testing import eventually

from jiuzhu_verification.bootstrap import build

TZ = ZoneInfo("Asia/Shanghai")
J = "650205001"
CASE = f"{J}-2022-00007"
LEADER = Actor(id="lead-1", role="leader", name="孙主任")
CLERK = Actor(id="c1", role="clerk", name="窗口")
BASIC = 117000  # config/urho.toml 2022 urban tekun (placeholder)
FACTS = {"unable_to_work": "yes", "no_income_source": "yes", "no_capable_supporter": "yes"}
VISIT = {"partner": {"id": "inv-b", "name": "李调查"}, "living_conditions": "独居平房",
         "findings": "无劳动能力、无生活来源", "household_signed": True}


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "verification", J) as running:
        yield running


def wrap(svc, payload, actor=LEADER):
    return Envelope.wrap(payload, district="650205", jurisdiction=J, actor=actor, occurred_at=svc.kit.clock.now(),
                         case_id=CASE)


async def at(svc, day):
    now = dt.datetime.combine(day, dt.time(9), TZ)
    svc.kit.clock.set(now)
    await svc.kit.tick(now)


def household(persons, members=MEMBERS):
    return {"members": [m.model_dump(mode="json") for m in members], "incomes": [], "assets": [], "facts": FACTS,
            "tekun_persons": persons}


def the_applicant(unable=(), on="2022-03-01", **kw):
    return {"id_number": APPLICANT_ID, "name": "张三", "unable": list(unable), "assessed_on": on, **kw}


async def report(svc, request_id, no):
    r = await svc.client.post(f"/economic-checks/{request_id}/report",
                              headers=svc.token("check_centre", jurisdiction="650205"),
                              json={"report_no": no, "reported_on": str(svc.kit.clock.today()),
                                    "monthly_income_fen": 0, "countable_assets_fen": 0, "findings": "无收入"})
    assert r.status_code == 200, r.text


async def test_one_tekun_person_of_two_assessed_reviewed_and_re_assessed_on_a_reported_change(svc):
    accepted = next(e for e in EXAMPLES if isinstance(e, ApplicationAccepted)).model_copy(
        update={"close_relative": None, "category": Category.TEKUN})
    await svc.publish(wrap(svc, accepted, CLERK))
    inv = svc.token("investigator", who="inv-a", name="王调查")
    reviewer = svc.token("reviewer", who="rev-1", name="赵审核")

    async def task():
        r = await svc.client.get(f"/cases/{CASE}", headers=inv)
        return r.status_code == 200
    await eventually(task)
    assert (await svc.client.post(f"/cases/{CASE}/home-visit", headers=inv,
                                  json={"visited_on": "2022-03-01", **VISIT})).status_code == 200

    # A tekun household names its tekun persons, each a member, each assessed (422 naming field and rule).
    none = await svc.client.post(f"/cases/{CASE}/household", headers=inv, json=household([]))
    assert none.status_code == 422 and none.json()["field"] == "tekun_persons" and "T21" in none.json()["rule"]
    outsider = {**the_applicant(), "id_number": synthetic_id(born="19400101", seq="777")}
    stranger = await svc.client.post(f"/cases/{CASE}/household", headers=inv, json=household([outsider]))
    assert stranger.status_code == 422, stranger.text
    assert stranger.json()["field"] == "tekun_persons.0.id_number" and "T21 art. 5" in stranger.json()["rule"]
    no_home = await svc.client.post(f"/cases/{CASE}/household", headers=inv,
                                    json=household([the_applicant(support_mode="centralised")]))
    assert no_home.status_code == 422 and "机构" in no_home.text
    bad_item = await svc.client.post(f"/cases/{CASE}/household", headers=inv,
                                     json=household([the_applicant(unable=["flying"])]))
    assert bad_item.status_code == 422

    # The applicant cannot bathe or use the toilet alone (2 of 6: 半失能); the child is not tekun.
    ok = await svc.client.post(f"/cases/{CASE}/household", headers=inv,
                               json=household([the_applicant(unable=["bathing", "toileting"])]))
    assert ok.status_code == 200, ok.text
    [recorded] = await svc.published("household_recorded")
    [person] = recorded.payload.tekun_persons
    assert (person.id_number, person.level, person.support_mode) == (APPLICANT_ID, "semi_disabled", "dispersed")
    await report(svc, ok.json()["check_request_id"], "HD-T-1")
    computed = (await eventually(lambda: _json(svc.client.get(f"/cases/{CASE}/computation", headers=reviewer))))
    one_person = BASIC + BASIC * 30 // 100  # basic living + the example 30 % care for 半失能
    assert (computed["eligible"], computed["amount_fen"]) == (True, one_person)  # not 2 × the standard
    assert any("按特困人员1人计发（家庭2人）" in r for r in computed["reasons"])
    signed = await svc.client.post(f"/cases/{CASE}/review", headers=reviewer,
                                   json={"eligible": True, "proposed_amount_fen": one_person})
    assert signed.status_code == 200, signed.text
    [review] = await svc.published("review_signed")
    assert [p.level for p in review.payload.tekun_persons] == ["semi_disabled"]

    approval = next(e for e in EXAMPLES if isinstance(e, CaseApproved)).model_copy(
        update={"decided_on": dt.date(2022, 3, 1), "first_month_paid": "2022-04", "category": Category.TEKUN,
                "amount_fen": one_person})
    await svc.publish(wrap(svc, approval))

    async def scheduled():
        r = await svc.client.get(f"/re-reviews/{CASE}", headers=inv)
        return r.json() if r.status_code == 200 else None
    assert (await eventually(scheduled))["profile"] == "tekun"

    # The window records the person's changed condition: the re-assessment opens by itself, 10 days.
    await at(svc, dt.date(2022, 4, 1))  # a Friday
    change = HouseholdChanged(category=Category.TEKUN, changed_on=dt.date(2022, 4, 1), household_size=2, public_name="张三",
                              recorded_by={"id": "c1", "name": "窗口", "role": "clerk"},
                              condition_changes=[{"id_number": APPLICANT_ID, "name": "张三",
                                                  "noticed_on": "2022-03-31", "description": "中风后卧床"}])
    await svc.publish(wrap(svc, change, CLERK))
    [opened] = await eventually(lambda: svc.published("re_review_opened"))
    o = opened.payload
    assert (o.cause, o.occurred_on) == ("self_care_change", dt.date(2022, 3, 31))
    assert o.due.due_on == dt.date(2022, 4, 11)  # reported 1 April + 10 days (a Monday, a working day)
    assert "T21 art. 23" in o.due.rule

    await svc.client.post(f"/re-reviews/{CASE}/home-visit", headers=inv, json={"visited_on": "2022-04-01", **VISIT})
    worse = the_applicant(unable=["bathing", "toileting", "dressing", "transferring", "eating"], on="2022-04-01")
    h = await svc.client.post(f"/re-reviews/{CASE}/household", headers=inv, json=household([worse]))
    assert h.status_code == 200, h.text
    await report(svc, h.json()["check_request_id"], "HD-T-2")
    now = await eventually(lambda: _json(svc.client.get(f"/re-reviews/{CASE}/computation", headers=reviewer)))
    assert now["amount_fen"] == BASIC + BASIC * 60 // 100  # 全失能
    done = await svc.client.post(f"/re-reviews/{CASE}/review", headers=reviewer,
                                 json={"outcome": "change", "proposed_amount_fen": now["amount_fen"],
                                       "reasons": ["重新评估为全失能（T21第23条）"]})
    assert done.status_code == 200, done.text
    [completed] = await svc.published("re_review_completed")
    assert [p.level for p in completed.payload.tekun_persons] == ["disabled"]
    assert completed.payload.proposed_amount_fen == BASIC + BASIC * 60 // 100


async def test_a_self_care_re_assessment_is_for_a_tekun_household_only(svc):
    accepted = next(e for e in EXAMPLES if isinstance(e, ApplicationAccepted)).model_copy(
        update={"close_relative": None})
    await svc.publish(wrap(svc, accepted, CLERK))
    inv = svc.token("investigator", who="inv-a", name="王调查")

    async def task():
        return (await svc.client.get(f"/cases/{CASE}", headers=inv)).status_code == 200
    await eventually(task)
    await svc.client.post(f"/cases/{CASE}/home-visit", headers=inv, json={"visited_on": "2022-03-01", **VISIT})
    dibao = await svc.client.post(f"/cases/{CASE}/household", headers=inv,
                                  json={**household([the_applicant()]), "facts": {}})
    assert dibao.status_code == 422 and "tekun (特困) household only" in dibao.json()["rule"]
    approval = next(e for e in EXAMPLES if isinstance(e, CaseApproved)).model_copy(
        update={"decided_on": dt.date(2022, 3, 1), "first_month_paid": "2022-04"})
    await svc.publish(wrap(svc, approval))

    async def scheduled():
        return (await svc.client.get(f"/re-reviews/{CASE}", headers=inv)).status_code == 200
    await eventually(scheduled)
    r = await svc.client.post("/re-reviews", headers=inv, json={"case_id": CASE, "cause": "self_care_change",
                                                                "reasons": ["身体状况变化"]})
    assert r.status_code == 422 and "T21 art. 23" in r.json()["rule"]


async def _json(call):
    r = await call
    return r.json() if r.status_code == 200 else None


def test_a_case_stored_before_tekun_persons_were_kept_still_loads():
    from jiuzhu_contracts.base import Area
    from jiuzhu_verification.adapters.investigations import INVESTIGATIONS
    from jiuzhu_verification.domain.investigation import Household, Investigation

    inv = Investigation(case_id=CASE, category=Category.TEKUN, area=Area.URBAN, committee="居委会",
                        applicant_name="张三", accepted_on=dt.date(2022, 3, 1), member_id_numbers=(APPLICANT_ID,))
    inv = inv.record_household(Household(size=2, monthly_income_fen=0, countable_assets_fen=0, facts=FACTS), "HD-1")
    stored = INVESTIGATIONS.dump(inv)
    del stored["household"]["tekun_persons"]
    loaded = INVESTIGATIONS.load(stored, INVESTIGATIONS.version)
    assert loaded.household.tekun_persons == () and loaded == inv
