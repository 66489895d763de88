"""Temporary assistance by need (L18 §2, N22 §4): the band, large amounts, tranches, assist-first."""

import datetime as dt

from jiuzhu_contracts.base import TemporaryKind
from jiuzhu_kernel.district_config import TemporaryAssistance
from jiuzhu_kernel.temporary_assistance import (
    COMPLETE_AFTERWARDS,
    SKIPPED,
    amount_problems,
    assist_first_problem,
    band,
    expenditure_problem,
    follow_up,
    is_large,
    planned_tranches,
    tranche_problems,
)

CFG = TemporaryAssistance(emergency_max_months=6, expenditure_max_months=4, large_above_months=3,
                          follow_up_skip_below_fen=100_000, max_tranches=3)
E, X = TemporaryKind.EMERGENCY, TemporaryKind.EXPENDITURE
DAY = dt.date(2024, 3, 4)


def test_the_band_is_months_of_the_standard_times_persons_by_kind():
    b = band(E, 90_000, 2, CFG)
    assert (b.max_fen, b.large_above_fen) == (6 * 90_000 * 2, 3 * 90_000 * 2)
    assert band(X, 90_000, 2, CFG).max_fen == 4 * 90_000 * 2


def test_amount_within_the_band_is_accepted_and_above_it_refused_naming_the_field():
    b = band(E, 90_000, 1, CFG)
    assert amount_problems(270_000, b, None) == []
    over = amount_problems(540_001, b, "x" * 10)
    assert over[0]["field"] == "amount_fen" and "L18 §2(三)" in over[0]["rule"]
    assert amount_problems(0, b, None)[0]["field"] == "amount_fen"


def test_a_large_amount_needs_its_recorded_reason():
    b = band(E, 90_000, 1, CFG)
    assert not is_large(270_000, b) and is_large(270_001, b)
    refused = amount_problems(400_000, b, None)
    assert refused[0]["field"] == "large_amount_reason" and "一事一议" in refused[0]["rule"]
    assert amount_problems(400_000, b, "   ") != []
    assert amount_problems(400_000, b, "重病住院，自付医疗费高，经集体研究") == []


def test_tranches_sum_to_the_amount_start_on_the_decision_day_and_move_forward():
    ok = [(100_000, DAY), (50_000, DAY + dt.timedelta(days=30))]
    assert tranche_problems(150_000, ok, DAY, CFG) == []
    assert tranche_problems(150_000, [], DAY, CFG) == []
    assert tranche_problems(160_000, ok, DAY, CFG)[0]["field"] == "tranches"
    assert tranche_problems(150_000, [(100_000, DAY + dt.timedelta(days=1)), (50_000, DAY + dt.timedelta(days=2))],
                            DAY, CFG)
    assert tranche_problems(150_000, [(100_000, DAY), (50_000, DAY)], DAY, CFG)
    assert tranche_problems(4, [(1, DAY + dt.timedelta(days=i)) for i in range(4)], DAY, CFG)
    assert tranche_problems(100, [(100, DAY), (0, DAY + dt.timedelta(days=1))], DAY, CFG)


def test_planned_tranches_default_to_one_on_the_decision_day():
    assert planned_tranches(150_000, [], DAY) == ((1, 150_000, DAY),)
    later = DAY + dt.timedelta(days=30)
    assert planned_tranches(150_000, [(100_000, DAY), (50_000, later)], DAY) == ((1, 100_000, DAY),
                                                                                  (2, 50_000, later))


def test_a_small_assist_first_amount_skips_the_follow_up():
    assert follow_up(99_999, CFG) == SKIPPED
    assert follow_up(100_000, CFG) == COMPLETE_AFTERWARDS
    assert follow_up(1, TemporaryAssistance(follow_up_skip_below_fen=0)) == COMPLETE_AFTERWARDS


def test_only_an_emergency_is_helped_first():
    assert assist_first_problem(E) is None
    for kind in (X, None):
        refused = assist_first_problem(kind)
        assert refused["field"] == "temporary_kind" and "L18 §2(二)2" in refused["rule"]


def test_expenditure_needs_per_capita_income_below_the_prior_year_disposable_income():
    # 3 persons, disposable income 50,000 元 a year each: the household's 150,000 元 a year is the line.
    assert expenditure_problem(1_249_999, 3, 5_000_000) is None
    refused = expenditure_problem(1_250_000, 3, 5_000_000)
    assert refused["field"] == "declared_monthly_income_fen" and "L18 §1(二)2" in refused["rule"]
