"""The case page reads the decision service's answer into the state the actions are decided on."""

from jiuzhu_console.domain.case_actions import BUREAU
from jiuzhu_console.entrypoints.pages.leader import reasons_of
from jiuzhu_console.service_layer.case_view import state_of

CASE = "650205400-2026-00006"
AUTHORITY = [{"category": "dibao", "body": BUREAU}, {"category": "tekun", "body": "jurisdiction"}]


def decision(**changes):
    base = {"status": "in_procedure", "review": {"round": 1, "eligible": True}, "clean_review_round": 0,
            "decision": None, "refusal_notice": None, "recused": [], "investigated_by": ["inv-a"],
            "reviewed_by": ["rev-1"]}
    return base | changes


def test_eligible_review_in_publicity_may_not_be_decided_yet():
    state = state_of(CASE, "in_publicity", decision(), AUTHORITY, "dibao")
    assert (state.may_approve, state.may_refuse) == (False, False) and state.deciding_body == BUREAU
    assert state.excluded == {"inv-a", "rev-1"}


def test_clean_publicity_may_be_approved_or_refused():
    state = state_of(CASE, "awaiting_decision", decision(clean_review_round=1), AUTHORITY, "dibao")
    assert (state.may_approve, state.may_refuse) == (True, True)


def test_ineligible_review_may_only_be_refused():
    state = state_of(CASE, "reviewed", decision(review={"round": 1, "eligible": False}), AUTHORITY, "dibao")
    assert (state.may_approve, state.may_refuse) == (False, True)


def test_refused_with_notice_pending_delivery():
    state = state_of(CASE, "refused", decision(status="decided", decision={"approved": False},
                                               refusal_notice={"notice_no": "BY-1", "delivered_on": None}),
                     AUTHORITY, "dibao")
    assert state.refusal_notice and not state.refusal_notice_delivered and not state.supported


def test_reasons_one_a_line():
    assert reasons_of(" 收入高于标准 \n\n 财产超过限额\n") == ["收入高于标准", "财产超过限额"]
