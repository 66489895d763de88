"""Temporary assistance by need (临时救助; L18 §2, N22 §4; issue 16 item 1). Money in integer fen.

Pure rules, no I/O, shared by intake (the kind and the 支出型 income condition at the window) and
decision (the amount band, the large-amount rule, the tranches, whether the assist-first decision's
means check and publicity are completed afterwards).

* **Kinds** (L18 §1(二)): 急难型 — a sudden emergency; 支出型 — necessary spending beyond what the
  household can bear, for a household whose per-capita income is below the local prior-year
  per-capita disposable income (configured, ``[temporary] disposable_income``).
* **The band** (L18 §2(三): 根据困难类型、困难程度，统筹考虑其他救助制度保障水平，合理确定救助标准):
  at most ``{kind}_max_months`` × the dibao standard × the household's persons.
* **Large** (大额): above ``large_above_months`` × standard × persons the amount is decided case by
  case (一事一议, N22 §4) — the decision must carry the recorded reason, and is filed as such.
* **Tranches** (L18 §2(四) 分次发放): at most ``max_tranches``, summing exactly to the amount, the
  first payable on the decision's day, the others on strictly later days.
* **先行救助** (L18 §2(二)2): only for an emergency; the means check and publicity are completed
  afterwards, unless the amount is below ``follow_up_skip_below_fen`` (小额、紧急的简化程序).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from jiuzhu_contracts.base import TemporaryKind
from jiuzhu_contracts.money import yuan
from jiuzhu_kernel.district_config import TemporaryAssistance

Problem = dict[str, str]

BAND_RULE = ("L18 §2(三): 临时救助金额根据困难情形、家庭人口和当地低保标准合理确定 / the amount is set by need, "
             "within the configured band of the dibao standard × persons ([temporary] {kind}_max_months)")
LARGE_RULE = ("L18 §2(三) / N22 §4: 大额临时救助一事一议，记录理由 / a large amount is decided case by case with "
              "its reason recorded ([temporary] large_above_months)")
TRANCHE_RULE = ("L18 §2(四): 可分次发放，各次之和等于救助金额，首次于决定当日可发 / tranches sum to the amount, "
                "the first payable on the decision's day, each later one on a later day ([temporary] max_tranches)")
ASSIST_FIRST_RULE = ("L18 §2(二)2: 对急难型救助对象，先行救助，事后补齐审核审批手续 / only an emergency is "
                     "helped first and its procedure completed afterwards")
EXPENDITURE_RULE = ("L18 §1(二)2: 支出型救助对象家庭人均收入低于当地上年度居民人均可支配收入 / an "
                    "expenditure-driven household's per-capita income is below the local prior-year per-capita "
                    "disposable income ([temporary] disposable_income)")
KIND_RULE = "L18 §1(二): 临时救助申请应注明急难型或支出型 / a temporary application states its kind"

COMPLETE_AFTERWARDS, SKIPPED = "complete_afterwards", "skipped"


def _problem(field: str, zh: str, en: str, rule: str) -> Problem:
    return {"field": field, "rule": f"{zh} / {en} ({rule})"}


@dataclass(frozen=True)
class Band:
    """What one decision may grant a household (fen): ``max_fen`` at most; above ``large_above_fen``
    it is a large amount."""

    kind: TemporaryKind
    standard_fen: int
    persons: int
    max_fen: int
    large_above_fen: int


def band(kind: TemporaryKind, standard_fen: int, persons: int, cfg: TemporaryAssistance) -> Band:
    months = cfg.emergency_max_months if kind == TemporaryKind.EMERGENCY else cfg.expenditure_max_months
    per_month = standard_fen * persons
    return Band(kind, standard_fen, persons, months * per_month, cfg.large_above_months * per_month)


def is_large(amount_fen: int, b: Band) -> bool:
    return amount_fen > b.large_above_fen


def amount_problems(amount_fen: int, b: Band, large_reason: str | None) -> list[Problem]:
    """Above zero, within the band; a large amount carries its recorded reason."""
    rule = BAND_RULE.format(kind=b.kind.value)
    if amount_fen <= 0:
        return [_problem("amount_fen", "救助金额须大于0", "the amount must be above 0", rule)]
    if amount_fen > b.max_fen:
        return [_problem("amount_fen", f"救助金额{yuan(amount_fen)}超过上限{yuan(b.max_fen)}（低保标准"
                                       f"{yuan(b.standard_fen)}×{b.persons}人）",
                         f"{yuan(amount_fen)} is above the band's {yuan(b.max_fen)} (standard "
                         f"{yuan(b.standard_fen)} × {b.persons} person(s))", rule)]
    if is_large(amount_fen, b) and not (large_reason and len(large_reason.strip()) >= 4):
        return [_problem("large_amount_reason", f"救助金额{yuan(amount_fen)}超过{yuan(b.large_above_fen)}，属大额，"
                                                "须一事一议并记录理由",
                         f"{yuan(amount_fen)} is above {yuan(b.large_above_fen)}: a large amount needs its "
                         "case-by-case reason recorded", LARGE_RULE)]
    return []


def tranche_problems(amount_fen: int, tranches: Sequence[tuple[int, dt.date]], decided_on: dt.date,
                     cfg: TemporaryAssistance) -> list[Problem]:
    """``tranches``: (amount, payable on) in order; empty means one tranche of the whole amount today."""
    if not tranches:
        return []
    problems = []
    if len(tranches) > cfg.max_tranches:
        problems.append(_problem("tranches", f"最多分{cfg.max_tranches}次发放", f"at most {cfg.max_tranches} "
                                 "tranches", TRANCHE_RULE))
    if any(a <= 0 for a, _ in tranches):
        problems.append(_problem("tranches", "每次发放金额须大于0", "every tranche is above 0", TRANCHE_RULE))
    if sum(a for a, _ in tranches) != amount_fen:
        problems.append(_problem("tranches", f"各次金额之和须等于救助金额{yuan(amount_fen)}",
                                 f"the tranches must sum to the amount {yuan(amount_fen)}", TRANCHE_RULE))
    if tranches[0][1] != decided_on:
        problems.append(_problem("tranches", f"首次发放日期须为决定当日{decided_on}",
                                 f"the first tranche is payable on the decision's day {decided_on}", TRANCHE_RULE))
    if any(later[1] <= earlier[1] for earlier, later in zip(tranches, tranches[1:])):
        problems.append(_problem("tranches", "后一次发放日期须晚于前一次", "each tranche is payable after the "
                                 "one before", TRANCHE_RULE))
    return problems


def planned_tranches(amount_fen: int, tranches: Sequence[tuple[int, dt.date]],
                     decided_on: dt.date) -> tuple[tuple[int, int, dt.date], ...]:
    """(no, amount, payable on) — one tranche of the whole amount on the decision's day by default."""
    given = tranches or [(amount_fen, decided_on)]
    return tuple((n, a, on) for n, (a, on) in enumerate(given, start=1))


