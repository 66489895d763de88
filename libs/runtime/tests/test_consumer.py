import json

import pytest
from sqlalchemy import func, insert, select

from jiuzhu_contracts import encode
from jiuzhu_contracts.examples import EXAMPLES, envelope
from jiuzhu_contracts.subjects import dead_letter_stream, event_subject, events_stream, jurisdiction_events
from jiuzhu_runtime.consumer import DEAD_LETTER_REASON, EventConsumer, Unprocessable
from jiuzhu_runtime.db import processed_events
from jiuzhu_runtime.unit_of_work import UnitOfWork

from .conftest import effects, eventually

ACCEPTED = EXAMPLES[2]


class Harness:
    def __init__(self, sessions, js, prefix, nats_url, credentials):
        self.sessions, self.js, self.prefix, self.nats_url = sessions, js, prefix, nats_url
        self.credentials = credentials
        self.failures_left: dict[str, int] = {}

    async def record_effect(self, env, uow):
        self.order.append(env.case_id)
        left = self.failures_left.get(env.case_id, 0)
        if left == "always":
            raise RuntimeError("database says no")
        if left == "unprocessable":
            raise Unprocessable("case is closed")
        if left:
            self.failures_left[env.case_id] = left - 1
            raise RuntimeError("transient failure")
        await uow.session.execute(insert(effects).values(event_id=env.event_id, case_id=env.case_id))

    async def __aenter__(self):
        self.order: list[str] = []
        self.consumer = EventConsumer(
            name="test-consumer", filter_subject=jurisdiction_events("650205", "650205001", self.prefix),
            handlers={"application_accepted": self.record_effect},
            unit_of_work=lambda: UnitOfWork(self.sessions, self.prefix), prefix=self.prefix, district="650205",
            verifier=self.credentials.verifier(self.prefix), max_deliver=3)
        await self.consumer.start(self.js)
        return self

    async def __aexit__(self, *exc):
        await self.consumer.stop()

    async def publish(self, body: bytes, msg_id: str | None = None, signed_by: str | None = "intake-650205001"):
        subject = event_subject("650205", "650205001", "application_accepted", self.prefix)
        headers = {"Nats-Msg-Id": msg_id} if msg_id else {}
        if signed_by:
            headers |= self.credentials.signer(signed_by).headers(subject, body)
        await self.js.publish(subject, body, headers=headers or None, stream=events_stream(self.prefix))

    async def effect_count(self):
        async with self.sessions() as s:
            return (await s.execute(select(func.count()).select_from(effects))).scalar_one()

    async def dead_letters(self, expected: int):
        sub = await self.js.pull_subscribe(f"{self.prefix}.dlq.>", stream=dead_letter_stream(self.prefix))
        msgs = await sub.fetch(expected, timeout=5)
        await sub.unsubscribe()
        return msgs


@pytest.fixture
async def harness(sessions, js, prefix, infrastructure):
    async with Harness(sessions, js, prefix, infrastructure.nats_url, infrastructure.credentials) as h:
        yield h


async def test_a_redelivered_event_changes_nothing(harness):
    env = envelope(ACCEPTED, case_id="c-1")
    # The same event three times, as a redelivery beyond the duplicate window would bring it.
    for i in range(3):
        await harness.publish(encode(env), msg_id=f"copy-{i}")
    await eventually(_all_acked(harness, 3))
    assert await harness.effect_count() == 1
    async with harness.sessions() as s:
        keys = (await s.execute(select(processed_events))).all()
    assert [(k.consumer, k.event_id) for k in keys] == [("test-consumer", env.event_id)]
    # The two copies published again are dead-lettered as duplicates, so operators see them.
    dead = await harness.dead_letters(2)
    assert all(d.headers[DEAD_LETTER_REASON].startswith(f"duplicate: event {env.event_id}") for d in dead)


def test_a_redelivery_of_the_same_message_is_not_a_duplicate():
    from types import SimpleNamespace

    from jiuzhu_runtime.consumer import is_duplicate

    first = SimpleNamespace(metadata=SimpleNamespace(num_delivered=1))
    again = SimpleNamespace(metadata=SimpleNamespace(num_delivered=2))  # e.g. its ack was lost
    assert is_duplicate(first) and not is_duplicate(again)


def _all_acked(harness, n):
    async def check():
        info = await harness.js.consumer_info(events_stream(harness.prefix), "test-consumer")
        return info.ack_floor.stream_seq >= n and info.num_ack_pending == 0
    return check


