"""Prerequisites of review, separation of investigator and reviewer, recusal (plan 五(二), 六)."""

import datetime as dt
from dataclasses import replace

import pytest

from jiuzhu_contracts.base import Area, Category, Due
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_verification.domain.investigation import (
    Appraisal,
    CheckReport,
    Household,
    Clock,
    Investigation,
    Opinion,
    Person,
    Status,
    Visit,
)

D = dt.date(2022, 3, 1)
A, B, REV, KIN = Person("inv-a", "甲"), Person("inv-b", "乙"), "rev-1", "clerk-9"
REVIEW_DUE = Due(clock="review", due_on=dt.date(2022, 3, 15), working_days=10, starts_after=D, rule="r")


def fresh(**changes) -> Investigation:
    inv = Investigation(case_id="c1", category=Category.DIBAO, area=Area.URBAN, committee="居委会",
                        applicant_name="张三", accepted_on=D, member_id_numbers=("x",), recused=frozenset({KIN}))
    return replace(inv, **changes)


def visited(inv=None) -> Investigation:
    return (inv or fresh()).record_visit(Visit(D, (A, B), "租住", "属实", True), REVIEW_DUE)


def ready(inv=None) -> Investigation:
    inv = visited(inv).record_household(Household(1, 0, 0, {}), "HD-1")
    return inv.record_check_report(CheckReport("HD-1", "R1", D, 0, 0, "无"))


OK = Opinion(True, 90000, ("低于标准",))


def refused(fn, rule_part):
    with pytest.raises(DomainRefusal) as exc:
        fn()
    assert rule_part in exc.value.rule or rule_part in exc.value.message
    return exc.value


def test_home_visit_needs_two_different_investigators():
    refused(lambda: fresh().record_visit(Visit(D, (A, A), "", "", True), REVIEW_DUE), "at least two")
    assert visited().investigators == (A, B)


def test_no_review_without_a_home_visit():
    inv = fresh().record_household(Household(1, 0, 0, {}), "HD-1")
    refused(lambda: inv.sign_review(REV, OK, True, 90000, D), "100 % home visit")


def test_no_review_without_the_check_report():
    inv = visited().record_household(Household(1, 0, 0, {}), "HD-1")
    refused(lambda: inv.sign_review(REV, OK, True, 90000, D), "report must be in hand")


def test_a_report_must_answer_the_open_request():
    inv = visited().record_household(Household(1, 0, 0, {}), "HD-2")
    refused(lambda: inv.record_check_report(CheckReport("HD-1", "R1", D, 0, 0, "")), "open request")


def test_disputed_case_needs_democratic_appraisal_first():
    inv = ready().mark_disputed()
    refused(lambda: inv.sign_review(REV, OK, True, 90000, D), "democratic appraisal")
    inv = inv.record_appraisal(Appraisal(D, ("主任",), "supports", "同意"))
    assert inv.sign_review(REV, OK, True, 90000, D).status == "reviewed"


def test_reviewer_may_not_be_an_investigator():
    exc = refused(lambda: ready().sign_review("inv-b", OK, True, 90000, D), "谁调查、谁签字、谁负责")
    assert exc.status == 403


def test_close_relatives_staff_member_may_do_nothing():
    exc = refused(lambda: fresh().record_visit(Visit(D, (A, Person(KIN, "亲")), "", "", True), REVIEW_DUE), "D21 art. 11")
    assert exc.status == 403
    refused(lambda: ready().sign_review(KIN, OK, True, 90000, D), "recuse")
    refused(lambda: fresh().ensure_may_act(KIN), "近亲属")
    fresh().ensure_may_act("someone-else")


def test_opinion_differing_from_computation_needs_a_reason():
    inv = ready()
    refused(lambda: inv.sign_review(REV, Opinion(True, 80000, ()), True, 90000, D), "override_reason")
    refused(lambda: inv.sign_review(REV, Opinion(False, 0, ()), True, 90000, D), "must give its reason")
    signed = inv.sign_review(REV, Opinion(True, 80000, (), "家庭有临时性收入"), True, 90000, D)
    assert signed.last_opinion.override_reason == "家庭有临时性收入" and signed.review_round == 1
    refused(lambda: inv.sign_review(REV, Opinion(False, 500, (), "x"), True, 90000, D), "no amount")


def test_reinvestigation_then_second_review_by_someone_who_did_not_investigate():
    reviewed = ready().sign_review(REV, OK, True, 90000, D)
    due = Due(clock="reinvestigation", due_on=D, working_days=12, starts_after=D, rule="r")
    reopened = reviewed.open_reinvestigation(D, ("obj-1",), due)
    refused(lambda: reopened.sign_review("rev-2", OK, True, 90000, D), "重新组织调查核实")
    C = Person("inv-c", "丙")
    done = reopened.complete_reinvestigation(D, False, (A, C))
    refused(lambda: done.sign_review("inv-c", OK, True, 90000, D), "谁调查")  # a re-investigator
    refused(lambda: done.sign_review("inv-b", OK, True, 90000, D), "谁调查")  # a first-round investigator
    second = done.sign_review("rev-2", OK, True, 90000, D)
    assert second.review_round == 2 and second.status == "reviewed"


def test_refusal_to_cooperate_closes_the_case():
    inv = fresh().deem_withdrawn()
    assert inv.status == "deemed_withdrawn"
    refused(lambda: inv.record_visit(Visit(D, (A, B), "", "", True), REVIEW_DUE), "deemed_withdrawn")


def test_means_take_the_larger_of_recorded_and_checked():
    inv = visited().record_household(Household(2, 30000, 0, {}), "HD-1")
    inv = inv.record_check_report(CheckReport("HD-1", "R", D, 50000, 10000, ""))
    assert inv.means() == (50000, 10000)


def test_the_running_clock_follows_the_case():
    """The work list sorts by the deadline the case runs against: the acceptance starts the
    investigation's, the home visit the review's, the signed review stops it, an objection starts the
    re-investigation's, and an ended case has none."""
    accepted = Due(clock="investigation", due_on=dt.date(2022, 3, 15), working_days=10, starts_after=D, rule="r")
    inv = Investigation.opened(case_id="c1", category=Category.DIBAO, area=Area.URBAN, committee="居委会",
                               applicant_name="张三", accepted_on=D, member_id_numbers=("x",), recused=frozenset(),
                               investigation_due=accepted)
    assert (inv.status, inv.next_clock, inv.next_due) == (Status.INVESTIGATING, Clock.INVESTIGATION, accepted.due_on)
    inv = visited(inv)
    assert (inv.next_clock, inv.next_due) == (Clock.REVIEW, REVIEW_DUE.due_on)
    inv = ready(inv).sign_review(REV, OK, True, 90000, D)
    assert (inv.status, inv.next_clock, inv.next_due) == ("reviewed", None, None)
    due = Due(clock="reinvestigation", due_on=dt.date(2022, 3, 20), working_days=5, starts_after=D, rule="r")
    inv = inv.open_reinvestigation(D, ("obj-1",), due)
    assert (inv.status, inv.next_clock, inv.next_due) == ("reinvestigating", Clock.REINVESTIGATION, due.due_on)
    assert (fresh(next_clock=Clock.INVESTIGATION).deem_withdrawn().next_clock) is None


def test_an_ended_case_stays_as_it_ended():
    withdrawn = fresh().withdrawn()
    assert withdrawn.status == "withdrawn" and withdrawn.decided() is withdrawn
    assert fresh().deem_withdrawn().withdrawn().status == "deemed_withdrawn"
    assert fresh().decided().status == "closed"
