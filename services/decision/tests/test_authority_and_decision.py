import datetime as dt
from pathlib import Path

import pytest

from jiuzhu_contracts.base import ApprovingBody, Category, Due
from jiuzhu_kernel.district_config import load_district_config
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_decision.domain.authority import check_decider, rule_in_force
from jiuzhu_decision.domain.decision_case import DecisionCase, Person, RefusalNotice, Review

CONFIG = load_district_config(Path(__file__).resolve().parents[3] / "config" / "urho.toml")
LIUSHUJIE, TOWN, PARK = "650205001", "650205100", "650205400"
BEFORE, HANDOVER, AFTER = dt.date(2022, 1, 31), dt.date(2022, 2, 1), dt.date(2022, 6, 1)


@pytest.mark.parametrize("jurisdiction", [LIUSHUJIE, TOWN])
def test_devolved_jurisdictions_change_hands_on_2022_02_01(jurisdiction):
    assert rule_in_force(CONFIG, jurisdiction, Category.DIBAO, BEFORE).body == ApprovingBody.DISTRICT_BUREAU
    assert rule_in_force(CONFIG, jurisdiction, Category.DIBAO, HANDOVER).body == ApprovingBody.JURISDICTION
    check_decider(CONFIG, jurisdiction, Category.TEKUN, BEFORE, caller_at_district=True)
    check_decider(CONFIG, jurisdiction, Category.TEKUN, AFTER, caller_at_district=False)
    with pytest.raises(DomainRefusal, match="can no longer decide") as refused:
        check_decider(CONFIG, jurisdiction, Category.DIBAO, HANDOVER, caller_at_district=True)
    assert refused.value.status == 403 and "SPEC §3" in refused.value.rule
    with pytest.raises(DomainRefusal, match="rests with the district bureau"):
        check_decider(CONFIG, jurisdiction, Category.DIBAO, BEFORE, caller_at_district=False)


def test_the_park_was_never_given_authority():
    for day in (BEFORE, AFTER, dt.date(2030, 1, 1)):
        assert rule_in_force(CONFIG, PARK, Category.DIBAO, day).body == ApprovingBody.DISTRICT_BUREAU
        check_decider(CONFIG, PARK, Category.DIBAO, day, caller_at_district=True)
    with pytest.raises(DomainRefusal, match="not given approval authority"):
        check_decider(CONFIG, PARK, Category.TEMPORARY, AFTER, caller_at_district=False)


def test_a_category_rule_beats_an_all_category_rule_and_later_beats_earlier():
    data = CONFIG.model_dump(mode="json")
    data["authority"].append({"jurisdiction": PARK, "category": "temporary", "body": "jurisdiction",
                              "effective_from": "2023-01-01", "instrument": "test"})
    from jiuzhu_kernel.district_config import DistrictConfig

    custom = DistrictConfig.model_validate(data)
    assert rule_in_force(custom, PARK, Category.TEMPORARY, dt.date(2023, 1, 1)).body == ApprovingBody.JURISDICTION
    assert rule_in_force(custom, PARK, Category.DIBAO, dt.date(2023, 1, 1)).body == ApprovingBody.DISTRICT_BUREAU
    assert rule_in_force(custom, PARK, Category.TEMPORARY, dt.date(2022, 12, 31)).body == \
        ApprovingBody.DISTRICT_BUREAU


D = dt.date(2022, 3, 1)
LEADER = Person("lead-1", "孙主任")


def due(day: dt.date, clock="decision") -> Due:
    return Due(clock=clock, due_on=day, working_days=3, starts_after=D, rule="r")


def case(**kw) -> DecisionCase:
    base = DecisionCase(case_id="c1", category=Category.DIBAO, committee="居委会", applicant_name="张三",
                        household_size=2, accepted_on=D, materials=(), member_id_numbers=(), payment_account="6222",
                        recused=frozenset({"lead-kin"}))
    from dataclasses import replace

    return replace(base, **kw)


def review(round_=1, eligible=True) -> Review:
    return Review(round_, D, eligible, 120000 if eligible else 0, ("r",), Person("rev", "赵"),
                  (Person("a", "甲"), Person("b", "乙")))


def test_approval_waits_for_a_clean_publicity_of_the_latest_review():
    c = case().reviewed(review(), None)
    assert c.options() == (False, False)
    with pytest.raises(DomainRefusal, match="clean publicity"):
        c.decide(True, D, LEADER, "jurisdiction", (), None)
    clean = c.publicity_closed("clean", due(dt.date(2022, 3, 15)))
    assert clean.options() == (True, True)
    decided = clean.decide(True, dt.date(2022, 3, 14), LEADER, "jurisdiction", (), None)
    assert decided.decision.amount_fen == 120000 and decided.decision.first_month_paid == "2022-04"
    december = clean.decide(True, dt.date(2022, 12, 30), LEADER, "jurisdiction", (), None)
    assert december.decision.first_month_paid == "2023-01"


