"""Plausibility limits on entered dates, months, amounts and birth dates (issue 6: input hardening).

Plain functions with no I/O: each takes the value, the business day and the district's
``[limits]`` and returns a *problem* — ``{"field", "rule"}``, the rule in Chinese and English —
or None. ``refuse`` turns the problems of one request into one 422 that names every field.

Why: a date far in the future stops a clock from ever breaching (a home visit "on 2099-01-01") or
locks a record as on time (a refusal notice "delivered 9999-12-31"); an absurd amount overflows a
column downstream and leaves the case stuck in a dead-letter queue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from jiuzhu_contracts.money import yuan
from jiuzhu_contracts.resident_id import birth_date
from jiuzhu_kernel.district_config import Limits
from jiuzhu_kernel.refusal import DomainRefusal

Problem = dict[str, str]

LIMITS_RULE = "[limits] in the district configuration"


def _problem(field: str, zh: str, en: str) -> Problem:
    return {"field": field, "rule": f"{zh} / {en} ({LIMITS_RULE})"}


def latest_date(today: dt.date, limits: Limits) -> dt.date:
    return today + dt.timedelta(days=limits.future_date_tolerance_days)


def date_problem(field: str, value: dt.date, *, today: dt.date, limits: Limits,
                 not_before: dt.date | None = None, not_before_zh: str = "受理日期",
                 not_before_en: str = "the case's acceptance") -> Problem | None:
    """A date staff enter: not before ``not_before`` (the acceptance, where the case is known) and
    not after the business day + ``future_date_tolerance_days``."""
    latest = latest_date(today, limits)
    if value > latest:
        return _problem(field, f"日期{value}不得晚于{latest}（业务日期{today}后{limits.future_date_tolerance_days}天）",
                        f"{value} is after {latest}, the business day {today} + "
                        f"{limits.future_date_tolerance_days} day(s) (future_date_tolerance_days)")
    if not_before is not None and value < not_before:
        return _problem(field, f"日期{value}不得早于{not_before_zh}{not_before}",
                        f"{value} is before {not_before_en} on {not_before}")
    return None


def month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_problem(field: str, value: str, *, today: dt.date, limits: Limits, not_before: str | None = None,
                  not_before_zh: str = "", not_before_en: str = "") -> Problem | None:
    """A month ``YYYY-MM`` (already shape-checked) within [business month − months_back, business
    month + months_ahead], and not before ``not_before`` when given."""
    now = month_index(month_of(today))
    earliest, latest = _month(now - limits.months_back), _month(now + limits.months_ahead)
    if month_index(value) > now + limits.months_ahead:
        return _problem(field, f"月份{value}不得晚于{latest}（业务月份后{limits.months_ahead}个月）",
                        f"{value} is after {latest}, {limits.months_ahead} months after the business month "
                        "(months_ahead)")
    if month_index(value) < now - limits.months_back:
        return _problem(field, f"月份{value}不得早于{earliest}（业务月份前{limits.months_back}个月）",
                        f"{value} is before {earliest}, {limits.months_back} months before the business month "
                        "(months_back)")
    if not_before is not None and month_index(value) < month_index(not_before):
        return _problem(field, f"月份{value}不得早于{not_before_zh}{not_before}",
                        f"{value} is before {not_before_en} {not_before}")
    return None


def amount_problem(field: str, value: int, *, limit: int, name: str, what_zh: str) -> Problem | None:
    """An amount in fen not above the configured ``limit`` (named ``name`` in ``[limits]``)."""
    if value > limit:
        return _problem(field, f"{what_zh}{value}分超过上限{limit}分（{yuan(limit, grouping=True)}元）",
                        f"{value} fen is above the limit of {limit} fen ({name})")
    return None


def birth_date_problem(field: str, id_number: str, *, today: dt.date, limits: Limits) -> Problem | None:
    """The birth date in a (normalised, valid) resident ID number: not after the business day, not
    more than ``oldest_age_years`` before it."""
    born = birth_date(id_number)
    if born > today:
        return _problem(field, f"身份证号码中的出生日期{born}晚于业务日期{today}",
                        f"the birth date {born} in the ID number is after the business day {today}")
    try:
        oldest = today.replace(year=today.year - limits.oldest_age_years)
    except ValueError:  # 29 February
        oldest = today.replace(year=today.year - limits.oldest_age_years, day=28)
    if born < oldest:
        return _problem(field, f"身份证号码中的出生日期{born}早于{oldest}（超过{limits.oldest_age_years}岁）",
                        f"the birth date {born} in the ID number is before {oldest}, more than "
                        f"{limits.oldest_age_years} years ago (oldest_age_years)")
    return None


def refuse(problems: Iterable[Problem | None]) -> None:
    """One 422 naming every field outside its limits; nothing when all are within them."""
    found = [p for p in problems if p]
    if found:
        raise DomainRefusal("输入超出合理范围 / the request has values outside the plausible limits",
                            rule=found[0]["rule"], status=422, field=found[0]["field"],
                            details={"errors": found})
