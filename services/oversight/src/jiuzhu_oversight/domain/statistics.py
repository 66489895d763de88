"""Monthly and yearly statistics for the city bureau (plan 四(一)6) and each jurisdiction's own
(四(二)3–4: 数据统计报送): per period, jurisdiction and category —
applications, acceptances, approvals, refusals, withdrawals, working days per stage, breaches (in
all, and per clock: which stage was late, plan 六(二)), active households and amounts.

Plain functions over plain rows; the queries that read them are ``adapters/statistics_queries``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from jiuzhu_oversight.domain import caseload
from jiuzhu_oversight.domain.clocks import CLOCKS

COLUMNS = ("month", "jurisdiction", "jurisdiction_name", "category", "applications", "acceptances", "approvals",
           "refusals", "withdrawals", "breaches", "avg_working_days_acceptance_to_visit",
           "avg_working_days_visit_to_review", "avg_working_days_review_to_decision", "active_households",
           "active_amount_fen") + caseload.COLUMNS
# Issue 16 item 5, at the end (the console and tests read the columns before them by position):
# persons as well as households (household sizes), spot checks and their faults, and the clocks met
# in time — the processing times against each deadline beside ``breaches`` (per clock).
PERIOD_COLUMNS = ("active_persons", "approved_persons", "spot_checks", "spot_check_faults", "clocks_met")
PERIOD_HEADERS_ZH = ("在保人数", "批准人数", "抽查户数", "抽查发现问题", "按时办结（各时限）")
COLUMNS = COLUMNS + PERIOD_COLUMNS
HEADERS_ZH = ("月份", "辖区代码", "辖区", "类别", "申请", "受理", "批准", "不予批准", "撤回及视为放弃", "超时",
              "受理至入户（工作日）", "入户至审核（工作日）", "审核至决定（工作日）", "在保户数", "在保金额（分）"
              ) + caseload.HEADERS_ZH + PERIOD_HEADERS_ZH  # the standing caseload's (issue 15), then issue 16's
# The breaches of a month per clock (the stage that was late): ``breaches_by_clock`` in the JSON, a
# column each beside "breaches" in the CSV/XLSX. Every clock oversight keeps, in the procedure's order.
BREACH_CLOCKS = tuple(dict.fromkeys(spec.name for spec in CLOCKS))
BREACH_CLOCKS_ZH = {"investigation": "入户调查核实", "review": "审核", "reinvestigation": "重新调查核实",
                    "decision": "审核确认", "refusal_notice": "不予批准书面通知"}
# Events counted once per event (an application is counted once per case: ``applications``).
COUNTED = {"application_accepted": "acceptances", "case_approved": "approvals", "case_refused": "refusals",
           "application_withdrawn": "withdrawals", "application_deemed_withdrawn": "withdrawals",
           "deadline_breached": "breaches"}
APPLICATION = "application_submitted"
BREACH = "deadline_breached"


@dataclass(frozen=True)
class EventCount:
    """The month's events of one type, jurisdiction and category (and clock, for a breach)."""

    jurisdiction: str
    category: str
    event_type: str
    events: int
    cases: int
    clock: str | None = None


@dataclass(frozen=True)
class DecidedCase:
    jurisdiction: str
    category: str
    accepted_on: dt.date | None
    visited_on: dt.date | None
    reviewed_on: dt.date | None
    decided_on: dt.date | None


@dataclass(frozen=True)
class Active:
    jurisdiction: str
    category: str
    households: int
    amount_fen: int
    persons: int = 0


@dataclass(frozen=True)
class PeriodCount:
    """A count for one of ``PERIOD_COLUMNS`` of a jurisdiction and category."""

    jurisdiction: str
    category: str
    column: str
    value: int


def period_problem(period: str) -> str | None:
    """A period is a month (YYYY-MM) or a year (YYYY); None when it is one."""
    if len(period) == 4 and period.isdigit():
        return None
    if len(period) == 7 and period[:4].isdigit() and period[4] == "-" and period[5:].isdigit() \
            and 1 <= int(period[5:]) <= 12:
        return None
    return f"{period!r} is neither a month (YYYY-MM) nor a year (YYYY)"


def is_year(period: str) -> bool:
    return len(period) == 4


def last_month(period: str) -> str:
    """The period's last month: the month itself, or a year's December (households active at its end)."""
    return f"{period}-12" if is_year(period) else period


def add_period_counts(rows: dict[Key, dict], counts: Iterable[PeriodCount]) -> None:
    for c in counts:
        row = rows.get((c.jurisdiction, c.category))
        if row is not None and c.column in PERIOD_COLUMNS:
            row[c.column] += c.value

Key = tuple[str, str]


def empty_rows(month: str, jurisdictions: Iterable[tuple[str, str]], categories: Iterable[str]) -> dict[Key, dict]:
    """A row of zeros for every jurisdiction (code, name) and category: a quiet one is reported too."""
    categories = list(categories)
    return {(code, c): {k: 0 for k in COLUMNS} | {"month": month, "jurisdiction": code, "jurisdiction_name": name,
                                                     "category": c, "breaches_by_clock": dict.fromkeys(BREACH_CLOCKS, 0)}
            for code, name in jurisdictions for c in categories}


def add_counts(rows: dict[Key, dict], counts: Iterable[EventCount]) -> None:
    for r in counts:
        row = rows.get((r.jurisdiction, r.category))
        if row is None:
            continue
        if r.event_type == APPLICATION:
            row["applications"] += r.cases  # an application counts once, however often it was resubmitted
        elif r.event_type in COUNTED:
            row[COUNTED[r.event_type]] += r.events
        if r.event_type == BREACH:
            by_clock = row["breaches_by_clock"]
            by_clock[r.clock or "unknown"] = by_clock.get(r.clock or "unknown", 0) + r.events


def add_working_days(rows: dict[Key, dict], decided: Iterable[DecidedCase],
                     between: Callable[[dt.date, dt.date], int]) -> None:
    """The average working days of each stage, over the cases decided in the month."""
    spans: dict[Key, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for r in decided:
        for name, start, end in (("acceptance_to_visit", r.accepted_on, r.visited_on),
                                 ("visit_to_review", r.visited_on, r.reviewed_on),
                                 ("review_to_decision", r.reviewed_on, r.decided_on)):
            if start and end:
                spans[(r.jurisdiction, r.category)][name].append(between(start, end))
    for key, by_stage in spans.items():
        if key in rows:
            for name, values in by_stage.items():
                rows[key][f"avg_working_days_{name}"] = round(sum(values) / len(values), 1)


def add_active(rows: dict[Key, dict], active: Iterable[Active]) -> None:
    for a in active:
        if (a.jurisdiction, a.category) in rows:
            rows[(a.jurisdiction, a.category)] |= {"active_households": a.households,
                                                   "active_amount_fen": a.amount_fen, "active_persons": a.persons}


def headers() -> list[str]:
    """The Chinese headers, with a column per clock right after "breaches"."""
    at = COLUMNS.index("breaches") + 1
    return [*HEADERS_ZH[:at], *(f"超时·{BREACH_CLOCKS_ZH.get(c, c)}" for c in BREACH_CLOCKS), *HEADERS_ZH[at:]]


def cells(row: dict) -> list:
    at = COLUMNS.index("breaches") + 1
    by_clock = row.get("breaches_by_clock") or {}
    return [*(row[c] for c in COLUMNS[:at]), *(by_clock.get(c, 0) for c in BREACH_CLOCKS),
            *(row[c] for c in COLUMNS[at:])]