def follow_up(amount_fen: int, cfg: TemporaryAssistance) -> str:
    """After an assist-first decision: completed afterwards, or skipped for a small amount."""
    return SKIPPED if amount_fen < cfg.follow_up_skip_below_fen else COMPLETE_AFTERWARDS


def assist_first_problem(kind: TemporaryKind | None) -> Problem | None:
    if kind != TemporaryKind.EMERGENCY:
        return _problem("temporary_kind", "仅急难型临时救助可先行救助", "only an emergency (急难型) may be helped "
                        "first", ASSIST_FIRST_RULE)
    return None


def expenditure_problem(monthly_income_fen: int, persons: int, annual_disposable_fen: int) -> Problem | None:
    """支出型: per-capita income (a year) strictly below the prior year's per-capita disposable income.
    Compared as whole-household sums (exact): 12 × monthly income < persons × disposable income."""
    if 12 * monthly_income_fen < persons * annual_disposable_fen:
        return None
    per_capita = 12 * monthly_income_fen // max(persons, 1)
    return _problem("declared_monthly_income_fen",
                    f"家庭人均年收入约{yuan(per_capita)}，不低于上年度居民人均可支配收入{yuan(annual_disposable_fen)}",
                    f"per-capita income about {yuan(per_capita)} a year is not below the prior-year per-capita "
                    f"disposable income {yuan(annual_disposable_fen)}", EXPENDITURE_RULE)
