import asyncio

from sqlalchemy import select

from jiuzhu_contracts import decode
from jiuzhu_contracts.examples import EXAMPLES, envelope
from jiuzhu_contracts.subjects import events_stream
from jiuzhu_runtime.db import outbox
from jiuzhu_runtime.relay import OutboxRelay, jetstream_publisher
from jiuzhu_runtime.unit_of_work import UnitOfWork

from .conftest import eventually


class KilledBetweenPublishAndMarkSent(RuntimeError):
    pass


class RelayKilledAfterPublish(OutboxRelay):
    async def _mark_sent(self, session, sent):
        raise KilledBetweenPublishAndMarkSent(sent)


async def stream_messages(js, prefix) -> int:
    return (await js.stream_info(events_stream(prefix))).state.messages


async def test_state_and_event_commit_together_or_not_at_all(sessions, prefix):
    env = envelope(EXAMPLES[2])
    try:
        async with UnitOfWork(sessions, prefix) as uow:
            await uow.emit(env)
            raise ValueError("the state change failed")
    except ValueError:
        pass
    async with sessions() as s:
        assert (await s.execute(select(outbox))).all() == []
    async with UnitOfWork(sessions, prefix) as uow:
        await uow.emit(env)
    async with sessions() as s:
        row = (await s.execute(select(outbox))).one()
    assert row.subject == f"{prefix}.evt.650205.650205001.application_accepted"
    assert decode(row.body) == env and row.published_at is None


async def test_published_exactly_once_when_relay_is_killed_between_publish_and_mark_sent(sessions, js, prefix):
    env = envelope(EXAMPLES[2])
    async with UnitOfWork(sessions, prefix) as uow:
        await uow.emit(env)
    publish = jetstream_publisher(js)

    killed = RelayKilledAfterPublish(sessions, publish, prefix)
    try:
        await killed.publish_pending()
        raise AssertionError("the relay should have been killed")
    except KilledBetweenPublishAndMarkSent:
        pass
    assert await stream_messages(js, prefix) == 1
    relay = OutboxRelay(sessions, publish, prefix)
    assert await relay.pending() == 1  # the kill lost the mark, not the row

    assert await relay.publish_pending() == 1
    assert relay.duplicates == 1  # JetStream recognised the Nats-Msg-Id
    assert await stream_messages(js, prefix) == 1
    assert await relay.pending() == 0
    async with sessions() as s:
        row = (await s.execute(select(outbox))).one()
    assert row.published_at is not None and row.stream_seq == 1  # kept, with its sequence, for re-driving
    msg = await js.get_msg(events_stream(prefix), 1)
    assert msg.headers["Nats-Msg-Id"] == env.event_id
    assert decode(msg.data) == env


async def test_two_relays_never_send_the_same_row(sessions, js, prefix):
    for i in range(300):
        async with UnitOfWork(sessions, prefix) as uow:
            await uow.emit(envelope(EXAMPLES[3], case_id=f"case-{i}"))
    calls: list[str] = []
    raw = jetstream_publisher(js)

    async def counting(subject, body, headers, stream):
        calls.append(headers["Nats-Msg-Id"])
        await asyncio.sleep(0)  # let the other relay interleave
        return await raw(subject, body, headers, stream)

    a, b = (OutboxRelay(sessions, counting, prefix, batch=20) for _ in range(2))

    async def drain(relay):
        while await relay.publish_pending():
            pass

    await asyncio.gather(drain(a), drain(b))
    assert len(calls) == 300 and len(set(calls)) == 300
    assert a.published > 0 and b.published > 0
    assert a.duplicates == b.duplicates == 0
    assert await stream_messages(js, prefix) == 300


async def test_relay_keeps_rows_while_nats_is_unreachable_and_sends_them_once_it_is_back(sessions, js, prefix):
    async with UnitOfWork(sessions, prefix) as uow:
        await uow.emit(envelope(EXAMPLES[2]))
    attempts: list[str] = []
    reachable = asyncio.Event()
    raw = jetstream_publisher(js)

    async def flaky(subject, body, headers, stream):
        attempts.append(headers["Nats-Msg-Id"])
        if not reachable.is_set():
            raise ConnectionError("nats is down")
        return await raw(subject, body, headers, stream)

    relay = OutboxRelay(sessions, flaky, prefix)
    task = asyncio.create_task(relay.run(idle_poll_seconds=0.05))
    try:
        await eventually(lambda: len(attempts) >= 3)  # it keeps trying, with back-off …
        assert await relay.pending() == 1  # … and keeps the row meanwhile
        reachable.set()
        await eventually(lambda: relay.published == 1)
    finally:
        task.cancel()
    assert await relay.pending() == 0
    assert await stream_messages(js, prefix) == 1


async def marked(sessions, n: int) -> bool:
    """``n`` rows are marked sent in the table."""
    async with sessions() as s:
        return len((await s.execute(select(outbox.c.event_id).where(outbox.c.published_at.is_not(None)))).all()) == n


def count_outbox_selects(engine) -> list[str]:
    """The statements that read the outbox table (the relay's look), as they run."""
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "FROM outbox" in statement:
            seen.append(statement)

    from sqlalchemy import event
    event.listen(engine.sync_engine, "before_cursor_execute", before)
    return seen


