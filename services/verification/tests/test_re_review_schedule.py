"""定期核查's schedule per household (D21 art. 31; N22 §1.3) and the re-review's rules, no I/O."""

import datetime as dt
from pathlib import Path

import pytest

from jiuzhu_contracts.base import Area, Category
from jiuzhu_contracts.events.intake import Member
from jiuzhu_contracts.events.re_review import HouseholdProfile, ReReviewCause, ReReviewOutcome
from jiuzhu_contracts.examples import synthetic_id
from jiuzhu_kernel.district_config import load_district_config
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_verification.domain import re_review_schedule as schedule
from jiuzhu_verification.domain.investigation import CheckReport, Household, Person, Visit
from jiuzhu_verification.domain.re_review import Proposal, ReReview, ReReviewStatus

RULES = load_district_config(Path(__file__).resolve().parents[3] / "config" / "urho.toml").re_review
ON = dt.date(2022, 3, 1)
ELDER = Member(name="老人", id_number=synthetic_id(born="19450101", seq="011"), relation="self")
ADULT = Member(name="成人", id_number=synthetic_id(born="19800101", seq="012"), relation="self")
CHILD = Member(name="孩子", id_number=synthetic_id(born="20100515", seq="013"), relation="child", in_school=True)


def p(members, kinds=(), facts=None, category=Category.DIBAO):
    return schedule.profile(category, members, kinds, facts or {}, ON, RULES)


def test_stable_households_yearly_changing_ones_every_six_months_tekun_yearly():
    # Nobody of working age able to work, wages or transfers only: stable → a year.
    assert p([ELDER, CHILD], ["transfer"]) is HouseholdProfile.STABLE
    assert p([ADULT.model_copy(update={"able_to_work": False}), CHILD]) is HouseholdProfile.STABLE
    assert p([ADULT.model_copy(update={"disabled": True})]) is HouseholdProfile.STABLE
    # A member of working age able to work (assessed, or presumed when not assessed): six months.
    assert p([ADULT, CHILD]) is HouseholdProfile.CHANGING
    assert p([ADULT.model_copy(update={"able_to_work": True, "disabled": True})]) is HouseholdProfile.CHANGING
    # Irregular income: a business or other income line, or the household fact.
    assert p([ELDER], ["business"]) is HouseholdProfile.CHANGING
    assert p([ELDER], facts={"irregular_income": "yes"}) is HouseholdProfile.CHANGING
    # tekun: a year, whatever the members.
    assert p([ADULT], ["business"], category=Category.TEKUN) is HouseholdProfile.TEKUN
    assert [schedule.next_on(ON, x, RULES) for x in HouseholdProfile] == [
        dt.date(2023, 3, 1), dt.date(2022, 9, 1), dt.date(2023, 3, 1)]


def test_working_age_ends_at_the_configured_birthday_and_months_end_is_kept():
    sixty = Member(name="甲", id_number=synthetic_id(born="19620301", seq="014"), relation="self")
    almost = Member(name="乙", id_number=synthetic_id(born="19620302", seq="015"), relation="self")
    assert not schedule.able_to_work(sixty, ON, RULES) and schedule.able_to_work(almost, ON, RULES)
    assert schedule.add_months(dt.date(2022, 8, 31), 6) == dt.date(2023, 2, 28)
    assert schedule.death_limit(dt.date(2022, 11, 30), RULES) == dt.date(2023, 2, 28)  # N22 §1.3: 3 months


def household(**kw) -> ReReview:
    return ReReview.scheduled(case_id="C1", category=Category.DIBAO, area=Area.URBAN, committee="居委会",
                              public_name="张*", supported_since=ON, profile=HouseholdProfile.CHANGING,
                              next_on=dt.date(2022, 9, 1), recused=frozenset({"kin"}), **kw)


A, B = Person("inv-a", "甲"), Person("inv-b", "乙")


def ready() -> ReReview:
    h = household().open(cause=ReReviewCause.PERIODIC, opened_on=dt.date(2022, 9, 1), due_on=dt.date(2022, 9, 22),
                         reasons=("D21",))
    h = h.record_visit(Visit(dt.date(2022, 9, 2), (A, B), "", "", True))
    h = h.record_household(Household(2, 100000, 0, {}, (ADULT, CHILD), ("wages",)), "HD-1")
    return h.record_check_report(CheckReport("HD-1", "R1", dt.date(2022, 9, 5), 110000, 0, ""))


def test_a_re_review_takes_a_new_cases_steps_and_rules():
    h = household()
    assert not h.is_due(dt.date(2022, 8, 31)) and h.is_due(dt.date(2022, 9, 1))
    with pytest.raises(DomainRefusal, match="no re-review open"):
        h.record_visit(Visit(ON, (A, B), "", "", True))
    opened = h.open(cause=ReReviewCause.DEATH, opened_on=dt.date(2022, 5, 3), due_on=dt.date(2022, 5, 24),
                    reasons=("户主死亡",), occurred_on=dt.date(2022, 5, 1))
    assert (opened.status, opened.due_on, opened.current.round) == (ReReviewStatus.OPEN, dt.date(2022, 5, 24), 1)
    with pytest.raises(DomainRefusal) as second:
        opened.open(cause=ReReviewCause.PETITION, opened_on=dt.date(2022, 5, 4), due_on=dt.date(2022, 5, 25),
                    reasons=("x",))
    assert "one re-review at a time" in second.value.rule
    with pytest.raises(DomainRefusal) as alone:
        opened.record_visit(Visit(dt.date(2022, 5, 4), (A, A), "", "", True))
    assert "at least two staff" in alone.value.rule
    with pytest.raises(DomainRefusal) as kin:
        opened.record_visit(Visit(dt.date(2022, 5, 4), (A, Person("kin", "亲属")), "", "", True))
    assert kin.value.status == 403
    r = ready()
    with pytest.raises(DomainRefusal) as investigator:
        r.ensure_reviewable("inv-b")
    assert "谁调查" in investigator.value.rule
    # 2 people, 1,100 元 income against 900 元 × 2: 700 元 computed. Proposing another amount, or to stop
    # while still eligible, needs the reason.
    with pytest.raises(DomainRefusal) as differs:
        r.complete("rev", Proposal(ReReviewOutcome.STOP, 0, ("x",)), True, 70000, dt.date(2022, 9, 9),
                   HouseholdProfile.CHANGING, dt.date(2023, 3, 9))
    assert differs.value.field == "override_reason"
    done = r.complete("rev", Proposal(ReReviewOutcome.CHANGE, 70000, ("收入增加",)), True, 70000,
                      dt.date(2022, 9, 9), HouseholdProfile.CHANGING, dt.date(2023, 3, 9))
    assert (done.status, done.next_on, done.current, done.done[-1].outcome) == (
        ReReviewStatus.SCHEDULED, dt.date(2023, 3, 9), None, ReReviewOutcome.CHANGE)
    assert done.lapsed().status is ReReviewStatus.LAPSED and done.lapsed().due_on is None
