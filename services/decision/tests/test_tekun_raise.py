"""提标 of a tekun household (T21 art. 5, 21–23): per tekun person, the new basic standard + the care
standard of the person's level — a household of two with one tekun person is raised to one person's
support, not to the standard × two. A household approved before the persons were recorded keeps the
old computation (basic × size)."""

from jiuzhu_contracts.base import Category

from jiuzhu_decision.domain.standard_raise import Outcome, YearStandards, recompute

CARE = (("self_care", 12350), ("semi_disabled", 37050), ("disabled", 74100))
Y2023 = YearStandards(2023, 95000, 123500, "yuan_up", care_fen=CARE)
PAID = 117000 + 35100  # 2022: basic 1,170 元 + 30 % for 半失能


def test_one_tekun_person_of_two_is_raised_to_one_persons_new_support():
    r = recompute(Category.TEKUN, 2, 0, PAID, Y2023, tekun_levels=("semi_disabled",))
    assert (r.outcome, r.after_fen) == (Outcome.RAISED, 160600)  # 1,235 + 370.50 元, rounded up to the yuan


def test_two_tekun_persons_each_with_their_own_care():
    r = recompute(Category.TEKUN, 2, 0, 2 * 117000, Y2023, tekun_levels=("self_care", "disabled"))
    assert r.after_fen == 333500  # 2 × 1,235 + 123.50 + 741 元 = 3,334.50, rounded up


def test_without_the_persons_the_old_computation_stands():
    r = recompute(Category.TEKUN, 2, 0, 2 * 117000, Y2023)
    assert (r.outcome, r.after_fen) == (Outcome.RAISED, 2 * 123500)


def test_income_at_the_dibao_line_is_kept_for_a_re_review():
    r = recompute(Category.TEKUN, 1, 95000, PAID, Y2023, tekun_levels=("semi_disabled",))
    assert r.outcome is Outcome.KEPT_INELIGIBLE and r.after_fen == PAID