async def test_a_commit_hands_its_rows_to_the_relay_which_publishes_them_without_reading_the_table(
        engine, sessions, js, prefix):
    relay = OutboxRelay(sessions, jetstream_publisher(js), prefix)
    task = asyncio.create_task(relay.run(idle_poll_seconds=30))
    try:
        await eventually(lambda: relay._clean)  # it looked once, at start, and found nothing
        looks = count_outbox_selects(engine)
        envs = [envelope(EXAMPLES[3], case_id=f"case-{i}") for i in range(3)]
        async with UnitOfWork(sessions, prefix, relay.wake, hand_to_relay=relay.hand,
                              relay_look_again=relay.look_again) as uow:
            for env in envs:
                await uow.emit(env)
        await eventually(lambda: relay.published == 3)
        assert relay.handed_sent == 3 and looks == []  # handed, not read back
        assert await relay.pending() == 0  # published (marked within the half second)
        await eventually(lambda: marked(sessions, 3))
    finally:
        task.cancel()
    assert await stream_messages(js, prefix) == 3
    ids = [decode((await js.get_msg(events_stream(prefix), seq)).data).event_id for seq in (1, 2, 3)]
    assert ids == [env.event_id for env in envs]  # in the order emitted
    async with sessions() as s:
        seqs = dict((await s.execute(select(outbox.c.event_id, outbox.c.stream_seq))).all())
    assert seqs == {env.event_id: seq for env, seq in zip(envs, (1, 2, 3))}


async def test_rows_rolled_back_or_written_once_are_never_handed(engine, sessions, js, prefix):
    """A rolled-back transaction hands nothing; a row written ``once`` (it may have been there
    already) is not handed but makes the relay read the table."""
    relay = OutboxRelay(sessions, jetstream_publisher(js), prefix)
    task = asyncio.create_task(relay.run(idle_poll_seconds=30))
    try:
        await eventually(lambda: relay._clean)
        try:
            async with UnitOfWork(sessions, prefix, relay.wake, hand_to_relay=relay.hand,
                                  relay_look_again=relay.look_again) as uow:
                await uow.emit(envelope(EXAMPLES[3], case_id="gone"))
                raise ValueError("the state change failed")
        except ValueError:
            pass
        assert relay._handed == []
        looks = count_outbox_selects(engine)
        once = envelope(EXAMPLES[3], case_id="once")
        async with UnitOfWork(sessions, prefix, relay.wake, hand_to_relay=relay.hand,
                              relay_look_again=relay.look_again) as uow:
            await uow.emit(once, once=True)
        await eventually(lambda: relay.published == 1)
        assert relay.handed_sent == 0 and len(looks) >= 1  # looked up in the table
    finally:
        task.cancel()
    assert await stream_messages(js, prefix) == 1
    assert decode((await js.get_msg(events_stream(prefix), 1)).data).event_id == once.event_id


async def test_handed_rows_that_fail_to_publish_are_kept_and_sent_from_the_table(sessions, js, prefix):
    attempts: list[str] = []
    reachable = asyncio.Event()
    raw = jetstream_publisher(js)

    async def flaky(subject, body, headers, stream):
        attempts.append(headers["Nats-Msg-Id"])
        if not reachable.is_set():
            raise ConnectionError("nats is down")
        return await raw(subject, body, headers, stream)

    relay = OutboxRelay(sessions, flaky, prefix)
    relay._clean = True  # as after a look that found nothing
    task = asyncio.create_task(relay.run(idle_poll_seconds=0.05))
    try:
        async with UnitOfWork(sessions, prefix, relay.wake, hand_to_relay=relay.hand,
                              relay_look_again=relay.look_again) as uow:
            await uow.emit(envelope(EXAMPLES[2]))
        await eventually(lambda: len(attempts) >= 3)
        assert await relay.pending() == 1  # the failed hand kept the row
        reachable.set()
        await eventually(lambda: relay.published == 1)
    finally:
        task.cancel()
    assert await relay.pending() == 0
    assert await stream_messages(js, prefix) == 1


async def test_rows_published_together_are_marked_by_one_statement_and_a_stop_marks_the_rest(sessions, js, prefix):
    """Under load a mark per publish was a transaction per event: the marks wait up to
    ``mark_within`` for the rows published after them. Stopped, the relay marks what it holds, so a
    restart does not publish those rows again."""
    from jiuzhu_runtime.direct import watching

    relay = OutboxRelay(sessions, jetstream_publisher(js), prefix, mark_within=3.0)
    task = asyncio.create_task(relay.run(idle_poll_seconds=30))
    marks: list[str] = []
    try:
        await eventually(lambda: relay._clean)
        with watching(lambda sql: marks.append(sql) if sql.startswith("UPDATE outbox") else None):
            for i in range(3):  # three commits, each handed and published at once
                async with UnitOfWork(sessions, prefix, relay.wake, hand_to_relay=relay.hand,
                                      relay_look_again=relay.look_again) as uow:
                    await uow.emit(envelope(EXAMPLES[3], case_id=f"case-{i}"))
                await eventually(lambda i=i: relay.published == i + 1)
            assert not await marked(sessions, 3) and marks == []  # published, the mark not due yet
            await eventually(lambda: marked(sessions, 3))
        assert len(marks) == 1  # one statement for the three

        async with UnitOfWork(sessions, prefix, relay.wake, hand_to_relay=relay.hand,
                              relay_look_again=relay.look_again) as uow:
            await uow.emit(envelope(EXAMPLES[3], case_id="case-last"))
        await eventually(lambda: relay.published == 4)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert await marked(sessions, 4)  # the stop marked it: a restart does not send it again
    assert await stream_messages(js, prefix) == 4 and relay.duplicates == 0
