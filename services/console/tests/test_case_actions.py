"""The case page's actions and documents mirror the services' access and stage rules."""

from jiuzhu_contracts.base import Role

from jiuzhu_console.domain.case_actions import BUREAU, DEVOLVED, CaseState, Who, actions, documents

J, PARK, DISTRICT = "650205001", "650205400", "650205"
CASE = f"{J}-2026-00007"


def who(role, jurisdiction=J, id="p1"):
    return Who(id=id, roles=frozenset({role}), jurisdiction=jurisdiction, district=DISTRICT)


def keys(person, case):
    return [a.key for a in actions(person, case)]


def kinds(person, case):
    return [d.kind for d in documents(person, case)]


def test_investigator_and_reviewer_act_at_their_stage_only():
    investigating = CaseState(CASE, "investigating")
    assert keys(who(Role.INVESTIGATOR), investigating) == ["investigate"]
    assert actions(who(Role.INVESTIGATOR), investigating)[0].href == f"/investigator/cases/{CASE}"
    assert keys(who(Role.REVIEWER), investigating) == []
    reviewing = CaseState(CASE, "under_review")
    assert keys(who(Role.REVIEWER), reviewing) == ["review"]
    assert keys(who(Role.INVESTIGATOR), reviewing) == []


def test_another_jurisdiction_gets_nothing():
    case = CaseState(CASE, "under_review")
    assert keys(who(Role.REVIEWER, "650205100"), case) == []
    assert kinds(who(Role.CLERK, "650205100"), case) == []


def test_objections_during_publicity_by_clerk_and_committee():
    case = CaseState(CASE, "in_publicity")
    assert keys(who(Role.COMMITTEE), case) == ["objection"]
    assert keys(who(Role.CLERK), case) == ["objection", "withdraw"]
    assert keys(who(Role.LEADER), case) == []


def test_leader_decides_devolved_case_when_the_decision_service_allows():
    ready = CaseState(CASE, "awaiting_decision", may_approve=True, may_refuse=True, deciding_body=DEVOLVED)
    assert keys(who(Role.LEADER), ready) == ["decide"]
    assert keys(who(Role.BUREAU_ADMIN, DISTRICT), ready) == []  # plan 三(三): devolved, the bureau no longer decides
    not_yet = CaseState(CASE, "in_publicity", deciding_body=DEVOLVED)
    assert "decide" not in keys(who(Role.LEADER), not_yet)


def test_who_investigated_or_reviewed_may_not_decide():
    ready = CaseState(CASE, "awaiting_decision", may_refuse=True, deciding_body=DEVOLVED, excluded=frozenset({"p1"}))
    assert keys(who(Role.LEADER, id="p1"), ready) == []
    assert keys(who(Role.LEADER, id="p2"), ready) == ["decide"]


def test_bureau_admin_decides_where_not_devolved():
    park = CaseState(f"{PARK}-2026-00003", "awaiting_decision", may_approve=True, may_refuse=True,
                     deciding_body=BUREAU)
    assert keys(who(Role.BUREAU_ADMIN, DISTRICT), park) == ["decide"]
    assert keys(who(Role.LEADER, PARK), park) == []
    assert keys(who(Role.INSPECTOR, DISTRICT), park) == []
    assert "confirmation-form" in kinds(who(Role.BUREAU_ADMIN, DISTRICT), park)


def test_refusal_notice_delivery_until_recorded():
    refused = CaseState(CASE, "refused", decided_approved=False, refusal_notice=True, deciding_body=DEVOLVED)
    assert keys(who(Role.CLERK), refused) == ["deliver"]
    assert keys(who(Role.LEADER), refused) == ["deliver"]
    assert keys(who(Role.COMMITTEE), refused) == []
    assert "refusal-notice" in kinds(who(Role.COMMITTEE), refused)
    delivered = CaseState(CASE, "refused", decided_approved=False, refusal_notice=True,
                          refusal_notice_delivered=True, deciding_body=DEVOLVED)
    assert keys(who(Role.CLERK), delivered) == []


def test_end_support_and_door_card_for_a_supported_household():
    approved = CaseState(CASE, "approved", decided_approved=True, supported=True, deciding_body=DEVOLVED)
    assert keys(who(Role.LEADER), approved) == ["end_support"]
    assert keys(who(Role.CLERK), approved) == []
    assert kinds(who(Role.CLERK), approved) == ["receipt", "confirmation-form", "door-card"]
    assert kinds(who(Role.INSPECTOR, DISTRICT), approved) == []  # no document route admits an inspector
    assert keys(who(Role.INSPECTOR, DISTRICT), approved) == []


def test_no_door_card_for_a_low_income_household():
    """Registered, not paid (D21 art. 8): publicity prints no door card for it, so none is offered."""
    low = CaseState(CASE, "approved", decided_approved=True, supported=True, deciding_body=DEVOLVED,
                    category="low_income")
    assert kinds(who(Role.CLERK), low) == ["receipt", "confirmation-form"]
    assert keys(who(Role.LEADER), low) == ["end_support"]  # still supported: its support can be ended


def test_documents_exist_only_at_their_stage():
    early = CaseState(CASE, "investigating")
    assert kinds(who(Role.CLERK), early) == ["receipt"]
    assert kinds(who(Role.LEADER), early) == []


def test_the_clerk_offers_withdrawal_until_the_decision():
    for stage in ("investigating", "under_review", "reviewed", "in_publicity", "awaiting_decision", "reinvestigating"):
        case = CaseState(CASE, stage)
        assert "withdraw" in keys(who(Role.CLERK), case), stage
        assert actions(who(Role.CLERK), case)[-1].href == f"/clerk/cases/{CASE}/withdrawal"
    for stage in ("approved", "refused", "ended", "withdrawn", "deemed_withdrawn"):  # intake: 409 from here on
        assert "withdraw" not in keys(who(Role.CLERK), CaseState(CASE, stage)), stage
    # decided, though intake's view of the stage has not caught up yet
    assert "withdraw" not in keys(who(Role.CLERK), CaseState(CASE, "awaiting_decision", decided_approved=False))


def test_withdrawal_is_the_clerks_of_the_cases_own_jurisdiction():
    case = CaseState(CASE, "investigating")
    for role in (Role.COMMITTEE, Role.LEADER, Role.INVESTIGATOR, Role.REVIEWER):
        assert "withdraw" not in keys(who(role), case), role
    assert "withdraw" not in keys(who(Role.CLERK, "650205100"), case)
    assert keys(who(Role.INSPECTOR, DISTRICT), case) == [] and keys(who(Role.BUREAU_ADMIN, DISTRICT), case) == []
