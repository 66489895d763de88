"""Investigation and review rules of the console: the household form in 元, the economic check's
state, whether a case can be reviewed, and the review opinion."""

from __future__ import annotations

from jiuzhu_contracts.examples import synthetic_id

from jiuzhu_console.domain.household_form import household_body, household_errors
from jiuzhu_console.domain.worklists import check_status, review_readiness
from jiuzhu_console.service_layer.investigation import opinion_body

APPLICANT = synthetic_id("659901", "19750304", "201")


def test_household_rows_in_yuan_become_fen_and_blank_rows_are_dropped():
    body, kept, problems = household_body({
        "members.0.name": "韩试验", "members.0.id_number": APPLICANT, "members.0.relation": "self",
        "incomes.0.kind": "wages", "incomes.0.monthly_yuan": "", "incomes.2.kind": "business",
        "incomes.2.monthly_yuan": "300.50", "incomes.2.member_id_number": APPLICANT,
        "assets.1.kind": "vehicle", "assets.1.value_yuan": "20000", "assets.1.exempt": "on",
        "facts.unable_to_work": "yes", "facts.no_income_source": ""})
    assert problems == {}
    assert body["incomes"] == [{"kind": "business", "monthly_fen": 30050, "member_id_number": APPLICANT}]
    assert body["assets"] == [{"kind": "vehicle", "value_fen": 2000000, "exempt": True}]
    assert body["facts"] == {"unable_to_work": "yes"}
    assert kept == {"members": [0], "incomes": [2], "assets": [1]}


def test_household_refusals_point_at_the_typed_rows():
    _, _, problems = household_body({"incomes.1.monthly_yuan": "一百"})
    assert list(problems) == ["incomes.1.monthly_yuan"]
    errors = household_errors({"incomes.0.monthly_fen": "too large", "members.0.id_number": "身份证号码校验码不符 / x"},
                              {"members": [1], "incomes": [3], "assets": []})
    assert set(errors) == {"incomes.3.monthly_yuan", "members.1.id_number"}
    assert errors["members.1.id_number"] == "身份证号码校验码不符"


RECORD = {"status": "investigating", "visit": {"visited_on": "2026-11-29"},
          "household": {"size": 2}, "check_request_id": "HD-1", "check_report": {"report_no": "R"},
          "disputed": False, "appraisal": None, "reinvestigation": None}


def test_economic_check_state():
    assert check_status(None)[1] == "未录入家庭信息"
    assert check_status({**RECORD, "check_report": None})[1].startswith("核对中")
    assert check_status(RECORD)[1] == "已出具核对报告"


def test_review_readiness_follows_verification_guards():
    assert review_readiness(RECORD) == (True, "可审核")
    assert review_readiness({**RECORD, "visit": None})[1] == "尚未入户调查"
    assert review_readiness({**RECORD, "check_report": None})[1] == "等待经济状况核对报告"
    assert review_readiness({**RECORD, "disputed": True})[1] == "有争议，待民主评议"
    assert review_readiness({**RECORD, "disputed": True, "appraisal": {"result": "supports"}})[0]
    assert not review_readiness({**RECORD, "status": "reinvestigating", "reinvestigation": {"completed_on": None}})[0]
    assert not review_readiness({**RECORD, "status": "reviewed"})[0]


def test_opinion_in_yuan_and_an_ineligible_opinion_proposes_nothing():
    body, problems = opinion_body({"eligible": "yes", "proposed_amount_yuan": "1500", "override_reason": " ",
                                   "reasons": "甲\n\n乙"})
    assert problems == {} and body == {"eligible": True, "proposed_amount_fen": 150000, "reasons": ["甲", "乙"],
                                       "override_reason": None}
    body, problems = opinion_body({"eligible": "no", "proposed_amount_yuan": "1500"})
    assert problems == {} and body["proposed_amount_fen"] == 0
    _, problems = opinion_body({"eligible": "yes", "proposed_amount_yuan": ""})
    assert "proposed_amount_yuan" in problems
    _, problems = opinion_body({})
    assert "eligible" in problems


def test_tekun_persons_ticked_on_member_rows_with_their_self_care_items():
    """特困 (T21 art. 5, 21–23): the second member row is the tekun person; the level is verification's."""
    son = synthetic_id("659901", "20000101", "202")
    values = {"members.0.name": "韩试验", "members.0.id_number": son, "members.0.relation": "self",
              "members.2.name": "韩老", "members.2.id_number": APPLICANT, "members.2.relation": "parent",
              "tekun.assessed_on": "2026-11-28", "tekun.2.is": "on", "tekun.2.unable.bathing": "on",
              "tekun.2.unable.toileting": "on", "tekun.2.support_mode": "centralised",
              "tekun.2.institution": "乌尔禾区社会福利中心", "tekun.2.care_paid_to_institution": "on",
              "tekun.0.unable.eating": "on"}  # not ticked as tekun: ignored
    body, kept, problems = household_body(values)
    assert problems == {} and kept["tekun"] == [2]
    assert body["tekun_persons"] == [{"id_number": APPLICANT, "name": "韩老", "unable": ["toileting", "bathing"],
                                      "assessed_on": "2026-11-28", "support_mode": "centralised",
                                      "institution": "乌尔禾区社会福利中心", "care_paid_to_institution": True}]
    errors = household_errors({"tekun_persons.0.id_number": "不是本户成员 / not a member"}, kept)
    assert errors == {"tekun.2.is": "不是本户成员"}
    _, _, missing = household_body({k: v for k, v in values.items() if k != "tekun.assessed_on"})
    assert list(missing) == ["tekun.assessed_on"]
    plain, _, _ = household_body({"members.0.name": "韩试验", "members.0.id_number": son})
    assert "tekun_persons" not in plain
