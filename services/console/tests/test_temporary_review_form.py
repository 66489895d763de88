"""The reviewer's form for a temporary case (issue 16 item 1; L18 §2(三)–(四)): the amount by need in
元, the large amount's reason, a second tranche taken off the first (the first on the decision's day)."""

from jiuzhu_console.service_layer.investigation import temporary_opinion_body


def test_one_tranche_by_default_and_the_reason_when_given():
    body, problems = temporary_opinion_body({"eligible": "yes", "proposed_amount_yuan": "6000",
                                             "large_amount_reason": " 重病住院，经集体研究 "})
    assert not problems and body["proposed_amount_fen"] == 600000
    assert body["large_amount_reason"] == "重病住院，经集体研究" and "tranches" not in body


def test_a_second_tranche_after_so_many_days():
    body, problems = temporary_opinion_body({"eligible": "yes", "proposed_amount_yuan": "4000",
                                             "second_yuan": "1500", "second_after_days": "30"})
    assert not problems
    assert body["tranches"] == [{"amount_fen": 250000, "after_days": 0}, {"amount_fen": 150000, "after_days": 30}]


def test_the_forms_own_problems_name_its_inputs():
    _, problems = temporary_opinion_body({"eligible": "yes", "proposed_amount_yuan": "4000", "second_yuan": "1500"})
    assert set(problems) == {"second_after_days"}
    _, problems = temporary_opinion_body({"eligible": "yes", "proposed_amount_yuan": "4000", "second_yuan": "4000",
                                          "second_after_days": "30"})
    assert set(problems) == {"second_yuan"}
    body, problems = temporary_opinion_body({"eligible": "no", "second_yuan": "x"})
    assert not problems and body == {"eligible": False, "proposed_amount_fen": 0, "reasons": [],
                                     "override_reason": None}
