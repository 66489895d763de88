"""JetStream streams, declared by code (file storage, duplicate window, no age limit)."""

from __future__ import annotations

from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from jiuzhu_contracts.subjects import all_dead_letters, all_events, dead_letter_stream, events_stream


def stream_configs(prefix: str, dedupe_window_seconds: int) -> list[StreamConfig]:
    common = dict(storage=StorageType.FILE, retention=RetentionPolicy.LIMITS, discard=DiscardPolicy.OLD,
                  max_age=0, num_replicas=1, duplicate_window=float(dedupe_window_seconds))
    return [
        StreamConfig(name=events_stream(prefix), subjects=[all_events(prefix)],
                     description="jiuzhu case and district events; replayable from the start", **common),
        StreamConfig(name=dead_letter_stream(prefix), subjects=[all_dead_letters(prefix)],
                     description="events a consumer could not process, with the reason", **common),
    ]


async def ensure_streams(js, prefix: str, dedupe_window_seconds: int) -> None:
    for config in stream_configs(prefix, dedupe_window_seconds):
        try:
            await js.stream_info(config.name)
            await js.update_stream(config)
        except NotFoundError:
            await js.add_stream(config)
