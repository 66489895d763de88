"""JetStream streams, declared by code (file storage, duplicate window, no age limit), and how a
service connects to NATS as itself.

The streams refuse deletion of messages and purging (``deny_delete``, ``deny_purge``): what was
said on the bus stays said, which the audit chain's verification relies on. They are created by the
operator (``provision``: ``./jz up``, the test harness, a deployment's init job); a service only
checks that they are there and never holds the right to change them.

On a JetStream cluster the operator provisions them with ``replicas=3``: each stream (and the clock
bucket) is then a Raft group on three servers, and losing any one server loses nothing acknowledged.
"""

from __future__ import annotations

import ssl

from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from jiuzhu_contracts.subjects import all_dead_letters, all_events, dead_letter_stream, events_stream
from jiuzhu_runtime.clock import clock_bucket


def stream_configs(prefix: str, dedupe_window_seconds: int, replicas: int = 1) -> list[StreamConfig]:
    common = dict(storage=StorageType.FILE, retention=RetentionPolicy.LIMITS, discard=DiscardPolicy.OLD,
                  max_age=0, num_replicas=replicas, duplicate_window=float(dedupe_window_seconds),
                  deny_delete=True, deny_purge=True)
    return [
        StreamConfig(name=events_stream(prefix), subjects=[all_events(prefix)],
                     description="jiuzhu case and district events; replayable from the start", **common),
        StreamConfig(name=dead_letter_stream(prefix), subjects=[all_dead_letters(prefix)],
                     description="events a consumer could not process, with the reason", **common),
    ]


async def ensure_streams(js, prefix: str, dedupe_window_seconds: int = 600, replicas: int = 1) -> None:
    for config in stream_configs(prefix, dedupe_window_seconds, replicas):
        try:
            await js.stream_info(config.name)
            await js.update_stream(config)
        except NotFoundError:
            await js.add_stream(config)


async def provision(js, prefix: str, dedupe_window_seconds: int = 600, replicas: int = 1) -> None:
    """The operator's part: the streams and the business-clock bucket (rehearsals, tests).
    ``replicas``: 1 on a single server, 3 on a three-node cluster (an existing stream is scaled)."""
    await ensure_streams(js, prefix, dedupe_window_seconds, replicas)
    try:
        kv = await js.stream_info(f"KV_{clock_bucket(prefix)}")
    except NotFoundError:
        await js.create_key_value(bucket=clock_bucket(prefix), history=1, replicas=replicas)
        return
    if kv.config.num_replicas != replicas:
        kv.config.num_replicas = replicas
        await js.update_stream(kv.config)


class StreamsMissing(RuntimeError):
    pass


async def require_streams(js, prefix: str) -> None:
    for name in (events_stream(prefix), dead_letter_stream(prefix)):
        try:
            await js.stream_info(name)
        except NotFoundError:
            raise StreamsMissing(f"stream {name} does not exist: the operator creates the streams "
                                 "(./jz up does; in production run `python -m jiuzhu_devstack provision`)") from None


def nats_identity(instance: str, settings) -> dict:
    """Connect options that make this process ``instance`` to the NATS server: its NKey, its own
    inbox prefix (its permissions allow replies there only) and TLS when configured."""
    options: dict = {"nkeys_seed_str": settings.nats_nkey_file.read_text().strip(),
                     "inbox_prefix": f"_INBOX_{instance}".encode()}
    if settings.nats_tls_ca_file:
        context = ssl.create_default_context(cafile=str(settings.nats_tls_ca_file))
        if settings.nats_tls_cert_file:
            context.load_cert_chain(str(settings.nats_tls_cert_file), str(settings.nats_tls_key_file or ""))
        options["tls"] = context
    return options
