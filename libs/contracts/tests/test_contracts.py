import datetime as dt
import json

import pytest
from pydantic import ValidationError

from jiuzhu_contracts import ContractError, Envelope, UnknownEventType, decode, encode
from jiuzhu_contracts import registry
from jiuzhu_contracts.events import ALL_EVENTS, ApplicationWithdrawn, CaseApproved
from jiuzhu_contracts.examples import EXAMPLES, envelope
from jiuzhu_contracts.registry import UnknownEventVersion
from jiuzhu_contracts.subjects import (
    dead_letter_subject,
    district_events,
    event_subject,
    event_type_events,
    jurisdiction_events,
)


def test_every_event_has_an_example_and_round_trips():
    assert {type(e) for e in EXAMPLES} == set(ALL_EVENTS)
    for example in EXAMPLES:
        env = envelope(example)
        back = decode(encode(env))
        assert back == env
        assert type(back.payload) is type(example)


def test_event_names_are_past_tense_and_unique():
    names = [cls.event_type for cls in ALL_EVENTS]
    assert len(names) == len(set(names))
    past = ("ed", "held", "withdrawn", "followed_up", "paid")  # a phrasal verb in the past: discovery_followed_up; paid: irregular
    assert all(name.endswith(past) for name in names), [n for n in names if not n.endswith(past)]


def test_envelopes_are_frozen_and_time_is_aware():
    env = envelope(EXAMPLES[0])
    with pytest.raises(ValidationError):
        env.case_id = "x"
    with pytest.raises(ValidationError, match="timezone"):
        Envelope[ApplicationWithdrawn].model_validate(
            {**json.loads(encode(envelope(ApplicationWithdrawn(withdrawn_on=dt.date(2022, 3, 1), reason="r")))),
             "occurred_at": "2022-03-01T10:00:00"})


def test_money_is_integer_fen_never_float():
    approved = next(e for e in EXAMPLES if isinstance(e, CaseApproved))
    data = approved.model_dump()
    with pytest.raises(ValidationError, match="integer"):
        CaseApproved.model_validate({**data, "amount_fen": 1300.5})
    with pytest.raises(ValidationError, match="integer"):
        CaseApproved.model_validate({**data, "amount_fen": 1300.0})
    with pytest.raises(ValidationError):
        CaseApproved.model_validate({**data, "amount_fen": -1})


def test_case_events_need_a_case_id():
    with pytest.raises(ValueError, match="needs a case_id"):
        envelope(EXAMPLES[0], case_id="")


def test_chain_carries_correlation_and_causation():
    first = envelope(EXAMPLES[0])
    second = Envelope.wrap(EXAMPLES[2], district="650205", jurisdiction="650205001", actor=first.actor,
                           occurred_at=first.occurred_at, case_id="c", caused_by=first)
    assert second.correlation_id == first.event_id and second.causation_id == first.event_id
    assert second.event_id > first.event_id  # ULIDs sort by creation


@pytest.mark.parametrize("raw, error, text", [
    (b"{not json", ContractError, "malformed JSON"),
    (b"[1,2]", ContractError, "JSON object"),
    (json.dumps({"event_type": "case_teleported", "event_version": 1}).encode(), UnknownEventType, "unknown"),
    (json.dumps({"event_type": "case_approved"}).encode(), ContractError, "event_version"),
])
def test_undecodable_messages_say_why(raw, error, text):
    with pytest.raises(error, match=text):
        decode(raw)


def test_newer_version_is_refused_and_invalid_fields_are_named():
    body = json.loads(encode(envelope(EXAMPLES[0])))
    with pytest.raises(UnknownEventVersion, match="newer"):
        decode({**body, "event_version": 99})
    with pytest.raises(ContractError, match="payload.household_size"):
        decode({**body, "payload": {**body["payload"], "household_size": 0}})


