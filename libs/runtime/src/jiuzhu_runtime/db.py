"""Database engine and the runtime's own tables (outbox, processed events, case traces, dead letters,
published holiday calendars)."""

from __future__ import annotations

import time

from sqlalchemy import BigInteger, Column, DateTime, Index, LargeBinary, MetaData, String, Table, Text, event, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

runtime_metadata = MetaData()

# Transactional outbox (STYLE 4). Rows are kept after publishing, with the stream sequence, so a
# stream can be re-driven from PostgreSQL, the source of truth.
outbox = Table(
    "outbox",
    runtime_metadata,
    Column("event_id", String(26), primary_key=True),
    Column("subject", Text, nullable=False),
    Column("event_type", Text, nullable=False),
    Column("case_id", Text),
    Column("body", LargeBinary, nullable=False),
    Column("headers", JSONB, nullable=False, server_default="{}"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("published_at", DateTime(timezone=True)),
    Column("stream_seq", BigInteger),
    Index("outbox_unpublished", "created_at", "event_id", postgresql_where=text("published_at IS NULL")),
    Index("outbox_case", "case_id"),
)

# Idempotent consumers (STYLE 5): the key is inserted in the same transaction as the effect.
processed_events = Table(
    "processed_events",
    runtime_metadata,
    Column("consumer", Text, primary_key=True),
    Column("event_id", String(26), primary_key=True),
    Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


# One trace per case (issue 7, scenario 10): the trace context under which this service first met
# the case. Commands on the case later continue that trace, so a case's whole life, across every
# service and every staff action, is one trace.
case_traces = Table(
    "case_traces",
    runtime_metadata,
    Column("case_id", Text, primary_key=True),
    Column("context", JSONB, nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


# What this service's consumers could not apply (runtime tables v3): the stage that owns a case
# shows that an event about it was dead-lettered, with the reason, instead of the case silently
# standing still. The message itself is in the dead-letter stream, where oversight raises it too.
dead_lettered = Table(
    "dead_lettered",
    runtime_metadata,
    Column("consumer", Text, primary_key=True),
    Column("stream_seq", BigInteger, primary_key=True),
    Column("subject", Text, nullable=False),
    Column("event_id", Text),
    Column("event_type", Text),
    Column("case_id", Text, index=True),
    Column("reason", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


# The holiday files published on the bus (runtime tables v4): a service rebuilds its working-day
# calendar from them when it starts, after the files it was configured with (calendar_sync).
holiday_calendars = Table(
    "holiday_calendars",
    runtime_metadata,
    Column("event_id", String(26), primary_key=True),
    Column("key", Text, nullable=False),
    Column("calendar", JSONB, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

def to_async_url(url: str) -> str:
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+asyncpg://" + url[len(plain):]
    return url


# A pooled connection idle longer than this is pinged before it is used (see ``make_engine``).
PING_AFTER_IDLE_SECONDS = 5.0


def make_engine(url: str, *, pool_size: int = 10, ping_after_idle: float = PING_AFTER_IDLE_SECONDS) -> AsyncEngine:
    """The pool pings a connection before handing it out only if it has been idle longer than
    ``ping_after_idle`` seconds (the server may have restarted meanwhile). ``pool_pre_ping`` pinged
    on every checkout: a round trip that woke a PostgreSQL backend for each transaction, the largest
    single item of a busy service's database time (issue 14's profile). A connection in steady use
    needs none: if the server goes away under load, the failing statement is a disconnect, which
    discards that connection and every one older (SQLAlchemy invalidates the pool), and the caller
    retries — a consumer naks and tries again, a request is answered 503 with Retry-After."""
    # Last in, first out: the pool hands out the connection used last, so at an ordinary load a few
    # connections — their PostgreSQL backends warm, their prepared statements made — carry the work,
    # instead of every one in turn preparing each statement again (first in, first out).
    engine = create_async_engine(to_async_url(url), pool_size=pool_size, max_overflow=10, pool_use_lifo=True)
    _ping_after_idle(engine, ping_after_idle)
    return engine


def _ping_after_idle(engine: AsyncEngine, seconds: float) -> None:
    @event.listens_for(engine.sync_engine, "checkin")
    def returned(dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def lent(dbapi_connection, record, proxy) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since <= seconds:
            return  # new, or in steady use
        try:
            dbapi_connection.ping()
        except Exception as exc:  # the pool discards it and tries another (three attempts)
            raise DisconnectionError(f"pooled connection failed its ping after {seconds:g} s idle: {exc}") from exc


def make_sessions(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)
