"""Reading the district's events back from JetStream, for the audit chains' verification.

The events stream is append-only (deny_delete / deny_purge), so what is read here is the witness
the database is compared with. Messages are read with an ephemeral pull consumer (no acks, in
memory, deleted afterwards) in batches, up to the stream's last message when reading began, and
within a time bound. Every message keeps its headers: the envelope's signature travels there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import nats.errors
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from jiuzhu_contracts import ContractError, decode
from jiuzhu_contracts.events import AuditCheckpointRecorded
from jiuzhu_contracts.subjects import (
    dead_letter_stream,
    dead_letter_subject,
    district_events,
    event_type_events,
    events_stream,
)

from jiuzhu_runtime.envelope_signatures import EnvelopeVerifier, Forged

log = logging.getLogger(__name__)

ORIGINAL_SEQ = "Jz-Original-Seq"  # set by the runtime's consumer on every dead letter


@dataclass(frozen=True)
class StreamMessage:
    seq: int
    subject: str
    data: bytes
    headers: dict[str, str]


class StreamUnreadable(Exception):
    """The stream could not be read completely within the time allowed."""


async def read_messages(js, stream: str, subject: str, *, reader: str, within: float = 60.0,
                        batch: int = 1000) -> list[StreamMessage]:
    """Every message of ``stream`` on ``subject``, in order, up to the stream's last message when
    reading began. Raises ``StreamUnreadable`` after ``within`` seconds. ``reader`` is the consumer's
    fixed name (oversight may create, read and delete only its own named readers: NATS permissions)."""
    clock = asyncio.get_running_loop().time
    deadline = clock() + within
    end = (await js.stream_info(stream)).state.last_seq
    out: list[StreamMessage] = []
    while not await _read_from(js, stream, subject, reader, out, end, deadline, batch):
        pass  # a gap (a message lost in flight; no acks means no redelivery): go on after the last one read
    return out


async def _read_from(js, stream: str, subject: str, reader: str, out: list[StreamMessage], end: int,
                     deadline: float, batch: int) -> bool:
    """Append to ``out`` from after its last message; False if a message went missing on the way."""
    clock = asyncio.get_running_loop().time
    start = out[-1].seq + 1 if out else 1
    if start > end:
        return True
    with contextlib.suppress(NotFoundError):
        await js.delete_consumer(stream, reader)  # one left by a reader that was cut short
    config = ConsumerConfig(ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
                            opt_start_seq=start, inactive_threshold=30.0, mem_storage=True)
    sub = await js.pull_subscribe(subject, durable=reader, stream=stream, config=config)
    name = reader
    try:
        info = await sub.consumer_info()
        if info.num_pending == 0:
            return True
        expected = 1
        while True:
            left = deadline - clock()
            if left <= 0:
                raise StreamUnreadable(f"{stream} {subject}: {len(out)} messages read, not finished in time")
            try:
                messages = await sub.fetch(batch, timeout=min(left, 2.0))
            except (nats.errors.TimeoutError, asyncio.TimeoutError):
                continue
            for msg in messages:
                meta = msg.metadata
                if meta.sequence.consumer != expected:
                    return False
                expected += 1
                if meta.sequence.stream > end:
                    return True
                out.append(StreamMessage(meta.sequence.stream, msg.subject, msg.data, dict(msg.headers or {})))
                if meta.sequence.stream >= end or meta.num_pending == 0:
                    return True
    finally:
        with contextlib.suppress(Exception):
            await sub.unsubscribe()
        if name:
            with contextlib.suppress(Exception):
                await js.delete_consumer(stream, name)


@dataclass
class EventStreamReader:
    """What the audit chains' verification reads from the bus, for one district."""

    jetstream: Callable[[], object]  # the connection exists only once the service has started
    prefix: str
    district: str
    consumer: str  # the service's name: its readers' names begin with it, and its consumer before partitioning
    verifier: EnvelopeVerifier
    within: float = 60.0
    forged_checkpoints: int = 0
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # one read at a time: the readers have fixed names

    async def checkpoints(self) -> list[StreamMessage]:
        """Oversight's checkpoints of every chain (each on its chain's subject), as published and signed
        by oversight. A checkpoint not signed by an oversight instance is not one (it is counted,
        logged, and not believed)."""
        subject = event_type_events(AuditCheckpointRecorded.event_type, self.district, self.prefix)
        async with self._lock:
            messages = await read_messages(self.jetstream(), events_stream(self.prefix), subject,
                                           reader=f"{self.consumer}-read-checkpoints", within=self.within)
        authentic, seen = [], set()
        for m in messages:
            try:
                self.verifier.check(m.subject, m.headers, m.data, decode(m.data))
            except (Forged, ContractError) as exc:
                self.forged_checkpoints += 1
                log.critical("audit checkpoint at stream seq %s is not authentic: %s", m.seq, exc)
                continue
            event_id = decode(m.data).event_id
            if event_id not in seen:  # a genuine checkpoint published again counts once
                seen.add(event_id)
                authentic.append(m)
        return authentic

    async def events(self) -> list[StreamMessage]:
        async with self._lock:
            return await read_messages(self.jetstream(), events_stream(self.prefix),
                                       district_events(self.district, self.prefix),
                                       reader=f"{self.consumer}-read-events", within=self.within)

    async def dead_lettered(self, consumers: Iterable[str]) -> set[int]:
        """Stream sequences of the events these consumers dead-lettered (never applied). The district's
        dead letters are read and those of other consumers left out: a dead letter's subject names the
        consumer, and only that consumer may publish on it."""
        wanted = {dead_letter_subject(self.district, c, self.prefix) for c in consumers}
        async with self._lock:
            messages = await read_messages(self.jetstream(), dead_letter_stream(self.prefix),
                                           f"{self.prefix}.dlq.{self.district}.>",
                                           reader=f"{self.consumer}-read-dead-letters", within=self.within)
        return {int(m.headers[ORIGINAL_SEQ]) for m in messages
                if m.subject in wanted and m.headers.get(ORIGINAL_SEQ, "").isdigit()}

    async def applied_up_to(self, consumer: str) -> int:
        """Stream sequence up to which ``consumer`` has acknowledged every event of its filter (applied,
        or dead-lettered): acks are sent only after the commit, so all of it is in the database."""
        try:
            info = await self.jetstream().consumer_info(events_stream(self.prefix), consumer)
        except NotFoundError:
            return 0
        return info.ack_floor.stream_seq if info.ack_floor else 0
