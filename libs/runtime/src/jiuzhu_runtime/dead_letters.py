"""Oversight's view of dead letters: a durable consumer on the dead-letter stream that hands each
one, with its reason, to a recorder (STYLE 6: a dead-lettered event is recorded where oversight sees it)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from faststream.middlewares import AckPolicy
from faststream.nats import ConsumerConfig, JStream, PullSub
from faststream.nats.annotations import NatsMessage
from nats.js.api import AckPolicy as JsAckPolicy
from nats.js.api import DeliverPolicy

from jiuzhu_contracts.subjects import dead_letter_stream
from jiuzhu_runtime.consumer import DEAD_LETTER_REASON

# recorder(dlq sequence, consumer, original subject, reason, body)
Recorder = Callable[[int, str, str, str, bytes], Awaitable[None]]


def register_dead_letter_recorder(broker, *, prefix: str, district: str, durable: str, record: Recorder) -> None:
    @broker.subscriber(
        f"{prefix}.dlq.{district}.>", stream=JStream(dead_letter_stream(prefix), declare=False), durable=durable,
        pull_sub=PullSub(batch_size=32, timeout=2.0),
        config=ConsumerConfig(ack_policy=JsAckPolicy.EXPLICIT, deliver_policy=DeliverPolicy.ALL, max_deliver=-1),
        ack_policy=AckPolicy.MANUAL, title=durable)
    async def on_dead_letter(msg: NatsMessage) -> None:
        raw = msg.raw_message
        headers = raw.headers or {}
        try:
            await record(raw.metadata.sequence.stream, headers.get("Jz-Consumer", "?"),
                         headers.get("Jz-Original-Subject", "?"), headers.get(DEAD_LETTER_REASON, "?"), raw.data)
        except Exception:
            await msg.nack(delay=2.0)
            return
        await msg.ack()
