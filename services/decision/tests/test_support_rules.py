"""The rules of changes after approval and of the standard raise, with no server: amounts by the
review's rules (pinned to the figures of verification's ``benefits.assess``), the household's
amount history, its notices, the gradual exit's end, the standards a raise needs."""

import datetime as dt
from dataclasses import replace

import pytest

from jiuzhu_contracts.base import Area, Category, Due, Signer
from jiuzhu_devstack.testing import URHO_CONFIG
from jiuzhu_kernel.clock import FixedClock
from jiuzhu_kernel.district_config import load_district_config
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_decision.domain.standard_raise import Outcome, YearStandards, amount_by_rule, recompute
from jiuzhu_decision.domain.supported_household import (
    AmountFrom,
    NoticeKind,
    SupportedHousehold,
    SupportNotice,
    SupportStatus,
    case_of_notice,
    notice_number,
)
from jiuzhu_decision.service_layer import standard_raise, support_changes
from jiuzhu_decision.service_layer.support import SupportContext

CONFIG = load_district_config(URHO_CONFIG)
S2022 = YearStandards(2022, 90000, 117000, "yuan_up")
DUE = Due(clock="support_notice", due_on=dt.date(2022, 3, 4), working_days=3, starts_after=dt.date(2022, 3, 1),
          rule="D21 art. 32")
SIGNER = Signer(id="lead-1", name="孙主任", role="leader")


def household(**kw) -> SupportedHousehold:
    return SupportedHousehold(**{
        "case_id": "650205001-2022-00042", "category": Category.DIBAO, "area": Area.URBAN, "committee": "柳树街社区居民委员会",
        "public_name": "张三", "household_size": 2, "member_id_numbers": (), "payment_account": "6222",
        "approved_on": dt.date(2022, 3, 1), "amounts": (AmountFrom("2022-04", 130000),), "monthly_income_fen": 50000,
        **kw})


def notice(kind=NoticeKind.CHANGE, no="BG-650205001-2022-00042-01", **kw) -> SupportNotice:
    return SupportNotice(**{"notice_no": no, "kind": kind, "cause": "re_review", "decided_on": dt.date(2022, 3, 1),
                            "reasons": ("收入增加",), "signer": SIGNER, "body": "jurisdiction", "due": DUE,
                            "amount_before_fen": 130000, "amount_fen": 60000, "effective_month": "2022-04", **kw})


def test_amounts_follow_the_review_rules():
    # benefits.assess (verification) on the same inputs gives the same figures: dibao (900 × 2 − 500)
    # = 1300 元 (the contracts' example review), rounded up to whole yuan; tekun 1170 × 1.
    assert amount_by_rule(Category.DIBAO, 2, 50000, S2022) == 130000
    assert amount_by_rule(Category.DIBAO, 3, 100001, S2022) == 170000  # 1699.99 → 1700 (yuan_up)
    assert amount_by_rule(Category.DIBAO, 1, 90000, S2022) == 0  # income at the line: no longer eligible
    assert amount_by_rule(Category.TEKUN, 1, 0, S2022) == 117000
    assert amount_by_rule(Category.LOW_INCOME, 2, 150000, S2022) is None
    raised = YearStandards(2023, 95000, 123500, "yuan_up")
    assert recompute(Category.DIBAO, 2, 50000, 130000, raised).outcome is Outcome.RAISED
    # A raise never lowers: the reviewer's higher amount is kept and listed for a re-review.
    kept = recompute(Category.DIBAO, 2, 50000, 150000, raised)
    assert (kept.after_fen, kept.outcome, kept.changes) == (150000, Outcome.KEPT_LOWER, False)
    assert recompute(Category.DIBAO, 1, 100000, 10000, raised).outcome is Outcome.KEPT_INELIGIBLE
    assert recompute(Category.DIBAO, 2, 50000, 0, raised).outcome is Outcome.NOT_PAID