async def test_transient_failure_is_retried_with_backoff_then_succeeds(harness):
    env = envelope(ACCEPTED, case_id="c-2")
    harness.failures_left["c-2"] = 2
    await harness.publish(encode(env))
    await eventually(lambda: harness.effect_count(), timeout=20)
    assert harness.failures_left["c-2"] == 0
    assert harness.consumer.dead_lettered == 0


async def test_persistent_failure_is_dead_lettered_after_max_deliver_with_the_reason(harness):
    env = envelope(ACCEPTED, case_id="c-3")
    harness.failures_left["c-3"] = "always"
    await harness.publish(encode(env))
    [dead] = await harness.dead_letters(1)
    assert "failed 3 times" in dead.headers[DEAD_LETTER_REASON]
    assert "database says no" in dead.headers[DEAD_LETTER_REASON]
    assert dead.headers["Jz-Consumer"] == "test-consumer"
    assert json.loads(dead.data)["event_id"] == env.event_id
    assert await harness.effect_count() == 0
    await eventually(_all_acked(harness, 1))


@pytest.mark.parametrize("body, reason", [
    (b"\x00 not json", "malformed JSON"),
    (json.dumps({**json.loads(encode(envelope(ACCEPTED))), "event_version": 7}).encode(), "newer than"),
    (json.dumps({**json.loads(encode(envelope(ACCEPTED))), "event_type": "case_vanished"}).encode(),
     "unknown event_type"),
    (json.dumps({**json.loads(encode(envelope(ACCEPTED))), "district": None}).encode(), "district"),
])
async def test_bad_messages_are_dead_lettered_at_once_and_leave_state_untouched(harness, body, reason):
    await harness.publish(body)
    [dead] = await harness.dead_letters(1)
    assert dead.headers[DEAD_LETTER_REASON].startswith("contract:")
    assert reason in dead.headers[DEAD_LETTER_REASON]
    assert dead.data == body
    assert await harness.effect_count() == 0
    async with harness.sessions() as s:
        assert (await s.execute(select(func.count()).select_from(processed_events))).scalar_one() == 0


def _tampered(body: bytes) -> bytes:
    raw = json.loads(body)
    raw["payload"]["applicant_name"] = raw["payload"]["applicant_name"] + "X"
    return json.dumps(raw).encode()


@pytest.mark.parametrize("forge, reason", [
    ("unsigned", "unsigned message"),
    ("decision-650205001", "(decision) may not produce application_accepted"),  # the wrong service
    ("intake-650205100", "acts for jurisdiction 650205100, not 650205001"),  # the wrong jurisdiction
    ("tampered", "bad signature"),  # signed, then changed
    ("someone", "unknown signer"),
])
async def test_a_forged_envelope_is_dead_lettered_as_a_security_event_and_changes_nothing(harness, forge, reason):
    env = envelope(ACCEPTED, case_id="f-1")
    body = encode(env)
    subject = event_subject("650205", "650205001", "application_accepted", harness.prefix)
    if forge == "unsigned":
        await harness.publish(body, signed_by=None)
    elif forge == "tampered":
        headers = harness.credentials.signer("intake-650205001").headers(subject, body)
        await harness.js.publish(subject, _tampered(body), headers=headers, stream=events_stream(harness.prefix))
    elif forge == "someone":
        headers = {"Jz-Signer": "someone", "Jz-Signature": "AAAA"}
        await harness.js.publish(subject, body, headers=headers, stream=events_stream(harness.prefix))
    else:
        await harness.publish(body, signed_by=forge)
    [dead] = await harness.dead_letters(1)
    assert dead.headers[DEAD_LETTER_REASON].startswith("security: ")
    assert reason in dead.headers[DEAD_LETTER_REASON]
    assert await harness.effect_count() == 0
    async with harness.sessions() as s:
        assert (await s.execute(select(func.count()).select_from(processed_events))).scalar_one() == 0


async def test_a_genuine_event_on_the_wrong_subject_is_refused(harness):
    """Signed for one jurisdiction's subject, replayed onto another's: the signature covers the subject."""
    env = envelope(ACCEPTED, case_id="f-2")
    body = encode(env)
    elsewhere = event_subject("650205", "650205001", "application_accepted", harness.prefix)
    headers = harness.credentials.signer("intake-650205001").headers(
        event_subject("650205", "650205100", "application_accepted", harness.prefix), body)
    await harness.js.publish(elsewhere, body, headers=headers, stream=events_stream(harness.prefix))
    [dead] = await harness.dead_letters(1)
    assert "bad signature" in dead.headers[DEAD_LETTER_REASON]
    assert await harness.effect_count() == 0


