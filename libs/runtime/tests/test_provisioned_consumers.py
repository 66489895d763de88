"""The operator provisions every durable consumer (``jiuzhu_runtime.streams.provision``), each on the
event types its service handles (``jiuzhu_contracts.consumers``); a service only binds to its own.
A consumer an older release made with the whole jurisdiction as its filter is narrowed in place by the
provisioning, keeping its position; a service whose consumer is missing, or leaves out a type it
handles, refuses to start and says what is missing."""

import pytest

from jiuzhu_contracts import encode
from jiuzhu_contracts.consumers import (HANDLED, DurableConsumer, covers, district_consumers, handled_events,
                                       instance_consumers)
from jiuzhu_contracts.examples import EXAMPLES, envelope
from jiuzhu_contracts.subjects import event_subject, events_stream, jurisdiction_events
from jiuzhu_runtime.consumer import DEAD_LETTER_REASON, EventConsumer
from jiuzhu_runtime.pull_loop import ConsumerMissing
from jiuzhu_runtime.streams import ensure_consumers, provision
from jiuzhu_runtime.unit_of_work import UnitOfWork

from .conftest import eventually
from .test_consumer import ACCEPTED, Harness, _all_acked

SUBMITTED = EXAMPLES[0]  # application_submitted: on the same jurisdiction's subjects, handled by no one here
J1 = "650205001"


def test_the_filters_are_the_handled_types_subjects():
    assert handled_events({"b_done": None, "a_done": None}, "650205", J1, "jz") == (
        "jz.evt.650205.650205001.a_done", "jz.evt.650205.650205001.b_done")
    [main, calendar] = instance_consumers("publicity", J1, "650205", [J1], "jz")
    assert (main.stream, main.durable) == ("JZ_EVENTS", "publicity-650205001")
    assert main.filter_subjects == tuple(f"jz.evt.650205.650205001.{t}" for t in sorted(HANDLED["publicity"]))
    assert calendar.filter_subjects == ("jz.evt.650205.650205.holiday_calendar_published",)
    # a district service: the types it handles in every jurisdiction of the district (and the district's own)
    assert instance_consumers("disbursement", None, "650205", [J1], "jz")[0].filter_subjects[0] == \
        "jz.evt.650205.*.case_approved"
    # oversight: every subject, a partition per jurisdiction and one for the district's own events
    oversight = {c.durable: c for c in instance_consumers("oversight", None, "650205", [J1], "jz")}
    assert oversight["oversight-650205001"].filter_subjects == ("jz.evt.650205.650205001.>",)
    assert oversight["oversight-650205"].start_after == "oversight"
    assert oversight["oversight-dead-letters"].stream == "JZ_DLQ"
    names = [c.durable for c in district_consumers("650205", [J1, "650205100"], "jz")]
    assert len(names) == len(set(names)) and "decision-650205100-transfers-in" in names


def test_covers_is_nats_matching():
    assert covers("jz.evt.650205.650205001.>", "jz.evt.650205.650205001.case_approved")
    assert covers("jz.evt.650205.*.case_approved", "jz.evt.650205.*.case_approved")
    assert not covers("jz.evt.650205.650205001.case_approved", "jz.evt.650205.*.case_approved")
    assert not covers("jz.evt.650205.650205001.case_refused", "jz.evt.650205.650205001.case_approved")
    assert not covers("jz.evt.650205.650205001.>", "jz.evt.650205.650205001")


def _consumer(h: Harness, filter_subject, *, bind: bool) -> EventConsumer:
    return EventConsumer(name="test-consumer", filter_subject=filter_subject,
                         handlers={"application_accepted": h.record_effect},
                         unit_of_work=lambda: UnitOfWork(h.sessions, h.prefix), prefix=h.prefix, district="650205",
                         verifier=h.credentials.verifier(h.prefix), max_deliver=3, bind=bind)


async def test_a_bound_consumer_that_is_missing_or_too_narrow_refuses_to_start(sessions, js, prefix, infrastructure):
    h = Harness(sessions, js, prefix, infrastructure.nats_url, infrastructure.credentials)
    handled = handled_events(["application_accepted", "case_approved"], "650205", J1, prefix)
    with pytest.raises(ConsumerMissing, match="test-consumer .* does not exist: the operator provisions"):
        await _consumer(h, handled, bind=True).start(js)
    with pytest.raises(Exception):  # and it did not create one
        await js.consumer_info(events_stream(prefix), "test-consumer")
    stream = events_stream(prefix)
    await ensure_consumers(js, [DurableConsumer(stream, "test-consumer", handled[:1])])
    with pytest.raises(ConsumerMissing, match=r"leaves out \['" + prefix + r"\.evt\.650205\.650205001\.case_approved"):
        await _consumer(h, handled, bind=True).start(js)
    assert (await js.consumer_info(stream, "test-consumer")).config.filter_subject == handled[0]  # unchanged


async def test_a_consumer_that_takes_more_than_is_handled_binds_and_says_so(sessions, js, prefix, infrastructure,
                                                                           caplog):
    h = Harness(sessions, js, prefix, infrastructure.nats_url, infrastructure.credentials)
    handled = handled_events(["application_accepted", "case_approved"], "650205", J1, prefix)
    await ensure_consumers(js, [DurableConsumer(events_stream(prefix), "test-consumer", handled)])
    consumer = _consumer(h, handled[:1], bind=True)
    await consumer.start(js)
    await consumer.stop()
    assert f"also takes ['{handled[1]}'], which nothing here handles" in caplog.text


