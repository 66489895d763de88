"""Amount arithmetic, asset and low-income tests (D21 art. 7, 8, 14, 23; T21; L18)."""

from pathlib import Path

import pytest

from jiuzhu_contracts.base import Area, Category
from jiuzhu_kernel.district_config import load_district_config

from jiuzhu_kernel.benefits import Means, assess, round_amount

CONFIG = load_district_config(Path(__file__).resolve().parents[3] / "config" / "urho.toml")
J = "650205001"
URBAN_STANDARD = 90000  # fen, config/urho.toml 2022 urban dibao (placeholder figure)


def run(category, size, income, assets=0, facts=None, area=Area.URBAN):
    return assess(category, area, 2022, J, Means(size, income, assets, facts or {}), CONFIG)


def test_dibao_amount_is_standard_minus_per_capita_income_times_size():
    # 3 people, 1,000.00 元 income: (900 − 333.33…) × 3 = 1,700.00 元 exactly
    result = run(Category.DIBAO, 3, 100000)
    assert result.eligible and result.amount_fen == 170000


def test_dibao_rounding_is_configured_and_exact():
    # 3 people, 1,000.01 元: exact 169,999 fen → rounded up to 1,700 元
    assert run(Category.DIBAO, 3, 100001).amount_fen == 170000
    assert round_amount(169999, "fen") == 169999
    assert round_amount(169949, "yuan_half_up") == 169900
    assert round_amount(169950, "yuan_half_up") == 170000
    assert round_amount(169901, "yuan_up") == 170000
    with pytest.raises(ValueError):
        round_amount(1, "float")


def test_dibao_income_at_the_standard_is_not_eligible():
    result = run(Category.DIBAO, 2, 2 * URBAN_STANDARD)
    assert not result.eligible and result.amount_fen == 0 and "不低于低保标准" in result.reasons[0]
    assert run(Category.DIBAO, 2, 2 * URBAN_STANDARD - 1).eligible


def test_rural_standard_applies_to_rural_households():
    assert run(Category.DIBAO, 1, 0, area=Area.RURAL).amount_fen == 70000


def test_assets_over_the_limit_make_a_household_ineligible():
    limit = 2 * 24 * URBAN_STANDARD
    assert run(Category.DIBAO, 2, 0, assets=limit).eligible
    result = run(Category.DIBAO, 2, 0, assets=limit + 1)
    assert not result.eligible and "超过规定限额" in result.reasons[0]


def test_low_income_is_below_one_and_a_half_times_the_standard_and_pays_nothing_itself():
    threshold = 3 * URBAN_STANDARD * 15 // 10  # 3 people × 1.5 × standard
    below = run(Category.LOW_INCOME, 3, threshold - 1)
    assert below.eligible and below.amount_fen == 0
    assert not run(Category.LOW_INCOME, 3, threshold).eligible


def test_tekun_needs_all_three_conditions_and_pays_the_tekun_standard():
    all_yes = {"unable_to_work": "yes", "no_income_source": "yes", "no_capable_supporter": "yes"}
    assert run(Category.TEKUN, 1, 0, facts=all_yes).amount_fen == 117000
    missing = run(Category.TEKUN, 1, 0, facts={**all_yes, "no_capable_supporter": "no"})
    assert not missing.eligible and "法定" in missing.reasons[0]


def test_temporary_assistance_is_a_one_off_of_configured_months():
    assert run(Category.TEMPORARY, 4, 0, facts={"hardship_confirmed": "yes"}).amount_fen == 3 * URBAN_STANDARD
    assert not run(Category.TEMPORARY, 4, 0).eligible


def test_missing_standard_is_an_error_not_a_guess():
    with pytest.raises(LookupError, match="no dibao standard"):
        assess(Category.DIBAO, Area.URBAN, 2031, J, Means(1, 0, 0, {}), CONFIG)


def test_per_capita_income_in_the_reasons_is_rounded_half_up_to_the_fen():
    # 3 people, 500.00 元 a month: 166.666… 元 each is shown as 166.67 元, not cut to 166.66.
    result = run(Category.DIBAO, 3, 50000)
    assert "家庭人均月收入166.67元" in result.reasons[0]
    assert run(Category.LOW_INCOME, 3, 50000).reasons[0].startswith("家庭人均月收入166.67元")
    # The amount itself is exact: 900 × 3 − 500 = 2,200.00 元.
    assert result.amount_fen == 220000 and result.reasons[-1].endswith("=2200.00元（D21第23条）")
