"""The material rule table: what each application needs follows from its own content."""

from jiuzhu_contracts.base import Category

from jiuzhu_intake.domain.application import HandedIn, MemberFacts
from jiuzhu_intake.domain.materials import CONSENT, outstanding_items, required_materials

from .factories import APPLICANT, BASIC, CHILD, CONFIG, SPOUSE, content


def needed(c):
    return set(required_materials(c, CONFIG.materials))


def test_dibao_single_person_needs_the_basic_set_income_proof_and_consent():
    assert needed(content()) == set(BASIC) | {"income_proof", CONSENT}


def test_member_facts_add_their_certificates():
    disabled = MemberFacts(name="王五", id_number=SPOUSE.id_number, relation="spouse", disabled=True)
    ill_child = MemberFacts(name=CHILD.name, id_number=CHILD.id_number, relation="child", in_school=True,
                            seriously_ill=True)
    assert needed(content(members=(APPLICANT, disabled, ill_child))) == (
        set(BASIC) | {"income_proof", CONSENT, "marriage_certificate", "disability_certificate",
                      "student_certificate", "medical_records"})


def test_tekun_needs_proof_of_incapacity_and_temporary_a_hardship_statement_but_no_income_proof():
    assert "incapacity_proof" in needed(content(Category.TEKUN))
    temporary = needed(content(Category.TEMPORARY))
    assert "hardship_statement" in temporary and "income_proof" not in temporary
    assert "incapacity_proof" not in needed(content(Category.DIBAO))


def test_outstanding_lists_missing_non_conforming_and_unsigned_consent_all_at_once():
    c = content(members=(APPLICANT, SPOUSE), consent_signed=False,
                handed_in=("application_form", HandedIn("id_cards", conforming=False, problem="复印件不清晰")))
    items = {i.code: i.reason for i in outstanding_items(c, CONFIG.materials)}
    assert items == {
        "id_cards": "non_conforming: 复印件不清晰",
        "household_register": "missing",
        "income_proof": "missing",
        "marriage_certificate": "missing",
        CONSENT: "missing: not signed",
    }


def test_complete_application_has_nothing_outstanding():
    assert outstanding_items(content(), CONFIG.materials) == []
