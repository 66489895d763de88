"""统计 (issue 16 item 5; plan 四(一)6 for the district, 四(二)3–4 数据统计报送 for each jurisdiction):
who may open the statistics page, the period asked, and oversight's ``/statistics`` rows (jurisdiction
× category) turned into the series the page charts — households and persons, new / stopped /
changed, amounts, working days against each deadline, the clocks met and breached, spot checks.
Oversight decides whose figures a person reads (``statistics_scope``); the console only shows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from jiuzhu_contracts.base import Category, Role

from jiuzhu_console.domain.labels import CATEGORY, clock
from jiuzhu_console.domain.person import Person

# Mirrors oversight's GET /statistics: access.allow(LEADER, CLERK, district=[INSPECTOR, BUREAU_ADMIN, AUDITOR]).
DISTRICT_READERS = (Role.INSPECTOR, Role.BUREAU_ADMIN, Role.AUDITOR)
JURISDICTION_READERS = (Role.LEADER, Role.CLERK)
YEAR = re.compile(r"^\d{4}\Z", re.ASCII)
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])\Z", re.ASCII)
CATEGORIES = tuple(Category)


def may_read(person: Person) -> bool:
    return person.has(*(DISTRICT_READERS if person.at_district else JURISDICTION_READERS))


@dataclass(frozen=True)
class Period:
    value: str  # YYYY-MM or YYYY

    @property
    def yearly(self) -> bool:
        return len(self.value) == 4

    @property
    def zh(self) -> str:
        if self.yearly:
            return f"{int(self.value)}年"
        return f"{int(self.value[:4])}年{int(self.value[5:])}月"

    @property
    def query(self) -> dict[str, str]:
        return {"year": self.value} if self.yearly else {"month": self.value}


def period_of(month: str, year: str, default_month: str) -> Period:
    """The year when one is given (年度), else the month, else ``default_month``."""
    if year and YEAR.match(year):
        return Period(year)
    return Period(month if month and MONTH.match(month) else default_month)


def _sum(rows: list[dict], field: str, category: Category) -> int:
    return sum(int(r.get(field) or 0) for r in rows if r["category"] == category.value)


def labels() -> list[str]:
    return [CATEGORY[c] for c in CATEGORIES]


def households_and_persons(rows: list[dict]) -> dict[str, list[int]]:
    """在保户数 and 在保人数 per category (at the period's end)."""
    return {"在保户数": [_sum(rows, "active_households", c) for c in CATEGORIES],
            "在保人数": [_sum(rows, "active_persons", c) for c in CATEGORIES]}


# new / stopped / changed: the period's approvals and imports, ends and gradual exits, changes of amount
MOVEMENT = (("新增（批准）", ("approvals",)), ("存量导入", ("migrated",)), ("停发", ("ends",)),
            ("进入渐退期", ("gradual_exits",)), ("变更（增发减发、提标）", ("amount_changes", "standard_raises")))


def movement(rows: list[dict]) -> dict[str, list[int]]:
    return {name: [sum(_sum(rows, f, c) for f in fields) for c in CATEGORIES] for name, fields in MOVEMENT}


def amounts_yuan(rows: list[dict]) -> dict[str, list[float]]:
    """在保金额 per category, in 元 (fen / 100) for the chart's axis."""
    return {"在保金额（元）": [_sum(rows, "active_amount_fen", c) / 100 for c in CATEGORIES]}


# The average working days of each stage against the period the plan gives it (plan 五(二)–(三)):
# acceptance → home visit within the investigation's 10, visit → review within the review's 5,
# review → decision within the publicity's 7 and the decision's 3.
STAGES = (("avg_working_days_acceptance_to_visit", "受理至入户", ("investigation",)),
          ("avg_working_days_visit_to_review", "入户至审核", ("review",)),
          ("avg_working_days_review_to_decision", "审核至决定", ("publicity", "decision")))


def working_days_against_deadlines(rows: list[dict], deadlines) -> tuple[list[str], dict[str, list[float]]]:
    """Per stage: the mean of the rows' averages weighted by their approvals and refusals (the cases
    decided), and the stage's deadline in working days (``[deadlines]`` of the district file)."""
    names, spent, allowed = [], [], []
    for field, name, periods in STAGES:
        weighted = [(float(r[field]), int(r.get("approvals") or 0) + int(r.get("refusals") or 0))
                    for r in rows if r.get(field)]
        total = sum(w for _, w in weighted)
        mean = sum(v * w for v, w in weighted) / total if total else 0.0
        names.append(name)
        spent.append(round(mean, 1))
        allowed.append(sum(getattr(deadlines, p) for p in periods))
    return names, {"平均用时（工作日）": spent, "时限（工作日）": allowed}


def clocks(rows: list[dict]) -> tuple[list[str], dict[str, list[int]]]:
    """The clocks met in time and those breached, per clock (oversight's ``breaches_by_clock``)."""
    by_clock: dict[str, int] = {}
    for r in rows:
        for c, n in (r.get("breaches_by_clock") or {}).items():
            by_clock[c] = by_clock.get(c, 0) + int(n or 0)
    names = ["按时办结（各时限）"] + [f"超时·{clock(c)}" for c in by_clock]
    return names, {"件数": [sum(int(r.get("clocks_met") or 0) for r in rows), *by_clock.values()]}


def spot_checks(rows: list[dict]) -> dict[str, list[int]]:
    return {"抽查户数": [_sum(rows, "spot_checks", c) for c in CATEGORIES],
            "发现问题": [_sum(rows, "spot_check_faults", c) for c in CATEGORIES]}


def totals(rows: list[dict]) -> dict[str, int]:
    fields = ("applications", "approvals", "refusals", "active_households", "active_persons", "active_amount_fen",
              "ends", "breaches", "clocks_met", "spot_checks", "spot_check_faults")
    return {f: sum(int(r.get(f) or 0) for r in rows) for f in fields}
