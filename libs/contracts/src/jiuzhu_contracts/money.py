"""Money as people read it. Amounts are integer fen everywhere (``base.Fen``); a figure that is not a
whole number of fen — a household's income per head — is rounded to the fen **half up**, as money is
(500 元 among 3 people is 166.67 元, not 166.66), and written in 元 with two decimals.

The one place that turns fen into 元 text: the review's reasons, public notices, rosters, refusals.
Exact (integers and fractions, never floats): an amount of 2⁶² fen prints to the last fen.
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Rational


def to_fen(amount_fen: int | Fraction) -> int:
    """``amount_fen`` (an exact number of fen, possibly fractional) rounded half up to a whole fen;
    halves round away from zero, like ``decimal.ROUND_HALF_UP``."""
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, Rational):
        raise TypeError(f"an amount of fen must be an int or a Fraction, not {type(amount_fen).__name__}")
    value = Fraction(amount_fen)
    whole, rest = divmod(abs(value.numerator), value.denominator)
    if 2 * rest >= value.denominator:
        whole += 1
    return whole if value >= 0 else -whole


def per_head(total_fen: int, people: int) -> int:
    """A household's amount per person, in fen, rounded half up (D21 art. 7: 人均)."""
    if people < 1:
        raise ValueError(f"a household has at least one person, not {people}")
    return to_fen(Fraction(total_fen, people))


def yuan(amount_fen: int | Fraction, *, grouping: bool = False) -> str:
    """``16667`` → ``"166.67"``; ``Fraction(50000, 3)`` → ``"166.67"``; with ``grouping``,
    ``123456789`` → ``"1,234,567.89"``. No unit: the caller writes 元 where the text needs it."""
    fen = to_fen(amount_fen)
    whole, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{whole:,}.{cents:02d}" if grouping else \
        f"{'-' if fen < 0 else ''}{whole}.{cents:02d}"
