"""Money is rounded as money: half up to the fen, exactly, wherever a figure is shown."""

from fractions import Fraction

import pytest

from jiuzhu_contracts.money import per_head, to_fen, yuan


def test_500_yuan_among_three_people_is_166_67_yuan_each():
    assert per_head(50000, 3) == 16667
    assert yuan(per_head(50000, 3)) == "166.67"
    assert yuan(Fraction(50000, 3)) == "166.67"


def test_halves_round_up_and_less_than_half_rounds_down():
    assert to_fen(Fraction(1, 2)) == 1 and to_fen(Fraction(3, 2)) == 2 and to_fen(Fraction(5, 2)) == 3  # not banker's
    assert to_fen(Fraction(49, 100)) == 0 and to_fen(Fraction(251, 100)) == 3 and to_fen(Fraction(249, 100)) == 2
    assert per_head(100001, 2) == 50001 and per_head(100000, 3) == 33333 and per_head(1, 3) == 0
    assert to_fen(Fraction(-3, 2)) == -2  # away from zero, like decimal's ROUND_HALF_UP
    assert to_fen(7) == 7


def test_yuan_text_is_exact_with_two_decimals():
    assert yuan(0) == "0.00" and yuan(5) == "0.05" and yuan(130000) == "1300.00"
    assert yuan(123456789, grouping=True) == "1,234,567.89"
    assert yuan(2**62, grouping=True) == "46,116,860,184,273,879.04"  # floats would lose the fen
    assert yuan(-150) == "-1.50"


def test_floats_are_refused_not_rounded():
    with pytest.raises(TypeError):
        to_fen(166.665)
    with pytest.raises(TypeError):
        yuan(True)
    with pytest.raises(ValueError):
        per_head(100, 0)
