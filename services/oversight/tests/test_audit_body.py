"""The audit chain hashes an event's body as ``json.loads(encode(env))`` always did: the cheaper
``body_of`` must give the same canonical bytes for every event type, or every hash after the
change would differ from what an auditor recomputes from the stream (service_layer/audit.py)."""

import datetime as dt
import json

import pytest

from jiuzhu_contracts import EVENT_TYPES, decode, encode
from jiuzhu_contracts.examples import EXAMPLES, envelope

from jiuzhu_oversight.adapters.audit_log import body_of
from jiuzhu_oversight.domain.audit_chain import GENESIS, canonical, chain_hash


def test_the_examples_cover_every_event_type():
    assert {p.event_type for p in EXAMPLES} == set(EVENT_TYPES)


@pytest.mark.parametrize("payload", EXAMPLES, ids=lambda p: p.event_type)
def test_the_body_is_the_encoded_event_byte_for_byte(payload):
    made = envelope(payload)
    # as built by a producer, as a consumer decodes it, and with an instant in microseconds in UTC
    at = dt.datetime(2022, 3, 1, 2, 0, 0, 123456, tzinfo=dt.timezone.utc)
    for env in (made, decode(encode(made)), made.model_copy(update={"occurred_at": at})):
        old = json.loads(encode(env))
        assert canonical(body_of(env)) == canonical(old)
        assert chain_hash(GENESIS, body_of(env)) == chain_hash(GENESIS, old)
