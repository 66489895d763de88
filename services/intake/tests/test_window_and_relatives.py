
import pytest

from jiuzhu_contracts.base import Category
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_intake.domain.case_stage import may_withdraw, next_stage
from jiuzhu_intake.domain.close_relatives import RegisteredRelative, flag_close_relatives
from jiuzhu_intake.domain.form_rules import form_problems
from jiuzhu_intake.domain.application import HandedIn
from jiuzhu_intake.domain.window import check_window, refuse_duplicate

from .factories import APPLICANT, CHILD, CONFIG, LIUSHUJIE, PARK, SPOUSE, URHO_TOWN, content


def test_right_window_passes():
    check_window(content(), LIUSHUJIE, CONFIG)


def test_wrong_window_names_the_jurisdiction_to_go_to():
    with pytest.raises(DomainRefusal) as refused:
        check_window(content(registration_jurisdiction=URHO_TOWN), LIUSHUJIE, CONFIG)
    assert "乌尔禾镇人民政府 (650205100)" in refused.value.message
    assert refused.value.status == 422 and refused.value.details == {"go_to": URHO_TOWN}
    assert "户籍所在地" in refused.value.rule


def test_registration_outside_the_district_is_sent_home():
    with pytest.raises(DomainRefusal, match="outside 乌尔禾区"):
        check_window(content(registration_jurisdiction="650202001"), LIUSHUJIE, CONFIG)


def test_temporary_assistance_goes_where_the_emergency_happened():
    emergency = content(Category.TEMPORARY, registration_jurisdiction=URHO_TOWN, emergency_jurisdiction=PARK)
    check_window(emergency, PARK, CONFIG)
    with pytest.raises(DomainRefusal) as refused:
        check_window(emergency, URHO_TOWN, CONFIG)
    assert refused.value.field == "emergency_jurisdiction"


def test_duplicate_open_case_is_refused_with_its_number():
    refuse_duplicate(None, Category.DIBAO)
    with pytest.raises(DomainRefusal, match="650205001-2022-00007") as refused:
        refuse_duplicate("650205001-2022-00007", Category.DIBAO)
    assert refused.value.status == 409


def test_close_relative_of_staff_is_flagged_with_the_staff_ids():
    register = [RegisteredRelative("clerk-9", CHILD.id_number, "grandchild"),
                RegisteredRelative("cadre-2", CHILD.id_number, "child"),
                RegisteredRelative("inv-5", "110105194912310029", "sibling")]
    flag = flag_close_relatives((APPLICANT, CHILD), register)
    assert flag.staff_ids == ("cadre-2", "clerk-9")
    assert flag.member_id_numbers == (CHILD.id_number,)
    assert flag_close_relatives((APPLICANT, SPOUSE), register) is None


def test_form_problems_are_all_named_at_once():
    c = content(committee="别处的居委会", handed_in=(HandedIn("passport"), HandedIn("id_cards", False)))
    fields = [p["field"] for p in form_problems(c, CONFIG, LIUSHUJIE)]
    assert fields == ["committee", "materials.0.code", "materials.1.problem"]


def test_stage_follows_events_and_a_closed_case_stays_closed():
    assert next_stage("investigating", "home_visit_recorded") == "under_review"
    assert next_stage("investigating", "household_recorded") == "investigating"
    assert next_stage("withdrawn", "review_signed") == "withdrawn"
    assert next_stage("under_review", "application_accepted") == "under_review"  # relayed late
    assert may_withdraw("in_publicity") and not may_withdraw("approved") and not may_withdraw("withdrawn")



def test_a_late_registration_flags_open_and_supported_cases_unless_the_staff_member_already_recuses():
    from jiuzhu_intake.domain.close_relatives import late_flag, may_be_flagged_late

    relative = RegisteredRelative("inv-9", CHILD.id_number, "child")
    flag = late_flag(relative, ("clerk-1",))
    assert flag.staff_ids == ("inv-9",) and flag.member_id_numbers == (CHILD.id_number,)
    assert late_flag(relative, ("inv-9",)) is None
    assert [may_be_flagged_late(s) for s in ("investigating", "in_publicity", "approved")] == [True] * 3
    assert [may_be_flagged_late(s) for s in ("refused", "withdrawn", "deemed_withdrawn", "ended")] == [False] * 4
