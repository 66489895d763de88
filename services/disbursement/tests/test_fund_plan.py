"""The fund plan's projection as plain functions (domain/fund_plan.py): in force, the trend's new
approvals and exits less what is already known, temporary assistance, and a standard raise from
its month."""

from jiuzhu_contracts.base import Area, Category
from jiuzhu_kernel.district_config import Standard

from jiuzhu_disbursement.domain.fund_plan import (
    InForce,
    Trend,
    add_months,
    area_of,
    months_between,
    project,
    standard_in_force,
    trend_window,
)

J = "650205001"


def test_months_and_the_trend_window():
    assert add_months("2022-11", 3) == "2023-02" and add_months("2022-01", -1) == "2021-12"
    assert months_between("2022-03", "2023-01") == 10 and months_between("2022-03", "2022-01") == -2
    assert trend_window("2022-03", 6) == ("2021-09", "2022-02")


def test_the_area_follows_the_jurisdiction_kind():
    assert area_of("township") == Area.RURAL
    assert area_of("subdistrict") == Area.URBAN and area_of("park") == Area.URBAN


def standards(*lines):
    return [Standard(year=y, area=Area.URBAN, category=Category.DIBAO, monthly_fen=f, from_month=m, jurisdiction=j)
            for y, m, f, j in lines]


def test_a_standard_applies_from_its_month_and_a_jurisdictions_own_line_wins():
    lines = standards((2022, 1, 90000, None), (2023, 7, 95000, None), (2023, 7, 96000, J))
    assert standard_in_force(lines, Category.DIBAO, Area.URBAN, "650205100", "2023-06") == 90000
    assert standard_in_force(lines, Category.DIBAO, Area.URBAN, "650205100", "2023-07") == 95000
    assert standard_in_force(lines, Category.DIBAO, Area.URBAN, J, "2024-01") == 96000
    assert standard_in_force(lines, Category.DIBAO, Area.URBAN, J, "2021-12") is None
    assert standard_in_force(lines, Category.TEKUN, Area.URBAN, J, "2023-07") is None


def test_in_force_alone_when_the_trend_saw_nothing():
    row = project("dibao", 2, InForce(3, 6, 310000), Trend(6), 90000, 90000)
    assert row["projected_amount_fen"] == 310000 and row["projected_households"] == 3
    assert row["expected_new_households"] == 0 and row["expected_exit_households"] == 0


def test_new_approvals_and_exits_by_the_trend_less_those_already_known():
    # 3 approvals in 6 months (0.5 a month) at 900.00 and 2 persons each; 1 exit (1/6 a month)
    trend = Trend(6, approvals=3, approved_persons=6, approved_amount_fen=270000, exits=1)
    in_force = InForce(3, 6, 310000, known_starts=1)
    one = project("dibao", 1, in_force, trend, 90000, 90000)
    assert one["expected_new_households"] == 0  # 0.5 expected, 1 already approved this month
    assert one["expected_exit_households"] == 0.17 and one["expected_exit_amount_fen"] == 17222
    assert one["projected_amount_fen"] == 310000 - 17222
    three = project("dibao", 3, in_force, trend, 90000, 90000)
    assert three["expected_new_households"] == 0.5 and three["expected_new_amount_fen"] == 45000
    assert three["expected_exit_amount_fen"] == 51667  # 0.5 × 310000 / 3
    assert three["projected_amount_fen"] == 310000 + 45000 - 51667
    assert three["projected_persons"] == 6 + 1 - 1
    known_end = project("dibao", 3, InForce(3, 6, 310000, known_starts=1, known_exits=1), trend, 90000, 90000)
    assert known_end["expected_exit_households"] == 0  # the one exit expected is the one already known


def test_exits_never_exceed_the_households_there_are():
    row = project("tekun", 12, InForce(1, 1, 117000), Trend(6, exits=6), 117000, 117000)
    assert row["expected_exit_households"] == 1 and row["projected_amount_fen"] == 0


def test_a_raise_adds_its_per_person_difference_except_to_households_already_raised():
    in_force = InForce(2, 5, 300000)
    raised = project("dibao", 4, in_force, Trend(6), 90000, 95000)
    assert raised["standard_raise_fen"] == 5 * 5000 and raised["projected_amount_fen"] == 325000
    applied = project("dibao", 4, InForce(2, 5, 325000, raised_persons=5), Trend(6), 90000, 95000)
    assert applied["standard_raise_fen"] == 0 and applied["projected_amount_fen"] == 325000
    assert project("dibao", 4, in_force, Trend(6), 90000, 90000)["standard_raise_fen"] == 0
    assert project("dibao", 4, in_force, Trend(6), 90000, None)["standard_raise_fen"] == 0  # none configured


def test_temporary_assistance_is_the_windows_mean_per_month_raised_with_the_dibao_standard():
    trend = Trend(6, approvals=2, approved_persons=5, approved_amount_fen=360000)
    row = project("temporary", 1, InForce(), trend, 90000, 90000)
    assert row["temporary_amount_fen"] == 60000 and row["projected_amount_fen"] == 60000
    assert row["projected_households"] == 0.33 and row["in_force_households"] == 0
    assert row["expected_new_households"] == 0  # the households helped are the line's projected ones
    same_later = project("temporary", 9, InForce(), trend, 90000, 90000)
    assert same_later["projected_amount_fen"] == 60000  # one-off: a month's need, not cumulated
    raised = project("temporary", 9, InForce(), trend, 90000, 99000)
    assert raised["projected_amount_fen"] == 66000 and raised["standard_raise_fen"] == 6000


def test_amounts_are_whole_fen_rounded_half_up():
    row = project("dibao", 1, InForce(2, 2, 3), Trend(4, exits=1), 1, 1)
    # exits 0.25 × 1.5 fen = 0.375 → 0; a half rounds up
    assert row["expected_exit_amount_fen"] == 0
    assert project("dibao", 2, InForce(1, 1, 1), Trend(4, exits=1), 1, 1)["expected_exit_amount_fen"] == 1
