"""Eligibility and amounts (D21 art. 7, 8, 14, 23; T21 art. 4–5; L18 §2). Money in integer fen.

dibao: (standard − per-capita monthly income) × household size, which is exactly
standard × size − household income; then the configured rounding.

In the kernel because two stages apply the same rules: verification's review of a case (and of a
re-review), and decision's recomputation of every supported household on a new standard (提标).
"""

from __future__ import annotations

from dataclasses import dataclass

from jiuzhu_contracts import money
from jiuzhu_contracts.base import Area, Category
from jiuzhu_contracts.tekun import TekunPerson
from jiuzhu_kernel import tekun as tekun_rules
from jiuzhu_kernel.district_config import DistrictConfig


@dataclass(frozen=True)
class Means:
    household_size: int
    monthly_income_fen: int
    countable_assets_fen: int
    facts: dict[str, str]
    # 特困: the tekun persons of the household (T21 art. 5, 21–23). Empty for another category, and
    # for a tekun case recorded before persons were (then every member counts, at the basic standard only).
    tekun_persons: tuple[TekunPerson, ...] = ()


@dataclass(frozen=True)
class BenefitResult:
    eligible: bool
    amount_fen: int
    reasons: tuple[str, ...]


def yuan(fen: int) -> str:
    return f"{money.yuan(fen)}元"


def round_amount(fen: int, rounding: str) -> int:
    """The district's rounding of a computed monthly amount (``[benefits] rounding``)."""
    if rounding == "fen":
        return fen
    if rounding == "yuan_up":
        return -(-fen // 100) * 100
    if rounding == "yuan_half_up":
        return (fen + 50) // 100 * 100
    raise ValueError(f"unknown rounding {rounding!r}")


def dibao_amount(standard_fen: int, household_size: int, monthly_income_fen: int, rounding: str) -> int:
    """D21 art. 23: (standard − per-capita income) × size = standard × size − household income,
    rounded; 0 when income is not below the line (not eligible on income, D21 art. 7)."""
    gap = standard_fen * household_size - monthly_income_fen
    return round_amount(gap, rounding) if gap > 0 else 0


def tekun_amount(tekun_standard_fen: int, household_size: int, rounding: str) -> int:
    """The basic-living standard × persons, rounded: a tekun case recorded before the persons were
    (every member counted, no care support). Per person: ``tekun_persons_amount``."""
    return round_amount(tekun_standard_fen * household_size, rounding)


def tekun_persons_amount(shares: tuple[tekun_rules.Share, ...], rounding: str) -> int:
    """T21 art. 5, 21–23: each tekun person's basic living + care support, summed, then rounded."""
    return round_amount(sum(s.total_fen for s in shares), rounding)


def _assets_ok(means: Means, standard: int, months: int) -> tuple[bool, str]:
    limit = means.household_size * months * standard
    if means.countable_assets_fen > limit:
        return False, f"家庭财产{yuan(means.countable_assets_fen)}超过规定限额{yuan(limit)}（D21第14条）"
    return True, f"家庭财产{yuan(means.countable_assets_fen)}未超过限额{yuan(limit)}"


def assess(category: Category, area: Area, year: int, jurisdiction: str, means: Means,
           config: DistrictConfig) -> BenefitResult:
    rules = config.benefits
    n, income = means.household_size, means.monthly_income_fen
    dibao = config.standard(Category.DIBAO, area, year, jurisdiction)
    assets_ok, assets_reason = _assets_ok(means, dibao, rules.asset_limit_months)
    # Shown only, rounded as money; eligibility compares whole-household sums, which are exact.
    per_capita = f"家庭人均月收入{yuan(money.per_head(income, n))}"

    if category == Category.DIBAO:
        if income >= dibao * n:
            return BenefitResult(False, 0, (f"{per_capita}不低于低保标准{yuan(dibao)}（D21第7条）", assets_reason))
        if not assets_ok:
            return BenefitResult(False, 0, (assets_reason,))
        amount = dibao_amount(dibao, n, income, rules.rounding)
        return BenefitResult(True, amount, (
            f"{per_capita}低于低保标准{yuan(dibao)}", assets_reason,
            f"月保障金=（{yuan(dibao)}−人均收入）×{n}人={yuan(amount)}（D21第23条）"))

    if category == Category.LOW_INCOME:
        # per-capita income < multiple × standard  ⇔  10 × income < tenths × standard × n
        if 10 * income >= rules.low_income_multiple_tenths * dibao * n:
            return BenefitResult(False, 0, (f"{per_capita}不低于低保标准的"
                                            f"{rules.low_income_multiple_tenths / 10}倍（D21第8条）",))
        if not assets_ok:
            return BenefitResult(False, 0, (assets_reason,))
        return BenefitResult(True, 0, (f"{per_capita}低于低保标准的{rules.low_income_multiple_tenths / 10}倍",
                                       assets_reason, "低收入家庭认定不含按月现金保障"))

    if category == Category.TEKUN:
        tekun = config.standard(Category.TEKUN, area, year, jurisdiction)
        missing = [label for key, label in (("unable_to_work", "无劳动能力"), ("no_income_source", "无生活来源"),
                                            ("no_capable_supporter", "无法定赡养抚养扶养义务人或其无履行能力"))
                   if means.facts.get(key) != "yes"]
        if missing:
            return BenefitResult(False, 0, tuple(f"不符合特困条件：未认定{m}（T21第5条）" for m in missing))
        if income >= dibao * n:
            return BenefitResult(False, 0, (f"{per_capita}不低于低保标准（T21第4条）",))
        if not assets_ok:
            return BenefitResult(False, 0, (assets_reason,))
        if means.tekun_persons:
            shares = tekun_rules.shares(means.tekun_persons, area, year, jurisdiction, config)
            amount = tekun_persons_amount(shares, rules.rounding)
            return BenefitResult(True, amount, (
                "无劳动能力、无生活来源、无法定义务人（T21第5条）",
                *(s.reason() for s in shares),
                f"按特困人员{len(shares)}人计发（家庭{n}人），月供养金={yuan(amount)}（T21第5、21–23条）"))
        amount = tekun_amount(tekun, n, rules.rounding)
        return BenefitResult(True, amount, ("无劳动能力、无生活来源、无法定义务人（T21第5条）",
                                            f"基本生活标准{yuan(tekun)}×{n}人={yuan(amount)}",
                                            "未逐人记录特困人员及生活自理能力，按全户人数计基本生活、不含照料护理"))

    if category == Category.TEMPORARY:
        if means.facts.get("hardship_confirmed") != "yes":
            return BenefitResult(False, 0, ("调查未确认急难或支出型困难（L18 §2）",))
        amount = round_amount(dibao * rules.temporary_months, rules.rounding)
        return BenefitResult(True, amount, ("经调查确认困难情形属实（L18 §2）",
                                            f"一次性救助{rules.temporary_months}个月低保标准={yuan(amount)}"))

    raise ValueError(f"unknown category {category}")
