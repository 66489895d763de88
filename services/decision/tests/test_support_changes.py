"""Changes after approval (增发 / 减发 / 停发, 渐退期) and the standard raise (提标), on real PostgreSQL
and JetStream: each decided by the body holding the authority on the date, with its written notice,
and refused to the wrong role, jurisdiction and body with the rule named. The business clock moves by
hand (``FixedClock.set`` + ``kit.tick``); nothing sleeps."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.base import Area, Category
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES, MEMBERS
from jiuzhu_contracts.events import ApplicationAccepted, CaseApproved, ReviewSigned
from jiuzhu_devstack.testing import URHO_CONFIG, eventually
from jiuzhu_kernel.district_config import Standard, load_district_config

from jiuzhu_decision.bootstrap import build as build_decision

TZ = ZoneInfo("Asia/Shanghai")
J, OTHER, DISTRICT = "650205001", "650205100", "650205"
LEADER = Actor(id="lead-1", role="leader", name="孙主任")
CLERK = Actor(id="clerk-1", role="clerk", name="刘窗口")
AUTHORITY_RULE = "SPEC §3"


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def raised_config():
    """The operator's step for a raise (docs/standing-caseload.md): the year's lines of the district
    file carry the new figures. Here 2023: urban dibao 900 → 950 元, urban tekun 1170 → 1235 元."""
    config = load_district_config(URHO_CONFIG)
    raised = {(Area.URBAN, Category.DIBAO): 95000, (Area.URBAN, Category.TEKUN): 123500}
    standards = tuple(s if s.year != 2023 or (s.area, s.category) not in raised
                      else Standard(year=2023, area=s.area, category=s.category, monthly_fen=raised[s.area, s.category])
                      for s in config.standards)
    return config.model_copy(update={"standards": standards})


@pytest.fixture
async def decision(service_runner, infrastructure):
    def build(settings, **overrides):
        return build_decision(settings, config=raised_config(), **overrides)

    async with service_runner(build, "decision", J, today=at(dt.date(2022, 3, 1)),
                              prefix=infrastructure.new_prefix()) as svc:
        yield svc


def example(kind):
    return next(e for e in EXAMPLES if isinstance(e, kind))


async def play(svc, payload, case_id, actor=LEADER):
    await svc.publish(Envelope.wrap(payload, district=DISTRICT, jurisdiction=J, actor=actor,
                                    occurred_at=svc.kit.clock.now(), case_id=case_id))


async def on_support(svc, case_id, *, category=Category.DIBAO, size=2, income=50000, amount=130000,
                     recused=False):
    """A household approved here: accepted (``recused``: with the example's close relative, staff
    member clerk-9), reviewed (its counted income), approved."""
    accepted = example(ApplicationAccepted)
    await play(svc, accepted.model_copy(update={"close_relative": accepted.close_relative if recused else None,
                                                "category": category}), case_id, CLERK)
    await play(svc, example(ReviewSigned).model_copy(update={
        "category": category, "household_size": size, "household_monthly_income_fen": income,
        "computed_amount_fen": amount, "proposed_amount_fen": amount}), case_id)

    async def reviewed():
        r = await svc.client.get(f"/cases/{case_id}", headers=svc.token("leader"))
        return r.status_code == 200 and r.json()["review"] is not None
    await eventually(reviewed)
    await play(svc, example(CaseApproved).model_copy(update={
        "category": category, "household_size": size, "amount_fen": amount, "first_month_paid": "2022-04"}), case_id)

    async def held():
        r = await svc.client.get(f"/supported-households/{case_id}", headers=svc.token("leader"))
        return r.json() if r.status_code == 200 else None
    return await eventually(held)


async def household(svc, case_id):
    return (await svc.client.get(f"/supported-households/{case_id}", headers=svc.token("leader"))).json()


def leader(svc, **kw):
    return svc.token("leader", who="lead-1", name="孙主任", **kw)


def bureau(svc):
    return svc.token("bureau_admin", jurisdiction=DISTRICT, who="ba-1", name="区民政局 马科长")


async def events(svc, event_type, case_id=None):
    return [e for e in await svc.published(event_type) if case_id is None or e.case_id == case_id]


REDUCE = {"amount_fen": 60000, "cause": "re_review",
          "reasons": ["定期核查：家庭成员务工收入增加，人均收入提高（D21第31、32条）"]}


async def test_a_reduction_takes_effect_next_month_with_its_written_notice(decision):
    case = f"{J}-2022-00101"
    h = await on_support(decision, case, income=50000, amount=130000)
    assert h["amount_fen"] == 130000

    r = await decision.client.post(f"/supported-households/{case}/changes", json=REDUCE, headers=leader(decision))
    assert r.status_code == 200, r.text
    n = r.json()
    # Decided on Tue 1 March: effective April ([support_changes] takes_effect = next_month); the notice
    # via the committee within 3 working days (D21 art. 32) — Fri 4 March.
    assert (n["notice_no"], n["effective_month"], n["amount_before_fen"], n["amount_fen"], n["due_on"]) == \
        (f"BG-{case}-01", "2022-04", 130000, 60000, "2022-03-04")
    assert n["approving_body"] == "jurisdiction"
    h = await household(decision, case)
    assert h["amounts"] == [{"month": "2022-04", "amount_fen": 60000}] and h["notices"] == [f"BG-{case}-01"]

    [changed] = await events(decision, "support_changed", case)
    p = changed.payload
    assert (p.cause, p.amount_before_fen, p.amount_fen, p.effective_month, p.notice_no, p.notice_due.due_on,
            p.signer.id, p.approving_body) == ("re_review", 130000, 60000, "2022-04", f"BG-{case}-01",
                                               dt.date(2022, 3, 4), "lead-1", "jurisdiction")
    assert p.reasons == tuple(REDUCE["reasons"])

    # A later increase from June keeps April's reduction for April and May.
    up = await decision.client.post(f"/supported-households/{case}/changes", headers=leader(decision), json={
        **REDUCE, "amount_fen": 90000, "cause": "reported_change", "effective_month": "2022-06",
        "reasons": ["家庭成员患重病，收入减少"]})
    assert up.status_code == 200 and up.json()["amount_before_fen"] == 60000
    assert (await household(decision, case))["amounts"] == [{"month": "2022-04", "amount_fen": 60000},
                                                           {"month": "2022-06", "amount_fen": 90000}]

    # The printable notice, then its delivery (once).
    page = await decision.client.get(f"/supported-households/notices/BG-{case}-01",
                                     headers=decision.token("committee"))
    assert page.status_code == 200 and "变更通知书" in page.text and "减发" in page.text
    assert "600.00元" in page.text and "2022年4月" in page.text and "柳树街街道办事处" in page.text
    delivered = await decision.client.post(f"/supported-households/notices/BG-{case}-01/delivery",
                                           headers=decision.token("clerk"),
                                           json={"delivered_on": "2022-03-02", "received_by": "柳树街社区 王主任"})
    assert delivered.status_code == 200 and delivered.json()["on_time"] is True
    again = await decision.client.post(f"/supported-households/notices/BG-{case}-01/delivery",
                                       headers=decision.token("clerk"),
                                       json={"delivered_on": "2022-03-02", "received_by": "柳树街社区 王主任"})
    assert again.status_code == 409 and "D21 art. 32" in again.json()["rule"]
    [d] = await events(decision, "support_notice_delivered", case)
    assert (d.payload.notice_no, d.payload.committee, d.payload.delivered_on) == \
        (f"BG-{case}-01", "柳树街社区居民委员会", dt.date(2022, 3, 2))
    assert (await decision.client.get("/supported-households/notices/BG-nope-01",
                                      headers=decision.token("leader"))).status_code == 404


async def test_a_change_is_refused_to_the_wrong_role_jurisdiction_body_date_and_content(decision):
    case = f"{J}-2022-00102"
    await on_support(decision, case)
    url = f"/supported-households/{case}/changes"
    for headers in (decision.token("clerk"), decision.token("committee"), decision.token("investigator")):
        r = await decision.client.post(url, json=REDUCE, headers=headers)
        assert r.status_code == 403, r.text
    assert (await decision.client.post(url, json=REDUCE, headers=leader(decision, jurisdiction=OTHER))).status_code == 403
    # Devolved on 2022-02-01 (plan 二): the district bureau can no longer decide it …
    r = await decision.client.post(url, json=REDUCE, headers=bureau(decision))
    assert r.status_code == 403 and AUTHORITY_RULE in r.json()["rule"] and "devolved" in r.json()["detail"]
    # … and before the hand-over date the leader could not, the bureau could.
    decision.kit.clock.set(at(dt.date(2022, 1, 20)))
    r = await decision.client.post(url, json=REDUCE, headers=leader(decision))
    assert r.status_code == 403 and AUTHORITY_RULE in r.json()["rule"] and "district bureau" in r.json()["detail"]
    decision.kit.clock.set(at(dt.date(2022, 3, 1)))
    # Content: reasons, amount within [limits], the month the configuration allows, a real change.
    for body, field in (({**REDUCE, "reasons": []}, "reasons"), ({**REDUCE, "amount_fen": 0}, "amount_fen"),
                        ({**REDUCE, "cause": "standard_raise"}, "cause")):
        r = await decision.client.post(url, json=body, headers=leader(decision))
        assert r.status_code == 422 and field in r.text, r.text
    r = await decision.client.post(url, json={**REDUCE, "amount_fen": 10_000_001}, headers=leader(decision))
    assert r.status_code == 422 and "[limits]" in r.json()["rule"]
    r = await decision.client.post(url, json={**REDUCE, "effective_month": "2022-03"}, headers=leader(decision))
    assert r.status_code == 422 and "takes_effect" in r.text
    r = await decision.client.post(url, json={**REDUCE, "amount_fen": 130000}, headers=leader(decision))
    assert r.status_code == 409 and "D21 art. 32" in r.json()["rule"]
    assert await events(decision, "support_changed", case) == []


async def test_a_recused_leader_may_not_change_a_household_of_a_close_relative(decision):
    case = f"{J}-2022-00107"
    await on_support(decision, case, recused=True)
    r = await decision.client.post(f"/supported-households/{case}/changes", json=REDUCE,
                                   headers=decision.token("leader", who="clerk-9"))
    assert r.status_code == 403 and "D21 art. 11" in r.json()["rule"]
    r = await decision.client.post(f"/supported-households/{case}/changes", json=REDUCE, headers=leader(decision))
    assert r.status_code == 200


async def test_an_end_states_its_cause_and_reasons_and_nothing_changes_after_it(decision):
    case = f"{J}-2022-00103"
    await on_support(decision, case)
    url = f"/supported-households/{case}/end"
    assert (await decision.client.post(url, json={"cause": "death", "reasons": []},
                                       headers=leader(decision))).status_code == 422
    early = await decision.client.post(url, headers=leader(decision), json={
        "cause": "death", "last_month_paid": "2022-02", "reasons": ["户主死亡"]})
    assert early.status_code == 422 and "takes_effect" in early.json()["rule"]
    r = await decision.client.post(url, headers=leader(decision), json={
        "cause": "death", "reasons": ["户主于2022年2月27日死亡，单人户（D21第32条）"]})
    assert r.status_code == 200, r.text
    n = r.json()
    assert (n["notice_no"], n["last_month_paid"], n["effective_month"], n["due_on"]) == \
        (f"TF-{case}-01", "2022-03", "2022-04", "2022-03-04")
    h = await household(decision, case)
    assert (h["status"], h["last_month_paid"]) == ("ended", "2022-03")
    [ended] = await events(decision, "support_ended", case)
    p = ended.payload
    assert (p.cause, p.last_month_paid, p.notice_no, p.decided_on, p.approving_body) == \
        ("death", "2022-03", f"TF-{case}-01", dt.date(2022, 3, 1), "jurisdiction")
    page = await decision.client.get(f"/supported-households/notices/TF-{case}-01", headers=decision.token("clerk"))
    assert "停发通知书" in page.text and "户主于2022年2月27日死亡" in page.text

    for path, body in (("changes", REDUCE), ("end", {"cause": "death", "reasons": ["再次停发"]}),
                       ("gradual-exit", {"cause": "re_review", "reasons": ["收入超标"]})):
        r = await decision.client.post(f"/supported-households/{case}/{path}", json=body, headers=leader(decision))
        assert r.status_code == 409 and "only a household on support" in r.json()["rule"], (path, r.text)
    assert len(await events(decision, "support_ended", case)) == 1


async def test_tekun_termination_runs_seven_days_then_takes_effect_the_next_month(decision):
    case = f"{J}-2022-00104"
    await on_support(decision, case, category=Category.TEKUN, size=1, income=0, amount=117000)
    # Decided Mon 28 March: the 7 days' notice runs to 4 April, so April is still paid; ends from May.
    decision.kit.clock.set(at(dt.date(2022, 3, 28)))
    url = f"/supported-households/{case}/end"
    body = {"cause": "re_review", "reasons": ["经核查已有法定赡养义务人且具备履行能力（T21第26条）"]}
    early = await decision.client.post(url, json={**body, "last_month_paid": "2022-03"}, headers=leader(decision))
    assert early.status_code == 422 and "T21 art. 26" in early.json()["rule"] and "2022-04" in early.text
    r = await decision.client.post(url, json=body, headers=leader(decision))
    assert r.status_code == 200, r.text
    assert (r.json()["last_month_paid"], r.json()["effective_month"]) == ("2022-04", "2022-05")
    [ended] = await events(decision, "support_ended", case)
    assert (ended.payload.category, ended.payload.last_month_paid) == ("tekun", "2022-04")


async def test_a_tekun_decided_early_in_the_month_ends_from_the_next_month(decision):
    case = f"{J}-2022-00105"
    await on_support(decision, case, category=Category.TEKUN, size=1, income=0, amount=117000)
    decision.kit.clock.set(at(dt.date(2022, 3, 10)))  # notice to 17 March: March paid, ends from April
    r = await decision.client.post(f"/supported-households/{case}/end", headers=leader(decision),
                                   json={"cause": "death", "reasons": ["本人死亡"]})
    assert r.status_code == 200 and r.json()["last_month_paid"] == "2022-03"


async def test_a_gradual_exit_ends_by_itself_after_its_months_once(decision):
    case = f"{J}-2022-00106"
    await on_support(decision, case)
    url = f"/supported-households/{case}/gradual-exit"
    body = {"cause": "re_review", "reasons": ["家庭成员就业，人均收入超过低保标准（N22 §1.3）"]}
    for bad in ({**body, "months": 7}, {**body, "months": 0}, {**body, "cause": "death"}):
        assert (await decision.client.post(url, json=bad, headers=leader(decision))).status_code == 422
    assert (await decision.client.post(url, json=body, headers=bureau(decision))).status_code == 403
    r = await decision.client.post(url, json={**body, "months": 2}, headers=leader(decision))
    assert r.status_code == 200, r.text
    n = r.json()
    assert (n["notice_no"], n["effective_month"], n["last_month_paid"], n["amount_fen"]) == \
        (f"JT-{case}-01", "2022-04", "2022-05", 130000)
    [started] = await events(decision, "gradual_exit_started", case)
    assert (started.payload.months, started.payload.last_month_paid) == (2, "2022-05")
    again = await decision.client.post(url, json=body, headers=leader(decision))
    assert again.status_code == 409 and "N22 §1.3" in again.json()["rule"]
    h = await household(decision, case)
    assert (h["status"], h["last_month_paid"]) == ("gradual_exit", "2022-05")

    # The last month is not over: nothing ends.
    decision.kit.clock.set(at(dt.date(2022, 5, 31), 23))
    await decision.kit.tick(decision.kit.clock.now())
    assert (await household(decision, case))["status"] == "gradual_exit"
    assert await events(decision, "support_ended", case) == []
    # June: it ends by itself, once, however many ticks.
    decision.kit.clock.set(at(dt.date(2022, 6, 1), 0))
    await decision.kit.tick(decision.kit.clock.now())
    await decision.kit.tick(decision.kit.clock.now())
    h = await household(decision, case)
    assert (h["status"], h["last_month_paid"]) == ("ended", "2022-05")
    [ended] = await events(decision, "support_ended", case)
    p = ended.payload
    assert (p.cause, p.last_month_paid, p.notice_no, p.signer.id) == \
        ("gradual_exit", "2022-05", f"JT-{case}-01", "lead-1")
    assert "渐退期已于2022-05期满" in p.reasons[0]
    page = await decision.client.get(f"/supported-households/notices/JT-{case}-01", headers=decision.token("clerk"))
    assert "渐退通知书" in page.text and "2022年5月止" in page.text and "2022年6月起停发" in page.text


async def test_a_standard_raise_previews_and_applies_once(decision):
    dibao, tekun, low = f"{J}-2022-00201", f"{J}-2022-00202", f"{J}-2022-00203"
    # dibao: 2 people, 500 元 income: (900 × 2 − 500) = 1300 元; on the 2023 standard 950: 1400 元.
    await on_support(decision, dibao, size=2, income=50000, amount=130000)
    # tekun: 1 person on 1170 元; 2023: 1235 元.
    await on_support(decision, tekun, category=Category.TEKUN, size=1, income=0, amount=117000)
    # low-income: no monthly cash; a raise changes nothing.
    await on_support(decision, low, category=Category.LOW_INCOME, size=2, income=150000, amount=0)
    decision.kit.clock.set(at(dt.date(2022, 12, 20)))
    body = {"year": 2023, "effective_month": "2023-01"}

    for headers in (decision.token("committee"), decision.token("leader", jurisdiction=OTHER)):
        assert (await decision.client.post("/standard-raises/preview", json=body, headers=headers)).status_code == 403
    r = await decision.client.post("/standard-raises/preview", json=body, headers=bureau(decision))
    assert r.status_code == 200, r.text
    report = r.json()
    lines = {x["case_id"]: (x["before_fen"], x["computed_fen"], x["after_fen"], x["outcome"])
             for x in report["households"]}
    assert lines == {dibao: (130000, 140000, 140000, "raised"), tekun: (117000, 123500, 123500, "raised"),
                     low: (0, None, 0, "no_monthly_cash")}
    totals = {t["category"]: (t["households"], t["changing"], t["before_fen"], t["after_fen"], t["jurisdiction"])
              for t in report["totals"]}
    assert totals["dibao"] == (1, 1, 130000, 140000, J) and totals["tekun"] == (1, 1, 117000, 123500, J)
    assert await events(decision, "support_changed") == []  # a preview changes nothing

    # A month outside the standards' year is refused (a year without its lines: test_support_rules).
    r = await decision.client.post("/standard-raises/preview", json={"year": 2023, "effective_month": "2022-12"},
                                   headers=bureau(decision))
    assert r.status_code == 422 and "effective_month" in r.text

    # Apply: only the body holding the authority (devolved here: the leader, not the bureau, not a clerk).
    r = await decision.client.post("/standard-raises/apply", json=body, headers=bureau(decision))
    assert r.status_code == 403 and AUTHORITY_RULE in r.json()["rule"]
    assert (await decision.client.post("/standard-raises/apply", json=body,
                                       headers=decision.token("clerk"))).status_code == 403
    r = await decision.client.post("/standard-raises/apply", json=body, headers=leader(decision))
    assert r.status_code == 200 and r.json()["changed"] == 2, r.text
    again = await decision.client.post("/standard-raises/apply", json=body, headers=leader(decision))
    assert again.status_code == 200 and again.json()["changed"] == 0
    assert {x["outcome"] for x in again.json()["households"] if x["case_id"] != low} == {"unchanged"}

    raised = await events(decision, "support_changed")
    assert sorted((e.case_id, e.payload.amount_before_fen, e.payload.amount_fen, e.payload.cause,
                   e.payload.notice_no) for e in raised) == \
        [(dibao, 130000, 140000, "standard_raise", None), (tekun, 117000, 123500, "standard_raise", None)]
    h = await household(decision, dibao)
    assert h["amounts"] == [{"month": "2022-04", "amount_fen": 130000}, {"month": "2023-01", "amount_fen": 140000}]