async def test_an_old_consumer_is_narrowed_by_the_operator_and_keeps_its_place(sessions, js, prefix, infrastructure):
    h = Harness(sessions, js, prefix, infrastructure.nats_url, infrastructure.credentials)
    h.order = []
    stream = events_stream(prefix)
    old = _consumer(h, jurisdiction_events("650205", J1, prefix), bind=False)  # as an older release made it
    await old.start(js)
    try:
        for i in range(2):
            await h.publish(encode(envelope(ACCEPTED, case_id=f"old-{i}")))
        await eventually(_all_acked(h, 2))
    finally:
        await old.stop()
    before = await js.consumer_info(stream, "test-consumer")
    assert before.delivered.consumer_seq == 2 and h.order == ["old-0", "old-1"]
    h.order.clear()

    # While it is stopped (an operator upgrading a running district): a type it does not handle, one it
    # handles, and a malformed message on the subject of a type it handles.
    submitted = event_subject("650205", J1, "application_submitted", prefix)
    body = encode(envelope(SUBMITTED, case_id="not-mine"))
    await js.publish(submitted, body, headers=h.credentials.signer("intake-650205001").headers(submitted, body),
                     stream=stream)
    await h.publish(encode(envelope(ACCEPTED, case_id="new-0")))
    await h.publish(b"{not json")

    handled = handled_events(["application_accepted", "case_approved"], "650205", J1, prefix)
    await provision(js, prefix, consumers=[DurableConsumer(stream, "test-consumer", handled)])  # the upgrade
    new = _consumer(h, handled, bind=True)  # the new release binds to it
    await new.start(js)
    try:
        [dead] = await h.dead_letters(1)
        assert "malformed JSON" in dead.headers[DEAD_LETTER_REASON]
        await eventually(lambda: h.effect_count(), timeout=20)
        await eventually(_all_acked(h, 5))
        info = await js.consumer_info(stream, "test-consumer")
    finally:
        await new.stop()
    assert info.config.filter_subjects == list(handled) and not info.config.filter_subject
    assert info.config.deliver_policy == before.config.deliver_policy
    # Its place was kept: the two it had applied were not delivered again, and of the three that came
    # while it was stopped it was given the two on its subjects (consumer sequence 2 -> 4), never the other.
    assert info.delivered.consumer_seq == 4 and info.num_redelivered == 0
    assert h.order == ["new-0"]
    assert new.processed == 1 and new.dead_lettered == 1
    assert await h.effect_count() == 3


async def test_a_partition_created_after_the_consumer_it_replaces_begins_after_its_acknowledged_floor(js, prefix):
    stream = events_stream(prefix)
    for i in range(3):
        await js.publish(event_subject("650205", J1, "application_submitted", prefix), b"{}", stream=stream)
    sub = await js.pull_subscribe(jurisdiction_events("650205", J1, prefix), durable="legacy", stream=stream)
    for msg in await sub.fetch(2, timeout=5):
        await msg.ack_sync()
    await sub.unsubscribe()
    await provision(js, prefix, consumers=[
        DurableConsumer(stream, "legacy-650205001", (jurisdiction_events("650205", J1, prefix),), start_after="legacy"),
        DurableConsumer(stream, "fresh", (jurisdiction_events("650205", J1, prefix),), start_after="nobody")])
    partition = await js.consumer_info(stream, "legacy-650205001")
    fresh = await js.consumer_info(stream, "fresh")
    assert partition.config.opt_start_seq == 3 and partition.num_pending == 1
    assert fresh.num_pending == 3  # no consumer before it: from the stream's first message
    await provision(js, prefix, consumers=[  # provisioning again changes nothing
        DurableConsumer(stream, "legacy-650205001", (jurisdiction_events("650205", J1, prefix),), start_after="legacy")])
    assert (await js.consumer_info(stream, "legacy-650205001")).config == partition.config


async def test_the_operator_sets_the_ack_wait_and_changes_it_in_place(js, prefix):
    """The services only bind, so their ack wait (JZ_ACK_WAIT_SECONDS) is set where the consumers are
    provisioned; provisioning again with another changes it and keeps the consumer's place."""
    stream = events_stream(prefix)
    subject = event_subject("650205", J1, "application_submitted", prefix)
    consumer = DurableConsumer(stream, "acked-slowly", (subject,))
    await provision(js, prefix, consumers=[consumer], ack_wait_seconds=12)
    assert (await js.consumer_info(stream, "acked-slowly")).config.ack_wait == 12
    for _ in range(3):
        await js.publish(subject, b"{}", stream=stream)
    sub = await js.pull_subscribe_bind(durable="acked-slowly", stream=stream)
    for msg in await sub.fetch(2, timeout=5):
        await msg.ack_sync()
    await sub.unsubscribe()
    await provision(js, prefix, consumers=[consumer], ack_wait_seconds=45)
    info = await js.consumer_info(stream, "acked-slowly")
    assert info.config.ack_wait == 45 and info.ack_floor.stream_seq == 2 and info.num_pending == 1
