"""When a supported household is re-reviewed (定期核查, D21 art. 31; N22 §1.3), as plain functions of
its members, its income and the district's configuration (``ReReviewSchedule``).

* yearly for a household whose income is stable and no member of working age is able to work;
* every six months for irregular income (an income line of a configured kind, or the household
  fact ``irregular_income = yes``) or a member of working age able to work;
* tekun yearly;
* within three months of a member's death.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping

from jiuzhu_contracts.base import Category
from jiuzhu_contracts.events.intake import Member
from jiuzhu_contracts.events.re_review import HouseholdProfile
from jiuzhu_contracts.resident_id import birth_date
from jiuzhu_kernel.district_config import ReReviewSchedule

SCHEDULE_RULE = {
    HouseholdProfile.STABLE: "D21第31条：收入来源固定、短期内变化不大的家庭每年核查一次",
    HouseholdProfile.CHANGING: "D21第31条：收入来源不固定或有劳动能力的家庭每半年核查一次",
    HouseholdProfile.TEKUN: "特困人员每年核查一次",
}
DEATH_RULE = "N22 §1.3：家庭成员死亡的，3个月内核查"


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def able_to_work(member: Member, on: dt.date, rules: ReReviewSchedule) -> bool:
    """Of working age and able to work: as assessed when the household was recorded, else presumed
    unless disabled, seriously ill or in school (an unassessed member is not presumed unable — the
    shorter interval errs on the side of looking again)."""
    if not rules.working_age_from <= age_on(birth_date(member.id_number), on) < rules.working_age_until:
        return False
    if member.able_to_work is not None:
        return member.able_to_work
    return not (member.disabled or member.seriously_ill or member.in_school)


def profile(category: Category, members: Iterable[Member], income_kinds: Iterable[str],
            facts: Mapping[str, str], on: dt.date, rules: ReReviewSchedule) -> HouseholdProfile:
    """Which interval of D21 art. 31 the household follows, on ``on``."""
    if category == Category.TEKUN:
        return HouseholdProfile.TEKUN
    if facts.get("irregular_income") == "yes" or set(income_kinds) & set(rules.irregular_income_kinds):
        return HouseholdProfile.CHANGING
    if any(able_to_work(m, on, rules) for m in members):
        return HouseholdProfile.CHANGING
    return HouseholdProfile.STABLE


def interval_months(p: HouseholdProfile, rules: ReReviewSchedule) -> int:
    return {HouseholdProfile.STABLE: rules.stable_months, HouseholdProfile.CHANGING: rules.changing_months,
            HouseholdProfile.TEKUN: rules.tekun_months}[p]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day (31 Aug + 6 → 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def next_on(last: dt.date, p: HouseholdProfile, rules: ReReviewSchedule) -> dt.date:
    """The next periodic re-review opens this day: one interval after ``last`` (the approval, the
    first month paid, or the last re-review's completion)."""
    return add_months(last, interval_months(p, rules))


def death_limit(died_on: dt.date, rules: ReReviewSchedule) -> dt.date:
    """A re-review after a member's death is completed by this day (N22 §1.3)."""
    return add_months(died_on, rules.after_death_months)
