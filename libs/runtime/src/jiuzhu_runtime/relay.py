"""Outbox relay: publishes committed events to JetStream and retries until acknowledged.

``Nats-Msg-Id`` = event id, so a relay killed between publish and mark-sent re-publishes a
duplicate that JetStream discards within its duplicate window; consumers are idempotent beyond
it. ``FOR UPDATE SKIP LOCKED`` keeps two relays from taking the same rows.

Two ways to a row (issue 14, the hot path):

* **handed** — a unit of work that committed hands the rows it wrote to this process's relay
  (``hand``); while the relay's last look at the table found nothing older waiting ("clean"), it
  publishes them as they come, in commit order, and marks them sent in one autocommit statement: one
  round trip to PostgreSQL instead of a transaction of four (``BEGIN``, select, update, ``COMMIT``);
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
    def __init__(self, sessions: async_sessionmaker, publish: Publish, prefix: str, batch: int = 200):
        self._sessions = sessions
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
        """Publish the rows handed so far, in order, and mark those sent in one statement (also when
        a publish fails: then it raises, and the table is read again)."""
        rows, self._handed = self._handed, []
        sent: list[tuple[str, int]] = []
        try:
            for row in rows:
                seq, duplicate = await self._send(row)
                self.duplicates += duplicate
                sent.append((row.event_id, seq))
        finally:
            if sent:  # one statement, committed on its own (no BEGIN, no COMMIT: two round trips fewer)
                async with self._sessions() as session:
                    await Direct(session, autocommit=True).fetch(_MARK_SENT, _mark_params(sent))
                self.published += len(sent)
                self.handed_sent += len(sent)
        return len(sent)

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many rows it marked sent (fewer than the batch size: there
        was nothing more when it looked)."""
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
        written by another instance on the same database, a wake lost to a crash)."""
        backoff = 0.1
        looked_at = 0.0
        while True:
            # Cleared before looking, not after: a commit that lands while a batch is being sent
            # wakes the next round instead of waiting for the idle poll.
            self.wake.clear()
            if time.monotonic() - looked_at > idle_poll_seconds:
                self._clean = False  # busy for that long: look at the table anyway
            try:
                if self._clean:
                    while self._handed:
                        await self.publish_handed()
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
            try:
                await asyncio.wait_for(self.wake.wait(), idle_poll_seconds)
            except TimeoutError:
                self._clean = False

    async def pending(self) -> int:
        async with self._sessions() as session:
            return (await session.execute(_UNSENT_COUNT)).scalar_one()


# Built once: the relay looks at the table at every idle poll (a statement built per look had its
# cache key made each time).
_UNSENT = (select(outbox.c.event_id, outbox.c.subject, outbox.c.body, outbox.c.headers)
           .where(outbox.c.published_at.is_(None))
           .order_by(outbox.c.created_at, outbox.c.event_id)
           .limit(bindparam("n", type_=Integer()))
           .with_for_update(skip_locked=True))
_UNSENT_COUNT = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))


def _mark_params(sent: list[tuple[str, int]]) -> dict[str, list]:
    return {"ids": [event_id for event_id, _ in sent], "seqs": [seq for _, seq in sent]}


def jetstream_publisher(js) -> Publish:
    """Publish with plain nats-py (tools and tests that have no FastStream broker)."""

    async def publish(subject: str, body: bytes, headers: dict[str, str], stream: str) -> tuple[int, bool]:
        ack = await js.publish(subject, body, headers=headers, stream=stream, timeout=10)
        return ack.seq, bool(ack.duplicate)

    return publish