def test_amount_history_and_amount_in_month():
    h = household().changed(60000, "2022-06", notice())
    assert [(a.month, a.amount_fen) for a in h.amounts] == [("2022-04", 130000), ("2022-06", 60000)]
    assert [h.amount_in(m) for m in ("2022-03", "2022-04", "2022-05", "2022-06", "2023-01")] == \
        [0, 130000, 130000, 60000, 60000]
    # A change entered for an earlier month slots in before a later one.
    h = h.changed(100000, "2022-05", None)
    assert [h.amount_in(m) for m in ("2022-04", "2022-05", "2022-06")] == [130000, 100000, 60000]
    ended = h.ended("2022-07", notice=notice(NoticeKind.END, no="TF-650205001-2022-00042-02"))
    assert (ended.amount_in("2022-07"), ended.amount_in("2022-08"), ended.status) == (60000, 0, SupportStatus.ENDED)
    assert ended.notices == ("BG-650205001-2022-00042-01", "TF-650205001-2022-00042-02")
    with pytest.raises(DomainRefusal, match="no longer on support"):
        ended.changed(1, "2022-09", None)


def test_a_gradual_exit_is_over_after_its_last_month_only():
    h = household().gradual_exit("2022-09", notice(NoticeKind.GRADUAL_EXIT, no="JT-650205001-2022-00042-01"))
    assert h.status is SupportStatus.GRADUAL_EXIT
    assert not h.gradual_exit_over("2022-09") and h.gradual_exit_over("2022-10")
    assert h.amount_in("2022-09") == 130000 and h.amount_in("2022-10") == 0
    with pytest.raises(DomainRefusal, match="already in a gradual exit"):
        h.gradual_exit("2022-10", notice(NoticeKind.GRADUAL_EXIT))


def test_notice_numbers_name_their_household():
    no = notice_number(NoticeKind.END, "650205001-2022-00042", 3)
    assert no == "TF-650205001-2022-00042-03" and case_of_notice(no) == "650205001-2022-00042"
    assert case_of_notice("BY-650205001-2022-00042-01") is None and case_of_notice("TF-x") is None


def test_the_effective_month_and_the_tekun_notice_come_from_the_configuration():
    ctx = SupportContext(config=CONFIG, clock=FixedClock(dt.datetime(2022, 3, 28, 9)), unit_of_work=None,
                         jurisdiction="650205001")
    day = dt.date(2022, 3, 28)
    assert support_changes.earliest_effective(ctx, day) == "2022-04"
    assert support_changes.earliest_last_month(ctx, Category.DIBAO, day)[0] == "2022-03"
    last, rule = support_changes.earliest_last_month(ctx, Category.TEKUN, day)
    assert last == "2022-04" and "T21 art. 26" in rule
    this_month = CONFIG.model_copy(update={"support_changes": CONFIG.support_changes.model_copy(
        update={"takes_effect": "this_month"})})
    ctx.config = this_month
    assert support_changes.earliest_effective(ctx, day) == "2022-03"
    assert support_changes.earliest_last_month(ctx, Category.DIBAO, day)[0] == "2022-02"


def test_a_raise_for_a_year_without_its_standards_names_the_lines_to_add():
    ctx = SupportContext(config=CONFIG, clock=FixedClock(dt.datetime(2030, 12, 1, 9)), unit_of_work=None,
                         jurisdiction="650205001")
    with pytest.raises(DomainRefusal) as refused:
        standard_raise.year_standards(ctx, 2031, {Area.URBAN})
    assert refused.value.status == 422 and "[[standards]]" in refused.value.rule
    assert "year = 2031" in refused.value.details["lines"]
    assert standard_raise.year_standards(ctx, 2022, {Area.URBAN})[Area.URBAN] == replace(
        S2022, care_fen=(("self_care", 11700), ("semi_disabled", 35100), ("disabled", 70200)))  # [tekun] examples


def test_the_configuration_holds_the_gradual_exit_within_six_months():
    assert CONFIG.support_changes.gradual_exit_months == 6 and CONFIG.deadlines.support_notice == 3
    with pytest.raises(ValueError):
        CONFIG.support_changes.model_validate({"gradual_exit_months": 7})
