"""JetStream streams, declared by code (file storage, duplicate window, no age limit), and how a
service connects to NATS as itself.

The streams refuse deletion of messages and purging (``deny_delete``, ``deny_purge``): what was
said on the bus stays said, which the audit chain's verification relies on. They are created by the
operator (``provision``: ``./jz up``, the test harness, a deployment's init job); a service only
checks that they are there and never holds the right to change them.

So are the services' durable consumers (``jiuzhu_contracts.consumers``), in the same step: a service
binds to its own by name (``PullLoop``) and holds no right to create or change one — it cannot
re-point its consumer at another jurisdiction's events. An existing consumer whose filter an upgrade
changes (e.g. the whole jurisdiction before each took only the types it handles) is updated in place,
keeping its position.

On a JetStream cluster the operator provisions them with ``replicas=3``: each stream (and the clock
bucket) is then a Raft group on three servers, and losing any one server loses nothing acknowledged.
"""

from __future__ import annotations

import ssl

import logging
from collections.abc import Iterable

from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from jiuzhu_contracts.consumers import DurableConsumer
from jiuzhu_contracts.subjects import all_dead_letters, all_events, dead_letter_stream, events_stream
from jiuzhu_runtime.clock import clock_bucket

log = logging.getLogger(__name__)


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


def filters_of(config: ConsumerConfig) -> tuple[str, ...]:
    """The subjects a consumer's configuration selects, however it says them."""
    return tuple(config.filter_subjects or ()) or ((config.filter_subject,) if config.filter_subject else ())


def with_filters(config: ConsumerConfig, filter_subjects: tuple[str, ...]) -> ConsumerConfig:
    """``config`` selecting ``filter_subjects``: one subject as ``filter_subject``, several (NATS ≥ 2.10)
    as ``filter_subjects``."""
    if len(filter_subjects) == 1:
        return config.evolve(filter_subject=filter_subjects[0], filter_subjects=None)
    return config.evolve(filter_subject=None, filter_subjects=list(filter_subjects))


def consumer_config(durable: str, filter_subjects: tuple[str, ...], start_seq: int | None = None,
                    ack_wait_seconds: float = 30.0) -> ConsumerConfig:
    """A durable pull consumer as every consumer of the project is. max_deliver=-1: the server never
    drops a message on its own; the consumer dead-letters it explicitly, with the reason, after its own
    limit. ``start_seq``: where it begins (default: the stream's first message)."""
    start = {"deliver_policy": DeliverPolicy.ALL} if not start_seq or start_seq <= 1 else \
        {"deliver_policy": DeliverPolicy.BY_START_SEQUENCE, "opt_start_seq": start_seq}
    return with_filters(ConsumerConfig(name=durable, durable_name=durable, ack_policy=AckPolicy.EXPLICIT, **start,
                                       ack_wait=ack_wait_seconds, max_deliver=-1, max_ack_pending=10_000),
                        filter_subjects)


async def ensure_consumer(js, stream: str, durable: str, filter_subjects: tuple[str, ...],
                          start_seq=None, ack_wait_seconds: float = 30.0) -> None:
    """Create the durable consumer; or, if it exists with another filter (an older release's), change
    its filter (and its ack wait, if another) in place. An update keeps the consumer's position — its acknowledged floor and what it
    has delivered — and everything else it was created with (the deliver policy cannot change).
    ``start_seq``: a number, or ``async (js) -> number | None``, asked only when it is created."""
    try:
        info = await js.consumer_info(stream, durable)
    except NotFoundError:
        start = await start_seq(js) if callable(start_seq) else start_seq
        await js.add_consumer(stream, consumer_config(durable, filter_subjects, start, ack_wait_seconds))
        return
    config = info.config
    if filters_of(config) != tuple(filter_subjects):
        log.info("%s: filter %s -> %s (the consumer keeps its position)", durable, filters_of(config),
                 filter_subjects)
        config = with_filters(config, tuple(filter_subjects))
    if config.ack_wait != ack_wait_seconds:
        log.info("%s: ack wait %s s -> %s s", durable, config.ack_wait, ack_wait_seconds)
        config = config.evolve(ack_wait=ack_wait_seconds)
    if config is not info.config:
        await js.add_consumer(stream, config)


def _after(stream: str, durable: str):
    """Where a consumer begins when created: after everything ``durable`` acknowledged, if it exists."""
    async def start(js) -> int | None:
        try:
            info = await js.consumer_info(stream, durable)
        except NotFoundError:
            return None
        return (info.ack_floor.stream_seq if info.ack_floor else 0) + 1
    return start


async def ensure_consumers(js, consumers: Iterable[DurableConsumer], ack_wait_seconds: float = 30.0) -> None:
    for c in consumers:
        await ensure_consumer(js, c.stream, c.durable, c.filter_subjects,
                              _after(c.stream, c.start_after) if c.start_after else None, ack_wait_seconds)


async def provision(js, prefix: str, dedupe_window_seconds: int = 600, replicas: int = 1,
                    consumers: Iterable[DurableConsumer] = (), ack_wait_seconds: float = 30.0) -> None:
    """The operator's part: the streams, the business-clock bucket and the services' durable
    consumers (``jiuzhu_contracts.consumers.district_consumers``, or one instance's in a service's
    tests). ``replicas``: 1 on a single server, 3 on a three-node cluster (an existing stream is
    scaled; a consumer has its stream's). ``ack_wait_seconds``: how long a delivered event may stay
    unacknowledged before it is delivered again (the services' ``JZ_ACK_WAIT_SECONDS``: they only
    bind, so it is set here)."""
    await ensure_streams(js, prefix, dedupe_window_seconds, replicas)
    await ensure_consumers(js, consumers, ack_wait_seconds)
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
