"""Outbox relay: publishes committed events to JetStream and retries until acknowledged.

``Nats-Msg-Id`` = event id, so a relay killed between publish and mark-sent re-publishes a
duplicate that JetStream discards within its duplicate window; consumers are idempotent beyond
it. ``FOR UPDATE SKIP LOCKED`` keeps two relays from taking the same rows.

Two ways to a row (issue 14, the hot path):

* **handed** — a unit of work that committed hands the rows it wrote to this process's relay
  (``hand``); while the relay's last look at the table found nothing older waiting ("clean"), it
  publishes them as they come, in commit order, and marks them sent in one autocommit statement: one
  round trip to PostgreSQL instead of a transaction of four (``BEGIN``, select, update, ``COMMIT``).
  The mark waits up to ``mark_within`` seconds (0.5) for the rows published after it, so that one
  statement marks them all: under load a mark per publish was a good part of PostgreSQL's CPU (each
  its own transaction). A row published and not yet marked is not lost: the relay marks what it holds
  before it looks at the table and when it stops, and if the process dies first, the row is
  published again at the next look and JetStream drops the duplicate (its window is ten minutes), as
  for a relay killed between a publish and its mark;
* **looked up** — at start, after any failure, after an idle ``idle_poll_seconds`` (rows another
  instance wrote, a hand lost to a crash) and for rows not handed (``look_again``), it reads the
  table in order, ``FOR UPDATE SKIP LOCKED``, as before. Handed rows not yet sent then are dropped
  from memory: they are committed, so the table has them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple

from opentelemetry import context, propagate
from sqlalchemy import ARRAY, BigInteger, Integer, Text, bindparam, func, select, text
from sqlalchemy.ext.asyncio import async_sessionmaker

from jiuzhu_contracts.subjects import events_stream
from jiuzhu_runtime.db import outbox
from jiuzhu_runtime.direct import Direct

log = logging.getLogger(__name__)

# publish(subject, body, headers, stream) -> (stream sequence, duplicate?)
Publish = Callable[[str, bytes, dict[str, str], str], Awaitable[tuple[int, bool]]]


def faststream_publisher(broker) -> Publish:
    """Publish through FastStream so its telemetry middleware makes the producer span."""

    async def publish(subject: str, body: bytes, headers: dict[str, str], stream: str) -> tuple[int, bool]:
        ack = await broker.publish(body, subject, headers=headers, stream=stream, timeout=10)
        return ack.seq, bool(ack.duplicate)

    return publish


class Committed(NamedTuple):
    """An outbox row as its unit of work wrote it, handed to the relay after the commit."""

    event_id: str
    subject: str
    body: bytes
    headers: dict[str, str]


# One fixed statement whatever the number of rows (arrays, not a VALUES list per batch size).
_MARK_SENT = text(
    f"UPDATE {outbox.name} SET published_at = now(), stream_seq = sent.seq "
    "FROM unnest(:ids, :seqs) AS sent(event_id, seq) WHERE outbox.event_id = sent.event_id"
).bindparams(bindparam("ids", type_=ARRAY(Text())), bindparam("seqs", type_=ARRAY(BigInteger())))


class OutboxRelay:
    def __init__(self, sessions: async_sessionmaker, publish: Publish, prefix: str, batch: int = 200,
                 mark_within: float = 0.5):
        self._sessions = sessions
        self._mark_within = mark_within
        self._unmarked: list[tuple[str, int]] = []  # handed rows published, not yet marked sent
        self._mark_by: float | None = None  # when the oldest of them must be marked
        self._publish = publish
        self._stream = events_stream(prefix)
        self._batch = batch
        self.wake = asyncio.Event()
        self.published = 0
        self.duplicates = 0
        self._handed: list[Committed] = []
        self._clean = False  # the last look at the table found nothing older than what is handed
        self.handed_sent = 0  # rows published as handed (the rest: looked up in the table)

    def hand(self, rows: list[Committed]) -> None:
        """Rows a unit of work has just committed, in commit order (``UnitOfWork``)."""
        self._handed.extend(rows)
        self.wake.set()

    def look_again(self) -> None:
        """Rows were committed that were not handed: read the table on the next round."""
        self._clean = False
        self.wake.set()

    async def publish_handed(self) -> int:
        """Publish the rows handed so far, in order; they are marked sent with those published after
        them, within ``mark_within`` (``mark_sent``). A publish that fails raises, and the table is read
        again (after the rows published are marked)."""
        rows, self._handed = self._handed, []
        sent: list[tuple[str, int]] = []
        try:
            for row in rows:
                seq, duplicate = await self._send(row)
                self.duplicates += duplicate
                sent.append((row.event_id, seq))
        finally:
            if sent:
                self._unmarked += sent
                if self._mark_by is None:
                    self._mark_by = time.monotonic() + self._mark_within
                self.published += len(sent)
                self.handed_sent += len(sent)
        await self.mark_if_due()
        return len(sent)

    async def mark_if_due(self) -> None:
        """``mark_sent`` once the oldest row published and not marked has waited ``mark_within``."""
        if self._mark_by is not None and time.monotonic() >= self._mark_by:
            await self.mark_sent()

    async def mark_sent(self) -> None:
        """Mark the handed rows published so far: one statement, committed on its own (no ``BEGIN``,
        no ``COMMIT``)."""
        if not self._unmarked:
            return
        sent = self._unmarked
        async with self._sessions() as session:
            await Direct(session, autocommit=True).fetch(_MARK_SENT, _mark_params(sent))
        self._unmarked, self._mark_by = [], None

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many rows it marked sent (fewer than the batch size: there
        was nothing more when it looked)."""
        await self.mark_sent()  # what was handed and published is not looked up and sent again
        async with self._sessions() as session, session.begin():
            rows = (await session.execute(_UNSENT, {"n": self._batch})).all()
            sent = []
            for row in rows:  # one at a time, in order: JetStream acknowledges each before the next
                seq, duplicate = await self._send(row)
                self.duplicates += duplicate
                sent.append((row.event_id, seq))
            if sent:
                await self._mark_sent(session, sent)
            self.published += len(rows)
            return len(rows)

    async def _send(self, row: Any) -> tuple[int, bool]:
        stored = dict(row.headers or {})
        token = context.attach(propagate.extract(stored))
        try:
            headers = {k: v for k, v in stored.items() if k not in ("traceparent", "tracestate")}
            headers["Nats-Msg-Id"] = row.event_id
            return await self._publish(row.subject, row.body, headers, self._stream)
        finally:
            context.detach(token)

    async def _mark_sent(self, session, sent: list[tuple[str, int]]) -> None:
        """One statement for the whole batch. Lost with the transaction if a later publish fails:
        those rows are sent again and JetStream drops the duplicates (``Nats-Msg-Id``)."""
        await session.execute(_MARK_SENT, _mark_params(sent))

    async def run(self, idle_poll_seconds: float = 5.0) -> None:
        """Publish whenever a local commit wakes it — what was handed, or what the table holds when
        it must look (see the module's doc); look anyway every ``idle_poll_seconds`` of quiet (rows
        written by another instance on the same database, a wake lost to a crash). Stopped, it marks
        what it published and had not marked yet."""
        try:
            await self._run(idle_poll_seconds)
        finally:
            try:
                await asyncio.wait_for(self.mark_sent(), 5.0)
            except Exception as exc:  # PostgreSQL away: they are sent again, and dropped as duplicates
                log.warning("outbox relay: %d rows published and not marked at stop: %s", len(self._unmarked), exc)

    async def _run(self, idle_poll_seconds: float) -> None:
        backoff = 0.1
        looked_at = 0.0
        while True:
            # Cleared before looking, not after: a commit that lands while a batch is being sent
            # wakes the next round instead of waiting for the idle poll.
            self.wake.clear()
            if time.monotonic() - looked_at > idle_poll_seconds:
                self._clean = False  # quiet, or busy, for that long: look at the table anyway
            try:
                if self._clean:
                    while self._handed:
                        await self.publish_handed()
                    await self.mark_if_due()  # woken by the mark's time, with nothing handed
                else:
                    self._handed = []  # committed, so the look below finds them
                    while await self.publish_pending() >= self._batch:
                        pass  # a full batch: there may be more; a short one was all there was
                    self._clean, looked_at = True, time.monotonic()
                backoff = 0.1
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # NATS or PostgreSQL away: keep the rows, try again
                self._clean = False
                log.warning("outbox relay: %s; retrying in %.1fs", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            until = idle_poll_seconds if self._mark_by is None else max(0.0, self._mark_by - time.monotonic())
            try:
                await asyncio.wait_for(self.wake.wait(), until)
            except TimeoutError:
                pass  # a mark due, or the idle poll (looked for at the top)

    async def pending(self) -> int:
        """Rows not published yet (those published and not yet marked are not counted)."""
        sent = [event_id for event_id, _ in self._unmarked]  # taken before the look: nothing added meanwhile counts
        async with self._sessions() as session:
            return (await session.execute(_UNSENT_COUNT, {"sent": sent})).scalar_one()


# Built once: the relay looks at the table at every idle poll (a statement built per look had its
# cache key made each time).
_UNSENT = (select(outbox.c.event_id, outbox.c.subject, outbox.c.body, outbox.c.headers)
           .where(outbox.c.published_at.is_(None))
           .order_by(outbox.c.created_at, outbox.c.event_id)
           .limit(bindparam("n", type_=Integer()))
           .with_for_update(skip_locked=True))
_UNSENT_COUNT = (select(func.count()).select_from(outbox)
                 .where(outbox.c.published_at.is_(None),
                        ~outbox.c.event_id.in_(bindparam("sent", expanding=True))))


def _mark_params(sent: list[tuple[str, int]]) -> dict[str, list]:
    return {"ids": [event_id for event_id, _ in sent], "seqs": [seq for _, seq in sent]}


def jetstream_publisher(js) -> Publish:
    """Publish with plain nats-py (tools and tests that have no FastStream broker)."""

    async def publish(subject: str, body: bytes, headers: dict[str, str], stream: str) -> tuple[int, bool]:
        ack = await js.publish(subject, body, headers=headers, stream=stream, timeout=10)
        return ack.seq, bool(ack.duplicate)

    return publish
