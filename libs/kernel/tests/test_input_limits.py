"""The plausibility limits of [limits] (issue 6: input hardening), as plain functions."""

import datetime as dt

import pytest

from jiuzhu_contracts.examples import synthetic_id
from jiuzhu_kernel.district_config import Limits
from jiuzhu_kernel.input_limits import (
    amount_problem,
    birth_date_problem,
    date_problem,
    month_problem,
    refuse,
)
from jiuzhu_kernel.refusal import DomainRefusal

TODAY, ACCEPTED = dt.date(2022, 3, 1), dt.date(2022, 2, 20)
LIMITS = Limits()


@pytest.mark.parametrize("day, ok", [
    (TODAY, True), (TODAY + dt.timedelta(days=1), True),  # a day's tolerance
    (TODAY + dt.timedelta(days=2), False), (dt.date(2099, 1, 1), False), (dt.date(9999, 12, 31), False),
    (ACCEPTED, True), (ACCEPTED - dt.timedelta(days=1), False), (dt.date(1, 1, 1), False),
])
def test_entered_dates_between_the_acceptance_and_the_business_day(day, ok):
    problem = date_problem("visited_on", day, today=TODAY, limits=LIMITS, not_before=ACCEPTED)
    assert (problem is None) is ok
    if problem:
        assert problem["field"] == "visited_on" and "[limits]" in problem["rule"]


def test_future_rule_names_the_latest_date_in_chinese_and_english():
    problem = date_problem("delivered_on", dt.date(9999, 12, 31), today=TODAY, limits=LIMITS)
    assert "不得晚于2022-03-02" in problem["rule"] and "future_date_tolerance_days" in problem["rule"]


def test_tolerance_is_configured():
    assert date_problem("held_on", TODAY + dt.timedelta(days=3), today=TODAY,
                        limits=Limits(future_date_tolerance_days=3)) is None


@pytest.mark.parametrize("month, ok", [
    ("2022-03", True), ("2020-03", True), ("2020-02", False), ("2023-03", True), ("2023-04", False),
    ("0001-01", False), ("9999-12", False),
])
def test_months_within_the_configured_window(month, ok):
    assert (month_problem("last_month_paid", month, today=TODAY, limits=LIMITS) is None) is ok


def test_month_not_before_a_known_month():
    problem = month_problem("last_month_paid", "2022-01", today=TODAY, limits=LIMITS, not_before="2022-02",
                            not_before_zh="决定月份", not_before_en="the decision's month")
    assert "决定月份2022-02" in problem["rule"]


def test_amounts_up_to_the_limit():
    assert amount_problem("proposed_amount_fen", LIMITS.amount_per_month_fen, limit=LIMITS.amount_per_month_fen,
                          name="amount_per_month_fen", what_zh="拟保障金额") is None
    problem = amount_problem("proposed_amount_fen", 3_000_000_000, limit=LIMITS.amount_per_month_fen,
                             name="amount_per_month_fen", what_zh="拟保障金额")
    assert problem["field"] == "proposed_amount_fen" and "amount_per_month_fen" in problem["rule"]


@pytest.mark.parametrize("born, ok", [
    ("19800101", True), ("20220301", True), ("20220302", False), ("18970301", True), ("18970228", False),
])
def test_birth_date_in_an_id_number_on_the_business_day(born, ok):
    assert (birth_date_problem("id_number", synthetic_id(born=born), today=TODAY, limits=LIMITS) is None) is ok


def test_refuse_names_every_field_in_one_422():
    refuse([None, None])
    with pytest.raises(DomainRefusal) as caught:
        refuse([None, {"field": "a", "rule": "r1"}, {"field": "b", "rule": "r2"}])
    assert caught.value.status == 422 and caught.value.field == "a"
    assert [e["field"] for e in caught.value.details["errors"]] == ["a", "b"]
