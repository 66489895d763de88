"""The publicity window (plan 五(三): 公示期为7个工作日) and the decision clock it starts.

A notice posted on day P stays up through the 7th working day after P; objections are taken on
every day from P to that day inclusive. When the window has passed, the case goes to decision:
within 3 working days after a clean window; within 15 working days of an objected one — and that
15-day limit also binds the re-posted notice after the re-investigation.
"""

from __future__ import annotations

import datetime as dt

from jiuzhu_contracts.base import Due
from jiuzhu_kernel.working_days import WorkingDayCalendar, make_due

PUBLICITY_RULE = "乌尔禾区工作方案 五(三): 在居（村）民委员会公示栏公示，公示期为{n}个工作日"
DECISION_RULE = "乌尔禾区工作方案 五(三): 公示无异议的，主要领导在{n}个工作日内作出确认决定"
OBJECTED_RULE = "乌尔禾区工作方案 五(三): 公示期间出现异议的，在{n}个工作日内作出审批决定"
TEKUN_RULE = "；特困人员不超过15个工作日（T21第16条）"


due = make_due


def window(calendar: WorkingDayCalendar, opens_on: dt.date, days: int) -> Due:
    return due(calendar, "publicity", opens_on, days, PUBLICITY_RULE.format(n=days))


def accepts_objections(opens_on: dt.date, closes_on: dt.date, today: dt.date) -> bool:
    return opens_on <= today <= closes_on


def has_ended(closes_on: dt.date, today: dt.date) -> bool:
    return today > closes_on


def decision_due(calendar: WorkingDayCalendar, closes_on: dt.date, objected: bool, decision_days: int,
                 objected_days: int, binding: Due | None, *, tekun: bool = False) -> Due:
    """The decision clock started by the end of a window.

    ``binding`` is the 15-day limit set by an earlier objected window of the same case: a later
    clean window cannot extend it.
    """
    if objected:
        also = TEKUN_RULE if tekun else ""  # the district file is checked against T21's ceiling
        return binding or due(calendar, "decision", closes_on, objected_days,
                              OBJECTED_RULE.format(n=objected_days) + also)
    clean = due(calendar, "decision", closes_on, decision_days,
                DECISION_RULE.format(n=decision_days) + (TEKUN_RULE if tekun else ""))
    if binding and binding.due_on < clean.due_on:
        return binding
    return clean
