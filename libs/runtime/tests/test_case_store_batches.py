"""A consumer's batch reads and writes its cases together (issue 14): the cases the batch names are
locked and loaded in one statement, a case opened twice sees the first event's change, the changed
cases are written in one statement at the commit — and a failing event, two batches on the same
cases, a redelivery behave exactly as when each event read and wrote its case alone."""

import asyncio
import json
import datetime as dt
import logging
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, Text, event, select

from jiuzhu_contracts import encode
from jiuzhu_contracts.events import ApplicationWithdrawn
from jiuzhu_contracts.examples import EXAMPLES, envelope
from jiuzhu_contracts.subjects import event_subject, events_stream, jurisdiction_events
from jiuzhu_kernel.clock import FixedClock
from jiuzhu_kernel.district_config import load_district_config
from jiuzhu_runtime.case_store import CaseKind, case_table
from jiuzhu_runtime.consumer import EventConsumer
from jiuzhu_runtime.db import outbox
from jiuzhu_runtime.direct import watching
from jiuzhu_runtime.stage_context import StageContext
from jiuzhu_runtime.unit_of_work import UnitOfWork

ROOT = Path(__file__).resolve().parents[3]
ACCEPTED = EXAMPLES[2]


@dataclass(frozen=True)
class Ledger:
    """A toy aggregate that remembers the order of the events applied to it."""
    case_id: str
    entries: tuple[str, ...] = ()

    def entered(self, entry: str) -> "Ledger":
        return replace(self, entries=(*self.entries, entry))

    def ensure_may_act(self, actor_id: str) -> None:
        pass


metadata = MetaData()
ledgers = case_table("ledgers", metadata, Column("last_entry", Text))
LEDGERS = CaseKind(ledgers, Ledger, columns=lambda s: {"last_entry": s.entries[-1] if s.entries else None})


class Stage:
    """A consumer whose handler enters each event in its case's ledger and emits an event; the
    events named in ``fail_after_change`` fail once their change is made (and its event emitted)."""

    def __init__(self, ctx: StageContext, js, prefix: str, credentials):
        self.ctx, self.js, self.prefix, self.credentials = ctx, js, prefix, credentials
        self.fail_after_change: set[str] = set()

    async def enter(self, env, uow) -> None:
        async with self.ctx.case(env.case_id, uow=uow, caused_by=env) as case:
            case.state = case.state.entered(env.event_id)
            await case.emit(ApplicationWithdrawn(withdrawn_on=dt.date(2026, 3, 2), reason=env.event_id))
        if env.event_id in self.fail_after_change:
            raise RuntimeError("the register refused this one")

    def consumer(self, name: str, claim_as: str | None = None) -> EventConsumer:
        consumer = EventConsumer(
            name=name, filter_subject=jurisdiction_events("650205", "650205001", self.prefix),
            handlers={"application_accepted": self.enter}, unit_of_work=self.ctx.unit_of_work,
            prefix=self.prefix, district="650205", verifier=self.credentials.verifier(self.prefix),
            claim_as=claim_as)
        consumer._js, consumer._tracer = self.js, None  # as ``start`` sets them; batches handed by the test
        return consumer

    async def publish(self, case_id: str) -> str:
        env = envelope(ACCEPTED, case_id=case_id)
        subject = event_subject("650205", "650205001", "application_accepted", self.prefix)
        body = encode(env)
        await self.js.publish(subject, body, headers=self.credentials.signer("intake-650205001").headers(subject, body),
                              stream=events_stream(self.prefix))
        return env.event_id

    async def fetch(self, durable: str, n: int) -> list:
        """The next ``n`` messages of the stream for the durable consumer ``durable``, as one batch."""
        sub = await self.js.pull_subscribe(jurisdiction_events("650205", "650205001", self.prefix), durable=durable,
                                           stream=events_stream(self.prefix))
        msgs: list = []
        while len(msgs) < n:
            msgs += await sub.fetch(n - len(msgs), timeout=5)
        await sub.unsubscribe()
        return msgs


@pytest.fixture
async def stage(engine, sessions, prefix, js, infrastructure):
    async with engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        await conn.run_sync(metadata.create_all)
    config = load_district_config(ROOT / "config" / "urho.toml")
    ctx = StageContext(config=config, clock=FixedClock(dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)),
                       unit_of_work=lambda: UnitOfWork(sessions, prefix), jurisdiction="650205001", cases=LEDGERS)
    async with ctx.unit_of_work() as uow:
        for case_id in ("L1", "L2", "L3", "L4", "L5"):
            assert await ctx.store(uow).add(Ledger(case_id))
    return Stage(ctx, js, prefix, infrastructure.credentials)


