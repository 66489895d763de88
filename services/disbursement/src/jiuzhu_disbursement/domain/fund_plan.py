"""资金需求计划 (plan 四(一)3; issue 16 item 4): the money a month will need, per jurisdiction and
category, projected from what the register holds and from the last months' trend.

For a month ``M`` of the plan, with ``current`` the business month and ``k`` = months from
``current`` to ``M`` (approvals of ``current`` … ``M−1`` are first paid by ``M``, D21 art. 21, 25):

* **in force** — the register's households paid in ``M`` at the amount in force then (changes,
  known ends and gradual exits included: ``domain/amounts.py``), as the roster would pay them;
* **expected new approvals** — the mean per month of the households approved in the trend window
  (the ``trend_months`` complete months before ``current``), times ``k``, less those already
  approved since ``current`` began (they are in force already); each at the window's mean first
  amount and household size;
* **expected exits** — the same for households whose last month paid fell in the window, less the
  ends already known for ``current`` … ``M−1``; each at the mean amount and size in force in ``M``;
* **temporary assistance** (L18) — one-off, never in force: the window's mean temporary spending
  per month (the approved amounts of temporary cases by the month decided), as each month's need;
* **the next standard raise** — a standard of the district file's ``[[standards]]`` that applies
  from a later month (its ``year`` and ``from_month``) adds the per-person difference to every person
  projected for a month it applies to (D21 art. 23: dibao = standard × size − income; T21 art. 5:
  tekun = standard × size: a raise of Δ a person raises a household still eligible by Δ × size),
  except households decision already raised for it (a ``standard_raise`` change effective after
  ``current``); temporary assistance, tied to the dibao standard (L18 bands), by its ratio.

Plain functions over plain figures; ``service_layer/fund_plan.py`` reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from jiuzhu_contracts.base import Area, Category

METHOD = ("在保按当月应发；新增与退出按前{k}个完整月的月均批准户数、停发户数推算（扣除已知的新批准与已知停发）；"
          "临时救助按前{k}个月月均批准金额；提标按区配置文件[[standards]]中以后月份起执行的标准，每人增加差额 / "
          "in force as the roster pays it; new approvals and exits at the mean per month of the last {k} complete "
          "months (less those already known); temporary assistance at the last {k} months' mean; a raise configured "
          "for a later month adds its per-person difference")
MONTHLY = (Category.DIBAO.value, Category.TEKUN.value)  # paid monthly; low-income is registered, not paid
TEMPORARY = Category.TEMPORARY.value
STANDARD_OF = {Category.DIBAO.value: Category.DIBAO, Category.TEKUN.value: Category.TEKUN,
               TEMPORARY: Category.DIBAO}  # temporary assistance is banded on the dibao standard (L18)


def add_months(month: str, n: int) -> str:
    y, m = int(month[:4]), int(month[5:7])
    total = y * 12 + (m - 1) + n
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def months_between(start: str, end: str) -> int:
    """How many months ``end`` is after ``start`` (negative when before)."""
    return (int(end[:4]) * 12 + int(end[5:7])) - (int(start[:4]) * 12 + int(start[5:7]))


def trend_window(current: str, trend_months: int) -> tuple[str, str]:
    """The first and last month of the trend: the ``trend_months`` complete months before ``current``."""
    return add_months(current, -trend_months), add_months(current, -1)


def area_of(kind: str) -> Area:
    """The register does not hold a new case's area: a township's households are projected on the
    rural standard, a subdistrict's and a park's on the urban one (a recipient imported with its area
    is not told apart either — the difference is the raise's Δ between the two lines)."""
    return Area.RURAL if kind == "township" else Area.URBAN


def standard_in_force(standards: Iterable, category: Category, area: Area, jurisdiction: str, month: str) -> int | None:
    """The monthly standard per person in force in ``month``: the latest line of ``[[standards]]``
    whose (year, from_month) is not after it; a jurisdiction's own line wins over the district's."""
    y, m = int(month[:4]), int(month[5:7])
    lines = [s for s in standards if s.category == category and s.area == area
             and s.jurisdiction in (None, jurisdiction) and (s.year, s.from_month) <= (y, m)]
    if not lines:
        return None
    return max(lines, key=lambda s: (s.year, s.from_month, s.jurisdiction is not None)).monthly_fen


@dataclass(frozen=True)
class InForce:
    """The register's households of one jurisdiction and category paid in a month."""

    households: int = 0
    persons: int = 0
    amount_fen: int = 0
    known_starts: int = 0  # approved since ``current`` began, first paid by the month
    known_exits: int = 0  # last month paid in ``current`` … the month before
    raised_persons: int = 0  # in households decision already raised for a standard after ``current``


@dataclass(frozen=True)
class Trend:
    """What the trend window saw for one jurisdiction and category."""

    months: int
    approvals: int = 0
    approved_persons: int = 0
    approved_amount_fen: int = 0  # first monthly amounts; for temporary assistance the one-off amounts
    exits: int = 0


def _fen(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))


