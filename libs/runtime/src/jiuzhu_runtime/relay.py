"""Outbox relay: publishes committed events to JetStream and retries until acknowledged.

``Nats-Msg-Id`` = event id, so a relay killed between publish and mark-sent re-publishes a
duplicate that JetStream discards within its duplicate window; consumers are idempotent beyond
it. ``FOR UPDATE SKIP LOCKED`` keeps two relays from taking the same rows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from opentelemetry import context, propagate
from sqlalchemy import BigInteger, String, column, func, select, update, values
from sqlalchemy.ext.asyncio import async_sessionmaker

from jiuzhu_contracts.subjects import events_stream
from jiuzhu_runtime.db import outbox

log = logging.getLogger(__name__)

# publish(subject, body, headers, stream) -> (stream sequence, duplicate?)
Publish = Callable[[str, bytes, dict[str, str], str], Awaitable[tuple[int, bool]]]


def faststream_publisher(broker) -> Publish:
    """Publish through FastStream so its telemetry middleware makes the producer span."""

    async def publish(subject: str, body: bytes, headers: dict[str, str], stream: str) -> tuple[int, bool]:
        ack = await broker.publish(body, subject, headers=headers, stream=stream, timeout=10)
        return ack.seq, bool(ack.duplicate)

    return publish


class OutboxRelay:
    def __init__(self, sessions: async_sessionmaker, publish: Publish, prefix: str, batch: int = 200):
        self._sessions = sessions
        self._publish = publish
        self._stream = events_stream(prefix)
        self._batch = batch
        self.wake = asyncio.Event()
        self.published = 0
        self.duplicates = 0

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many rows it marked sent (fewer than the batch size: there
        was nothing more when it looked)."""
        async with self._sessions() as session, session.begin():
            rows = (await session.execute(
                select(outbox.c.event_id, outbox.c.subject, outbox.c.body, outbox.c.headers)
                .where(outbox.c.published_at.is_(None))
                .order_by(outbox.c.created_at, outbox.c.event_id)
                .limit(self._batch)
                .with_for_update(skip_locked=True)
            )).all()
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
        batch = values(column("event_id", String), column("seq", BigInteger), name="sent").data(sent)
        await session.execute(update(outbox).where(outbox.c.event_id == batch.c.event_id)
                              .values(published_at=func.now(), stream_seq=batch.c.seq))

    async def run(self, idle_poll_seconds: float = 5.0) -> None:
        """Publish whenever a local commit wakes it; look anyway every ``idle_poll_seconds`` (rows
        written by another instance on the same database, a wake lost to a crash)."""
        backoff = 0.1
        while True:
            # Cleared before looking, not after: a commit that lands while a batch is being sent
            # wakes the next round instead of waiting for the idle poll.
            self.wake.clear()
            try:
                while await self.publish_pending() >= self._batch:
                    pass  # a full batch: there may be more; a short one was all there was
                backoff = 0.1
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # NATS or PostgreSQL away: keep the rows, try again
                log.warning("outbox relay: %s; retrying in %.1fs", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            try:
                await asyncio.wait_for(self.wake.wait(), idle_poll_seconds)
            except TimeoutError:
                pass

    async def pending(self) -> int:
        async with self._sessions() as session:
            return (await session.execute(
                select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
            )).scalar_one()


def jetstream_publisher(js) -> Publish:
    """Publish with plain nats-py (tools and tests that have no FastStream broker)."""

    async def publish(subject: str, body: bytes, headers: dict[str, str], stream: str) -> tuple[int, bool]:
        ack = await js.publish(subject, body, headers=headers, stream=stream, timeout=10)
        return ack.seq, bool(ack.duplicate)

    return publish
