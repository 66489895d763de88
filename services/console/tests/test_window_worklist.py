"""Worklists: the clock a case runs against at each stage, most urgent first (plan 五)."""

from __future__ import annotations

import datetime as dt

from jiuzhu_console.domain.urgency import Urgency, deadline
from jiuzhu_console.domain.worklists import current_due, is_open, most_urgent_first


class EveryDayWorks:
    def between(self, start: dt.date, end: dt.date) -> int:
        return (end - start).days


TODAY = dt.date(2026, 11, 29)


def case(case_id, stage, **dues):
    return {"case_id": case_id, "stage": stage,
            "dues": {clock: {"clock": clock, "due_on": on} for clock, on in dues.items()}}


def test_the_due_date_is_the_one_of_the_current_stage():
    c = case("x", "in_publicity", investigation="2026-12-09", review="2026-12-02", publicity="2026-12-04")
    assert current_due(c) == ("publicity", "2026-12-04")
    assert current_due(case("y", "investigating", investigation="2026-12-11")) == ("investigation", "2026-12-11")


def test_a_closed_case_or_a_stage_without_its_due_has_no_deadline():
    assert current_due(case("x", "approved", investigation="2026-12-09")) == (None, None)
    assert current_due(case("x", "awaiting_decision", publicity="2026-12-04")) == ("decision", None)
    assert not is_open(case("x", "withdrawn")) and is_open(case("x", "reinvestigating"))


def test_most_urgent_first_then_earliest_due_then_case_number():
    cal = EveryDayWorks()
    rows = [(deadline(on, TODAY, cal), {"case_id": cid}) for cid, on in
            [("a", "2026-12-20"), ("b", None), ("c", "2026-11-20"), ("d", "2026-11-29"), ("e", "2026-11-30"),
             ("f", "2026-11-25"), ("g", "2026-12-20")]]
    ordered = most_urgent_first(rows)
    assert [c["case_id"] for _, c in ordered] == ["c", "f", "d", "e", "a", "g", "b"]
    assert [d.urgency for d, _ in ordered][:3] == [Urgency.OVERDUE, Urgency.OVERDUE, Urgency.DUE_TODAY]