def _mean(total: int, n: int) -> Fraction:
    return Fraction(total, n) if n else Fraction(0)


def project(category: str, k: int, in_force: InForce, trend: Trend, standard_now: int | None,
            standard_then: int | None) -> dict:
    """One month of one jurisdiction and category, ``k`` months after the current one."""
    k = max(k, 0)
    ratio_raise = (standard_now is not None and standard_then is not None and standard_then > standard_now)
    if category == TEMPORARY:
        households = _mean(trend.approvals, trend.months)
        amount = _mean(trend.approved_amount_fen, trend.months)
        raised = amount * Fraction(standard_then, standard_now) if ratio_raise else amount
        return {"in_force_households": 0, "in_force_persons": 0, "in_force_amount_fen": 0,
                "expected_new_households": 0.0, "expected_new_amount_fen": 0,
                "expected_exit_households": 0.0, "expected_exit_amount_fen": 0,
                "temporary_amount_fen": _fen(raised), "standard_raise_fen": _fen(raised) - _fen(amount),
                "projected_households": round(float(households), 2), "projected_persons": 0,
                "projected_amount_fen": _fen(raised)}
    new = max(Fraction(0), _mean(trend.approvals, trend.months) * k - in_force.known_starts)
    new_amount = new * _mean(trend.approved_amount_fen, trend.approvals)
    new_persons = new * _mean(trend.approved_persons, trend.approvals)
    exits = max(Fraction(0), _mean(trend.exits, trend.months) * k - in_force.known_exits)
    exits = min(exits, in_force.households + new)
    exit_amount = exits * _mean(in_force.amount_fen, in_force.households)
    exit_persons = exits * _mean(in_force.persons, in_force.households)
    persons = in_force.persons + new_persons - exit_persons
    raise_fen = Fraction(0)
    if ratio_raise:
        raise_fen = (standard_then - standard_now) * max(Fraction(0), persons - in_force.raised_persons)
    households = in_force.households + new - exits
    amount = in_force.amount_fen + new_amount - exit_amount + raise_fen
    return {"in_force_households": in_force.households, "in_force_persons": in_force.persons,
            "in_force_amount_fen": in_force.amount_fen,
            "expected_new_households": round(float(new), 2), "expected_new_amount_fen": _fen(new_amount),
            "expected_exit_households": round(float(exits), 2), "expected_exit_amount_fen": _fen(exit_amount),
            "temporary_amount_fen": 0, "standard_raise_fen": _fen(raise_fen),
            "projected_households": round(float(households), 2), "projected_persons": round(float(persons), 2),
            "projected_amount_fen": _fen(amount)}


COLUMNS = ("month", "jurisdiction", "category", "standard_fen", "in_force_households", "in_force_persons",
           "in_force_amount_fen", "expected_new_households", "expected_new_amount_fen", "expected_exit_households",
           "expected_exit_amount_fen", "temporary_amount_fen", "standard_raise_fen", "projected_households",
           "projected_persons", "projected_amount_fen")
HEADERS_ZH = ("月份", "辖区", "类别", "当月标准（分/人）", "在保户数", "在保人数", "在保金额（分）", "预计新增户数",
              "预计新增金额（分）", "预计退出户数", "预计退出金额（分）", "临时救助（分）", "提标增加（分）", "预计户数",
              "预计人数", "预计需求（分）")
