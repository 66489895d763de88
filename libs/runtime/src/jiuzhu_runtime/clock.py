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


class BusClock:
    """Follows the business time set in the NATS KV clock; the wall clock until one is set."""

    def __init__(self, district: str, prefix: str, tz: str = "Asia/Shanghai"):
        self._system = SystemClock(tz)
        self._district = district
        self._bucket = clock_bucket(prefix)
        self._frozen: dt.datetime | None = None
        self._listeners: list[Listener] = []
        self._task: asyncio.Task[None] | None = None

    def now(self) -> dt.datetime:
        return self._frozen or self._system.now()

    def today(self) -> dt.date:
        return self.now().date()

    def on_change(self, listener: Listener) -> None:
        self._listeners.append(listener)

    async def start(self, js) -> None:  # js: nats.js.JetStreamContext
        kv = await js.key_value(self._bucket)  # the operator creates it (streams.provision)
        watcher = await kv.watch(self._district)
        self._task = asyncio.create_task(self._follow(watcher), name="bus-clock")

    async def _follow(self, watcher) -> None:
        async for entry in watcher:
            if entry is None or entry.value is None:
                continue
            try:
                value = json.loads(entry.value)["now"] if entry.value else None
                self._frozen = dt.datetime.fromisoformat(value) if value else None
            except (ValueError, KeyError, TypeError):
                log.error("ignoring unreadable business clock value %r", entry.value)
                continue
            log.info("business clock now %s", self.now().isoformat())
            for listener in self._listeners:
                try:
                    await listener(self.now())
                except Exception:  # a failing listener must not stop the clock
                    log.exception("clock listener failed")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()


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
