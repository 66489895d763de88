"""提标: what a household's monthly amount becomes under a year's standards — by the rules the
review applies to a new case: the same functions of the kernel (``jiuzhu_kernel.benefits``):

* dibao: (standard − per-capita monthly income) × size = standard × size − household income
  (D21 art. 23), with the district's rounding (``[benefits] rounding``);
* tekun: per tekun person, the basic-living standard + the care standard of the person's self-care
  level (T21 art. 5, 21–23), when the review recorded the persons; else (a household approved before
  they were) the basic-living standard × size, as its review computed;
* low-income households (D21 art. 8) get no monthly cash; temporary assistance (L18) is one-off:
  a standard raise changes neither.

A raise only raises. Where the rules give less than is paid (the reviewer's amount was above the
computation, or the household's counted income puts it above the new line), the amount is kept and
the household is listed for a re-review: a reduction or an end needs its own decision with a written
notice (D21 art. 32), never a by-product of a new standard.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from jiuzhu_contracts.base import Category
from jiuzhu_kernel.benefits import dibao_amount, round_amount, tekun_amount

RAISE_RULE = "D21 art. 23 / T21 art. 5: the monthly amount recomputed on the year's standard ([[standards]])"


@dataclass(frozen=True)
class YearStandards:
    """A year's monthly standards per person, in fen, for one area of this jurisdiction."""

    year: int
    dibao_fen: int
    tekun_fen: int
    rounding: str  # [benefits] rounding
    care_fen: tuple[tuple[str, int], ...] = ()  # 特困: (self-care level, monthly care standard) of the year


class Outcome(StrEnum):
    RAISED = "raised"  # the new amount from the effective month
    UNCHANGED = "unchanged"  # the rules give what is already paid
    KEPT_LOWER = "kept_lower"  # the rules give less: kept; a re-review decides (D21 art. 32)
    KEPT_INELIGIBLE = "kept_ineligible"  # income not below the new line: kept; a re-review decides
    NO_MONTHLY_CASH = "no_monthly_cash"  # low-income or temporary: nothing monthly to recompute
    NOT_PAID = "not_paid"  # not paid in the effective month (ended, or its gradual exit ends before)
    FACTS_UNKNOWN = "facts_unknown"  # the counted income or the area is not known here: kept; a re-review decides


@dataclass(frozen=True)
class Recomputation:
    before_fen: int  # paid for the effective month as things stand
    computed_fen: int | None  # what the rules give (None: no monthly amount by rule)
    after_fen: int  # what will be paid for the effective month
    outcome: Outcome

    @property
    def changes(self) -> bool:
        return self.after_fen != self.before_fen


def amount_by_rule(category: Category, household_size: int, monthly_income_fen: int,
                   standards: YearStandards, *, tekun_levels: tuple[str, ...] | None = None) -> int | None:
    """The monthly amount the review would compute; 0 when the household is no longer eligible on
    income; None for a category without a monthly amount."""
    n = household_size
    if category == Category.DIBAO:
        return dibao_amount(standards.dibao_fen, n, monthly_income_fen, standards.rounding)
    if category == Category.TEKUN:
        if monthly_income_fen >= standards.dibao_fen * n:  # T21 art. 4: income below the dibao line
            return 0
        if tekun_levels:
            care = dict(standards.care_fen)
            return round_amount(sum(standards.tekun_fen + care[level] for level in tekun_levels), standards.rounding)
        return tekun_amount(standards.tekun_fen, n, standards.rounding)
    return None


def recompute(category: Category, household_size: int, monthly_income_fen: int | None, paid_fen: int,
              standards: YearStandards | None, *, tekun_levels: tuple[str, ...] | None = None) -> Recomputation:
    """What a raise does to one household paid ``paid_fen`` for the effective month. A household
    whose counted income or area is not known here (stored before they were kept) is never
    recomputed from a guess: kept as it is, for a re-review to decide."""
    if category not in (Category.DIBAO, Category.TEKUN):
        return Recomputation(paid_fen, None, paid_fen, Outcome.NO_MONTHLY_CASH)
    if monthly_income_fen is None or standards is None:
        return Recomputation(paid_fen, None, paid_fen, Outcome.FACTS_UNKNOWN)
    computed = amount_by_rule(category, household_size, monthly_income_fen, standards, tekun_levels=tekun_levels)
    if computed is None:
        return Recomputation(paid_fen, None, paid_fen, Outcome.NO_MONTHLY_CASH)
    if paid_fen == 0:
        return Recomputation(0, None, 0, Outcome.NOT_PAID)
    if computed == 0:
        return Recomputation(paid_fen, 0, paid_fen, Outcome.KEPT_INELIGIBLE)
    if computed < paid_fen:
        return Recomputation(paid_fen, computed, paid_fen, Outcome.KEPT_LOWER)
    if computed == paid_fen:
        return Recomputation(paid_fen, computed, paid_fen, Outcome.UNCHANGED)
    return Recomputation(paid_fen, computed, computed, Outcome.RAISED)