def test_older_version_is_upcast(monkeypatch):
    v1 = json.loads(encode(envelope(ApplicationWithdrawn(withdrawn_on=dt.date(2022, 3, 1), reason="moved away"))))
    monkeypatch.setattr(ApplicationWithdrawn, "version", 2)
    with pytest.raises(UnknownEventVersion, match="no upcaster"):
        decode(v1)
    monkeypatch.setitem(registry.UPCASTERS, ("application_withdrawn", 1),
                        lambda p: {**p, "reason": p["reason"].upper()})
    upcast = decode(v1)
    assert upcast.event_version == 2 and upcast.payload.reason == "MOVED AWAY"


def test_subjects_let_integrators_pick_a_slice():
    assert event_subject("650205", "650205001", "case_approved") == "jiuzhu.evt.650205.650205001.case_approved"
    assert jurisdiction_events("650205", "650205001") == "jiuzhu.evt.650205.650205001.>"
    assert district_events("650205") == "jiuzhu.evt.650205.>"
    assert event_type_events("case_approved") == "jiuzhu.evt.*.*.case_approved"
    assert dead_letter_subject("650205", "intake-liushujie") == "jiuzhu.dlq.650205.intake-liushujie"
    with pytest.raises(ValueError, match="subject token"):
        event_subject("650205", "650.205", "case_approved")


def test_a_re_review_proposing_to_stop_proposes_no_amount():
    from jiuzhu_contracts.events import ReReviewCompleted
    from jiuzhu_contracts.events.re_review import ReReviewOutcome

    example = next(e for e in EXAMPLES if isinstance(e, ReReviewCompleted))
    stopped = ReReviewCompleted.model_validate({**example.model_dump(), "outcome": "stop", "proposed_amount_fen": 0})
    assert stopped.outcome is ReReviewOutcome.STOP
    with pytest.raises(ValidationError, match="proposes no amount"):
        ReReviewCompleted.model_validate({**example.model_dump(), "outcome": "stop"})


def test_a_discovery_follow_up_is_an_application_with_its_authorisation_or_a_closing_with_a_reason():
    """主动发现 (plan 四(三)2): 代为申请 names the application and the household's authorisation;
    a closed report states why and made no application."""
    from jiuzhu_contracts.events.discovery import ClosingReason, DiscoveryFollowedUp, DiscoveryOutcome
    from jiuzhu_contracts.examples import AUTHORISATION

    made = next(e for e in EXAMPLES if isinstance(e, DiscoveryFollowedUp))
    data = made.model_dump()
    with pytest.raises(ValidationError, match="authorisation"):
        DiscoveryFollowedUp.model_validate({**data, "authorisation": None})
    closed = {**data, "outcome": DiscoveryOutcome.CLOSED, "application_id": None, "case_id": None,
              "authorisation": None, "closing_reason": ClosingReason.DECLINED, "note": "户主表示暂不申请"}
    assert DiscoveryFollowedUp.model_validate(closed).closing_reason is ClosingReason.DECLINED
    with pytest.raises(ValidationError, match="states its reason"):
        DiscoveryFollowedUp.model_validate({**closed, "closing_reason": None})
    with pytest.raises(ValidationError, match="made no application"):
        DiscoveryFollowedUp.model_validate({**closed, "authorisation": AUTHORISATION})


def test_an_application_made_on_behalf_carries_the_report_and_the_authorisation_and_old_ones_still_read():
    from jiuzhu_contracts.events import ApplicationAccepted
    from jiuzhu_contracts.examples import ON_BEHALF

    accepted = next(e for e in EXAMPLES if isinstance(e, ApplicationAccepted))
    assert accepted.on_behalf is None  # an application before active discovery decodes unchanged
    on_behalf = accepted.model_copy(update={"on_behalf": ON_BEHALF})
    back = decode(encode(envelope(on_behalf)))
    assert back.payload.on_behalf.authorisation.signed_by == "张三"
    assert back.payload.on_behalf.report_no == "650205001-FX-2022-00001"