async def test_unprocessable_is_dead_lettered_without_retries(harness):
    harness.failures_left["c-4"] = "unprocessable"
    await harness.publish(encode(envelope(ACCEPTED, case_id="c-4")))
    [dead] = await harness.dead_letters(1)
    assert dead.headers[DEAD_LETTER_REASON] == "unprocessable: case is closed"
    assert harness.consumer.dead_lettered == 1


async def test_events_are_applied_one_at_a_time_in_stream_order(harness):
    pass

    for i in range(200):
        await harness.publish(encode(envelope(ACCEPTED, case_id=f"o-{i:03d}")))
    await eventually(lambda: len(harness.order) >= 200, timeout=30)
    assert harness.order == [f"o-{i:03d}" for i in range(200)]
    assert await harness.effect_count() == 200


async def test_one_bad_event_in_a_batch_costs_the_others_nothing(sessions, js, prefix, infrastructure):
    """A batch is applied together; when one event fails it is applied again one event per
    savepoint: the others take effect exactly once, the bad one alone is rejected."""
    h = Harness(sessions, js, prefix, infrastructure.nats_url, infrastructure.credentials)
    h.failures_left = {"b-07": "unprocessable", "b-13": 1}
    for i in range(20):  # all on the stream before the consumer starts: they arrive in one or two batches
        await h.publish(encode(envelope(ACCEPTED, case_id=f"b-{i:02d}")))
    async with h:
        [dead] = await h.dead_letters(1)
        await eventually(_all_acked(h, 19))
        await eventually(lambda: h.consumer.processed >= 19)
    assert dead.headers[DEAD_LETTER_REASON].startswith("unprocessable")
    async with sessions() as s:
        applied = sorted(r[0] for r in await s.execute(select(effects.c.case_id)))
    assert applied == [f"b-{i:02d}" for i in range(20) if i != 7]


async def test_the_database_being_away_never_brings_a_message_to_its_dead_letter(harness):
    """Many more deliveries than max_deliver while the database refuses connections, then one
    failure of the message's own and a success: nothing is dead-lettered (issue 17, item 2)."""
    env = envelope(ACCEPTED, case_id="c-db")
    away = {"left": 6}
    own = harness.record_effect

    async def flaky(env_, uow):
        if away["left"]:
            away["left"] -= 1
            raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
        return await own(env_, uow)

    harness.consumer.handlers["application_accepted"] = flaky
    harness.failures_left["c-db"] = 1  # then one failure of its own (e.g. an event it depends on not yet seen)
    await harness.publish(encode(env))
    await eventually(lambda: harness.effect_count(), timeout=60)
    assert away["left"] == 0 and harness.failures_left["c-db"] == 0
    assert harness.consumer.dead_lettered == 0


async def test_an_event_arriving_alone_costs_one_pull_request(harness):
    """The loop looks for more only while the server says more are waiting (``num_pending``): events
    arriving one at a time cost one pull request each, not a probe and a linger after each as well."""
    nc = harness.js._nc
    requests: list[bytes] = []

    async def seen(msg):
        requests.append(msg.data)

    watcher = await nc.subscribe(f"$JS.API.CONSUMER.MSG.NEXT.{events_stream(harness.prefix)}.test-consumer", cb=seen)
    try:
        await nc.flush()
        for i in range(3):
            await harness.publish(encode(envelope(ACCEPTED, case_id=f"alone-{i}")))
            await eventually(_all_acked(harness, i + 1))
        # the request that brought the first event may have been made before the watcher began
        assert 2 <= len(requests) <= 4, [json.loads(r) for r in requests]
        assert all(json.loads(r)["batch"] == 1 for r in requests)
    finally:
        await watcher.unsubscribe()
    assert await harness.effect_count() == 3


async def test_a_handler_that_opens_a_unit_of_work_of_its_own_is_refused_and_leaves_nothing(harness):
    """A handler changes nothing but through the consumer's unit of work: its own would commit apart
    from the batch — kept when the batch is rolled back and applied again, made again at a redelivery."""
    async def own_commit(env, uow):
        async with UnitOfWork(harness.sessions, harness.prefix) as own:
            await own.session.execute(insert(effects).values(event_id=env.event_id, case_id=env.case_id))

    harness.consumer.handlers = {"application_accepted": own_commit}
    await harness.publish(encode(envelope(ACCEPTED, case_id="own-1")))
    [dead] = await harness.dead_letters(1)
    assert "opened a unit of work of its own" in dead.headers[DEAD_LETTER_REASON]
    assert await harness.effect_count() == 0