@pytest.fixture
def statements(engine):
    """The SQL statements sent on the ledgers table (an executemany counts once: one round trip)."""
    sent: list[str] = []

    def seen(statement: str) -> None:
        if "ledgers" in statement:
            sent.append(statement.split()[0])

    def through_sqlalchemy(conn, cursor, statement, parameters, context, executemany):
        seen(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", through_sqlalchemy)
    with watching(seen):  # the unit of work's own statements, sent by asyncpg directly
        yield sent
    event.remove(engine.sync_engine, "before_cursor_execute", through_sqlalchemy)


async def entries(sessions) -> dict[str, tuple[str, ...]]:
    async with sessions() as s:
        rows = (await s.execute(select(ledgers.c.case_id, ledgers.c.state, ledgers.c.last_entry))).all()
    for row in rows:  # the derived column written with the state
        assert row.last_entry == (row.state["entries"][-1] if row.state["entries"] else None)
    return {r.case_id: tuple(r.state["entries"]) for r in rows if r.state["entries"]}


async def emitted_for(sessions) -> list[str]:
    """The events whose handling emitted an event (each names its cause as its reason), sorted."""
    async with sessions() as s:
        return sorted(json.loads(body)["payload"]["reason"] for body in (await s.execute(select(outbox.c.body))).scalars())


async def test_two_events_on_one_case_in_a_batch_are_both_applied_in_order_with_one_read_and_one_write(
        stage, sessions, statements):
    ids = [await stage.publish(c) for c in ("L1", "L2", "L1")]
    consumer = stage.consumer("ledger")
    batch = await stage.fetch("ledger", 3)
    statements.clear()
    await consumer.handle_batch(batch)
    # one SELECT … FOR UPDATE of both cases, one UPDATE (executemany) of both
    assert statements == ["SELECT", "UPDATE"]
    assert await entries(sessions) == {"L1": (ids[0], ids[2]), "L2": (ids[1],)}
    assert consumer.processed == 3
    assert await emitted_for(sessions) == sorted(ids)


async def test_a_failing_event_in_a_batch_leaves_the_others_applied_and_its_own_change_absent(stage, sessions):
    ids = [await stage.publish(c) for c in ("L1", "L1", "L2", "L1")]
    stage.fail_after_change = {ids[1]}
    consumer = stage.consumer("ledger")
    await consumer.handle_batch(await stage.fetch("ledger", 4))
    # the second event's change was made in the identity map, then rolled back alone: the fourth
    # event, on the same case, does not see it, and neither its state nor its event is kept
    assert await entries(sessions) == {"L1": (ids[0], ids[3]), "L2": (ids[2],)}
    assert await emitted_for(sessions) == sorted([ids[0], ids[2], ids[3]])
    assert consumer.processed == 3
    stage.fail_after_change = set()
    [again] = await stage.fetch("ledger", 1)  # redelivered after its back-off
    await consumer.handle_batch([again])
    assert await entries(sessions) == {"L1": (ids[0], ids[3], ids[1]), "L2": (ids[2],)}


async def test_concurrent_batches_on_overlapping_cases_neither_deadlock_nor_lose_a_change(stage, sessions, caplog):
    """Two consumers (two services reading one stream, say) apply batches naming the same cases in
    opposite orders at the same time: locked one case at a time in each batch's order they could
    deadlock (PostgreSQL then fails one batch); locked together in key order, one waits."""
    cases = ["L1", "L2", "L3", "L4", "L5"] * 2
    ids = [await stage.publish(c) for c in cases]
    first, second = stage.consumer("ledger-a"), stage.consumer("ledger-b")
    one, other = await stage.fetch("ledger-a", len(ids)), await stage.fetch("ledger-b", len(ids))
    with caplog.at_level(logging.INFO, logger="jiuzhu_runtime.consumer"):
        await asyncio.wait_for(asyncio.gather(first.handle_batch(one), second.handle_batch(list(reversed(other)))),
                               timeout=30)
    assert not [r for r in caplog.records if "failed together" in r.getMessage()]
    assert first.processed == second.processed == len(ids)
    ledger = await entries(sessions)
    for case_id in set(cases):  # every event entered twice (once by each consumer), nothing lost
        mine = [i for i, c in zip(ids, cases) if c == case_id]
        assert sorted(ledger[case_id]) == sorted(mine * 2)


async def test_a_redelivered_event_in_a_batch_changes_nothing(stage, sessions):
    ids = [await stage.publish(c) for c in ("L1", "L2")]
    await stage.consumer("ledger").handle_batch(await stage.fetch("ledger", 2))
    ids.append(await stage.publish("L1"))
    # The same events again, with a new one: a consumer sharing the first one's claims (as
    # oversight's partitions do) is handed all three.
    replay = stage.consumer("ledger-again", claim_as="ledger")
    await replay.handle_batch(await stage.fetch("ledger-again", 3))
    assert await entries(sessions) == {"L1": (ids[0], ids[2]), "L2": (ids[1],)}
    assert await emitted_for(sessions) == sorted(ids)
