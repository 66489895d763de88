"""Oversight's view of dead letters: a durable consumer on the dead-letter stream that hands each
one, with its reason, to a recorder (STYLE 6: a dead-lettered event is recorded where oversight sees it)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from jiuzhu_contracts.subjects import dead_letter_stream
from jiuzhu_runtime.consumer import DEAD_LETTER_REASON
from jiuzhu_runtime.pull_loop import PullLoop

# recorder(dlq sequence, consumer, original subject, reason, body)
Recorder = Callable[[int, str, str, str, bytes], Awaitable[None]]


def dead_letter_loop(*, prefix: str, district: str, durable: str, record: Recorder) -> PullLoop:
    async def on_dead_letter(msg) -> None:
        headers = msg.headers or {}
        try:
            await record(msg.metadata.sequence.stream, headers.get("Jz-Consumer", "?"),
                         headers.get("Jz-Original-Subject", "?"), headers.get(DEAD_LETTER_REASON, "?"), msg.data)
        except Exception:
            await msg.nak(delay=2.0)
            return
        await msg.ack()

    return PullLoop(stream=dead_letter_stream(prefix), durable=durable, filter_subject=f"{prefix}.dlq.{district}.>",
                    on_message=on_dead_letter)