def test_after_an_objection_the_new_review_must_pass_publicity_again():
    objected = case().reviewed(review(), None).publicity_closed("objected", due(dt.date(2022, 3, 31)))
    assert objected.options() == (False, False)
    second = objected.reviewed(review(2), None)
    assert second.options() == (False, False)  # 对拟批准的申请重新公示
    assert second.publicity_closed("clean", due(dt.date(2022, 3, 31))).options() == (True, True)


def test_an_ineligible_review_leads_to_a_refusal_with_reasons_and_a_notice():
    c = case().reviewed(review(eligible=False), due(dt.date(2022, 3, 4)))
    assert c.options() == (False, True) and c.decision_due.due_on == dt.date(2022, 3, 4)
    with pytest.raises(DomainRefusal, match="ineligible"):
        c.decide(True, D, LEADER, "jurisdiction", (), None)
    with pytest.raises(DomainRefusal, match="states its reasons"):
        c.decide(False, D, LEADER, "jurisdiction", (), None)
    notice = RefusalNotice("BY-1", due(dt.date(2022, 3, 4), "refusal_notice"))
    refused = c.decide(False, D, LEADER, "jurisdiction", ("收入超过标准",), notice)
    delivered = refused.deliver_refusal_notice(dt.date(2022, 3, 3), "王主任")
    assert delivered.refusal_notice.delivered_on == dt.date(2022, 3, 3)
    with pytest.raises(DomainRefusal, match="was delivered"):
        delivered.deliver_refusal_notice(dt.date(2022, 3, 3), "王主任")


def test_an_objections_15_day_limit_is_not_extended_by_an_ineligible_review():
    objected = case().reviewed(review(), None).publicity_closed("objected", due(dt.date(2022, 3, 31)))
    later = objected.reviewed(review(2, eligible=False), due(dt.date(2022, 4, 8)))
    assert later.decision_due.due_on == dt.date(2022, 3, 31)


def test_the_leader_who_is_a_close_relatives_staff_member_may_not_decide():
    c = case().reviewed(review(), None).publicity_closed("clean", due(D))
    with pytest.raises(DomainRefusal) as refused:
        c.decide(True, D, Person("lead-kin", "亲"), "jurisdiction", (), None)
    assert refused.value.status == 403 and "D21 art. 11" in refused.value.rule


def test_a_decided_case_is_not_decided_twice():
    c = case().reviewed(review(), None).publicity_closed("clean", due(D)).decide(True, D, LEADER, "j", (), None)
    with pytest.raises(DomainRefusal):
        c.decide(False, D, LEADER, "j", ("x",), None)


@pytest.mark.parametrize("who, duty", [("a", "investigated"), ("b", "investigated"), ("rev", "reviewed")])
def test_who_investigated_or_reviewed_may_not_decide(who, duty):
    """谁调查、谁签字、谁负责: the partner of the home visit too; approval and refusal alike."""
    c = case().reviewed(review(), None).publicity_closed("clean", due(D))
    for approve, reasons in ((True, ()), (False, ("x",))):
        with pytest.raises(DomainRefusal) as refused:
            c.decide(approve, D, Person(who, "某"), "jurisdiction", reasons, None)
        assert refused.value.status == 403 and "谁调查、谁签字、谁负责" in refused.value.rule
        assert duty in str(refused.value) and "不得作出审核确认决定" in str(refused.value)
    # A district that turned separation_of_duties off lets them decide.
    assert c.decide(True, D, Person(who, "某"), "jurisdiction", (), None, separate_duties=False).status == "decided"


def test_investigators_of_any_round_stay_barred_after_a_new_review():
    c = case().visited(D, ("v1", "v2")).reinvestigated(("r1", "r2")).reviewed(review(), None)
    c = c.reviewed(review(2), None).publicity_closed("clean", due(D))
    for who in ("v1", "v2", "r1", "r2", "rev"):
        with pytest.raises(DomainRefusal, match="may not decide"):
            c.decide(True, D, Person(who, "某"), "jurisdiction", (), None)
    assert c.decide(True, D, LEADER, "jurisdiction", (), None).decision.signer == LEADER


def test_a_close_relative_flag_after_acceptance_recuses_the_staff_member():
    c = case(recused=frozenset()).reviewed(review(), None).publicity_closed("clean", due(D))
    flagged = c.close_relative_flagged(("lead-1",))
    with pytest.raises(DomainRefusal, match="recuse"):
        flagged.decide(True, D, LEADER, "jurisdiction", (), None)
