"""The bureau's tabs by role (mirroring oversight's access rules) and the arithmetic of its pages."""

import datetime as dt

from jiuzhu_contracts.base import Role

from jiuzhu_console.domain.person import Person
from jiuzhu_console.domain.urgency import Urgency, deadline
from jiuzhu_console.service_layer import supervision as sv

DISTRICT = "650205"


def person(*roles, jurisdiction=DISTRICT):
    return Person(id="p", name="某人", roles=frozenset(roles), jurisdiction=jurisdiction, district=DISTRICT, token="t")


class Weekdays:
    def between(self, start, end):
        return sum(1 for n in range(1, (end - start).days + 1) if (start + dt.timedelta(n)).weekday() < 5)


class FakeConsole:
    def deadline(self, due_on, today):
        return deadline(due_on, today, Weekdays())


def slugs(p):
    return [t.slug for t in sv.tabs_for(p)]


def test_tabs_follow_the_roles_oversight_allows():
    common = ["deadlines", "filings", "spot-checks", "rectifications", "alerts", "security", "stranded"]
    assert slugs(person(Role.INSPECTOR)) == common  # no audit: neither verify nor checkpoint
    assert slugs(person(Role.BUREAU_ADMIN)) == common + ["audit"]  # checkpoints
    assert slugs(person(Role.AUDITOR)) == common + ["audit"]
    assert slugs(person(Role.LEADER, jurisdiction="650205001")) == []
    assert slugs(person(Role.INSPECTOR, jurisdiction="650205001")) == []  # only at the district


def test_only_the_inspector_draws_records_findings_and_orders():
    ins, ba, aud = person(Role.INSPECTOR), person(Role.BUREAU_ADMIN), person(Role.AUDITOR)
    assert [sv.may(p, "draw") for p in (ins, ba, aud)] == [True, False, False]
    assert [sv.may(p, "order") for p in (ins, ba, aud)] == [True, False, False]
    assert [sv.may(p, "redraw") for p in (ins, ba, aud)] == [True, False, True]
    assert [sv.may(p, "verify") for p in (ins, ba, aud)] == [False, False, True]
    assert [sv.may(p, "checkpoint") for p in (ins, ba, aud)] == [False, True, True]


def test_months():
    assert sv.previous_month(dt.date(2026, 1, 15)) == "2025-12"
    assert sv.month_of(dt.date(2026, 11, 29)) == "2026-11"
    assert sv.valid_month("2026-13", "2026-11") == "2026-11" and sv.valid_month("2026-03", "x") == "2026-03"
    assert sv.zh_month("2026-03") == "2026年3月"


def test_deadlines_across_jurisdictions_most_urgent_first():
    today = dt.date(2026, 11, 25)  # a Wednesday
    got = {"650205001": {"overdue": [], "due_soon": [
               {"case_id": "650205001-2026-00003", "clock": "review", "due_on": "2026-11-27", "responsible": []}]},
           "650205100": {"overdue": [
               {"case_id": "650205100-2026-00001", "clock": "investigation", "due_on": "2026-11-20", "responsible": []}],
               "due_soon": [{"case_id": "650205100-2026-00002", "clock": "publicity", "due_on": "2026-11-25",
                             "responsible": []}]}}
    rows = sv.deadline_rows(got, FakeConsole(), today)
    assert [(r["case_id"], r["jurisdiction"], r["d"].urgency) for r in rows] == [
        ("650205100-2026-00001", "650205100", Urgency.OVERDUE), ("650205100-2026-00002", "650205100", Urgency.DUE_TODAY),
        ("650205001-2026-00003", "650205001", Urgency.DUE_SOON)]
    assert sv.overdue_by_clock(got) == {"investigation": 1}


def test_orders_unanswered_first_by_urgency_then_answered_newest_first():
    today = dt.date(2026, 11, 25)
    orders = [{"order_no": "A", "due_on": "2026-12-20", "answered_on": None},
              {"order_no": "B", "due_on": "2026-11-20", "answered_on": None},
              {"order_no": "C", "due_on": "2026-11-01", "answered_on": "2026-10-20"},
              {"order_no": "D", "due_on": "2026-11-30", "answered_on": "2026-11-24"}]
    assert [o["order_no"] for o in sv.order_rows(orders, FakeConsole(), today)] == ["B", "A", "D", "C"]


def test_filings_are_decided_cases_newest_first_optionally_of_a_month():
    cases = [{"case_id": "a", "decided_on": "2026-10-29"}, {"case_id": "b", "decided_on": None},
             {"case_id": "c", "decided_on": "2026-11-02"}]
    assert [c["case_id"] for c in sv.filings(cases)] == ["c", "a"]
    assert [c["case_id"] for c in sv.filings(cases, "2026-10")] == ["a"]


def test_spot_check_outcomes_and_the_findings_form():
    checks = [{"completed_on": None}, {"completed_on": "2026-11-02", "findings": {
        "target_correct": True, "procedure_followed": True, "materials_complete": True}},
        {"completed_on": "2026-11-03", "findings": {"target_correct": True, "procedure_followed": False,
                                                    "materials_complete": True}}]
    assert sv.outcome_counts(checks) == {"规范": 1, "存在问题": 1, "待反馈": 1}
    body, errors = sv.parse_findings({"target_correct": "yes", "procedure_followed": "no",
                                      "materials_complete": "yes", "feedback": " 评议记录缺签字 "})
    assert errors == {} and body == {"target_correct": True, "procedure_followed": False,
                                     "materials_complete": True, "feedback": "评议记录缺签字"}
    _, errors = sv.parse_findings({"target_correct": "yes", "feedback": "x"})
    assert set(errors) == {"procedure_followed", "materials_complete", "feedback"}


def test_statistics_summed_per_jurisdiction_and_series_per_category():
    rows = [{"jurisdiction": "650205001", "jurisdiction_name": "柳树街", "category": "dibao", "applications": 4,
             "breaches": 1, "active_households": 2, "active_amount_fen": 260000},
            {"jurisdiction": "650205001", "jurisdiction_name": "柳树街", "category": "tekun", "applications": 1,
             "breaches": 2, "active_households": 1, "active_amount_fen": 90000},
            {"jurisdiction": "650205100", "jurisdiction_name": "乌尔禾镇", "category": "dibao", "applications": 0}]
    totals = sv.by_jurisdiction(rows)
    assert [(t["name"], t["applications"], t["breaches"], t["active_amount_fen"]) for t in totals] == [
        ("柳树街", 5, 3, 350000), ("乌尔禾镇", 0, 0, 0)]
    series = sv.series_by_category(rows, "breaches", ["650205001", "650205100"])
    assert series["最低生活保障"] == [1, 0] and series["特困人员救助供养"] == [2, 0] and series["临时救助"] == [0, 0]
