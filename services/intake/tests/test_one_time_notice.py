"""一次性告知: one notice with everything; afterwards only what it listed, or what the new
submission itself made necessary."""

from dataclasses import replace

import pytest

from jiuzhu_contracts.examples import synthetic_id
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_intake.domain.application import HandedIn, MemberFacts
from jiuzhu_intake.domain.one_time_notice import PriorNotice, assess

from .factories import APPLICANT, CONFIG, SPOUSE, content


def first_visit():
    c = content(members=(APPLICANT, SPOUSE), handed_in=("application_form", "id_cards"))
    result = assess(c, CONFIG.materials)
    assert not result.complete
    return c, PriorNotice("BZ-1", result.items, c)


def test_first_notice_lists_every_item():
    _, notice = first_visit()
    assert notice.listed == {"household_register", "income_proof", "marriage_certificate"}


def test_bringing_everything_listed_is_accepted():
    c, notice = first_visit()
    back = replace(c, handed_in=c.handed_in + tuple(HandedIn(code) for code in notice.listed))
    result = assess(back, CONFIG.materials, notice)
    assert result.complete and result.waived == ()


def test_still_missing_listed_items_may_be_asked_again():
    c, notice = first_visit()
    back = replace(c, handed_in=c.handed_in + (HandedIn("household_register"),))
    assert {i.code for i in assess(back, CONFIG.materials, notice).items} == {"income_proof", "marriage_certificate"}


def test_a_second_notice_may_not_add_an_item_the_first_did_not_list():
    c, notice = first_visit()
    # At the return visit the clerk now finds the ID cards, accepted the first time, unacceptable.
    back = replace(c, handed_in=(HandedIn("application_form"), HandedIn("id_cards", False, "过期"))
                   + tuple(HandedIn(code) for code in notice.listed))
    with pytest.raises(DomainRefusal) as refused:
        assess(back, CONFIG.materials, notice)
    assert "not listed in notice BZ-1" in refused.value.message
    assert refused.value.field == "materials.id_cards"


def test_an_item_the_rules_wanted_but_the_notice_missed_is_waived_not_demanded():
    c = content(members=(APPLICANT,), handed_in=("application_form",))
    # A faulty notice that forgot the household register: the household cannot be made to pay for it.
    faulty = PriorNotice("BZ-2", tuple(i for i in assess(c, CONFIG.materials).items
                                       if i.code != "household_register"), c)
    back = replace(c, handed_in=c.handed_in + tuple(HandedIn(code) for code in faulty.listed))
    result = assess(back, CONFIG.materials, faulty)
    assert result.complete and result.waived == ("household_register",)


def test_what_the_new_submission_makes_necessary_may_be_asked():
    c, notice = first_visit()
    disabled_child = MemberFacts(name="张小四", id_number=synthetic_id(born="20120101", seq="044"), relation="child", disabled=True)
    back = replace(c, members=c.members + (disabled_child,),
                   handed_in=c.handed_in + tuple(HandedIn(code) for code in notice.listed))
    result = assess(back, CONFIG.materials, notice)
    assert [i.code for i in result.items] == ["disability_certificate"]
