"""The business clock. Domain code never reads the system clock; it is given ``now``.

``SystemClock`` is the wall clock in the district's time zone. ``BusClock`` lets tests and
rehearsals move the business date of every running service at once: the date lives in a NATS
key-value bucket (``<prefix>_clock``, key = district code) and each service watches it. Every
service reports the business time it sees on ``/health``, so a test that moves the clock can wait
until all services agree — deterministic, with no sleeping on the business calendar.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable

from jiuzhu_kernel.clock import Clock, SystemClock  # noqa: F401  (Clock: the protocol BusClock fulfils)

log = logging.getLogger(__name__)

Listener = Callable[[dt.datetime], Awaitable[None]]


def clock_bucket(prefix: str) -> str:
    return f"{prefix}_clock"


# How often the server tells an idle clock watcher it is still there. After two missed, the client
# sets the watch up again (nats-py's ordered consumer), from after the last value it had: a watch is
# an in-memory consumer, gone when its server restarts, and with nats-py's default (5 s, the KV
# watcher's) a service missed clock changes for 10–20 s after a NATS restart (issue 14: the fault
# test waited that long for every service to reach a business time set just afterwards).
WATCH_HEARTBEAT_SECONDS = 0.5


class BusClock:
    """Follows the business time set in the NATS KV clock; the wall clock until one is set."""

    def __init__(self, district: str, prefix: str, tz: str = "Asia/Shanghai",
                 heartbeat: float = WATCH_HEARTBEAT_SECONDS):
        self._system = SystemClock(tz)
        self._district = district
        self._bucket = clock_bucket(prefix)
        self._heartbeat = heartbeat
        self._frozen: dt.datetime | None = None
        self._listeners: list[Listener] = []
        self._sub = None

    def now(self) -> dt.datetime:
        return self._frozen or self._system.now()

    def today(self) -> dt.date:
        return self.now().date()

    def on_change(self, listener: Listener) -> None:
        self._listeners.append(listener)

    async def start(self, js) -> None:  # js: nats.js.JetStreamContext
        from nats.js.api import DeliverPolicy

        await js.key_value(self._bucket)  # the operator creates it (streams.provision): missing, fail here
        # What ``KeyValue.watch`` sets up — an ordered consumer of the key's latest value and every
        # later one — with a heartbeat of our own (see WATCH_HEARTBEAT_SECONDS).
        self._sub = await js.subscribe(f"$KV.{self._bucket}.{self._district}", stream=f"KV_{self._bucket}",
                                       cb=self._changed, ordered_consumer=True, idle_heartbeat=self._heartbeat,
                                       deliver_policy=DeliverPolicy.LAST_PER_SUBJECT, inactive_threshold=300)

    async def _changed(self, msg) -> None:
        if (msg.headers or {}).get("KV-Operation") in ("DEL", "PURGE"):
            value = None
        else:
            try:
                value = json.loads(msg.data)["now"] if msg.data else None
            except (ValueError, KeyError, TypeError):
                log.error("ignoring unreadable business clock value %r", msg.data)
                return
        try:
            self._frozen = dt.datetime.fromisoformat(value) if value else None
        except (ValueError, TypeError):
            log.error("ignoring unreadable business clock value %r", msg.data)
            return
        log.info("business clock now %s", self.now().isoformat())
        for listener in self._listeners:
            try:
                await listener(self.now())
            except Exception:  # a failing listener must not stop the clock
                log.exception("clock listener failed")

    async def stop(self) -> None:
        sub, self._sub = self._sub, None
        if sub is not None:
            try:
                await sub.unsubscribe()
            except Exception:  # the connection is already closed or draining: nothing to undo
                pass


async def set_business_time(js, district: str, prefix: str, at: dt.datetime | None, *,
                            patience: float = 30.0) -> None:
    """Move every service of ``district`` to business time ``at`` (None: back to the wall clock).

    On a JetStream cluster the bucket has no leader for some seconds after its leader's server
    fails: the same write is tried again until it is acknowledged or ``patience`` seconds passed."""
    import time

    import nats.errors
    from nats.js.errors import BucketNotFoundError, ServiceUnavailableError

    if at is not None and at.tzinfo is None:
        raise ValueError("business time must be timezone-aware")
    value = json.dumps({"now": at.isoformat() if at else None}).encode()
    deadline = time.monotonic() + patience
    while True:
        try:
            try:
                kv = await js.key_value(clock_bucket(prefix))  # as the operator provisioned it (replicas and all)
            except BucketNotFoundError:
                kv = await js.create_key_value(bucket=clock_bucket(prefix), history=1)
            await kv.put(district, value)
            return
        except (nats.errors.TimeoutError, nats.errors.NoRespondersError, ServiceUnavailableError,
                asyncio.TimeoutError) as exc:
            if time.monotonic() > deadline:
                raise
            log.warning("business clock not written yet (%s: a leader election?); trying again", exc)
            await asyncio.sleep(0.5)
