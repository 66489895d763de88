import datetime as dt
from zoneinfo import ZoneInfo

from jiuzhu_runtime.clock import BusClock, set_business_time

from .conftest import eventually

TZ = ZoneInfo("Asia/Shanghai")


async def test_every_service_follows_the_business_clock(js, prefix):
    clocks = [BusClock("650205", prefix) for _ in range(3)]
    seen: list[dt.datetime] = []

    async def listener(now):
        seen.append(now)

    clocks[0].on_change(listener)
    for clock in clocks:
        await clock.start(js)
    wall = clocks[0].today()
    at = dt.datetime(2022, 1, 28, 9, 0, tzinfo=TZ)
    await set_business_time(js, "650205", prefix, at)
    await eventually(lambda: all(c.now() == at for c in clocks))
    assert seen[-1] == at
    later = at + dt.timedelta(days=10)
    await set_business_time(js, "650205", prefix, later)
    await eventually(lambda: all(c.today() == later.date() for c in clocks))
    # Another district's clock is its own.
    other = BusClock("650204", prefix)
    await other.start(js)
    assert other.today() == wall
    await set_business_time(js, "650205", prefix, None)
    await eventually(lambda: all(c.today() == wall for c in clocks))
    for clock in clocks + [other]:
        await clock.stop()


async def test_naive_time_is_refused(js, prefix):
    import pytest

    with pytest.raises(ValueError, match="timezone-aware"):
        await set_business_time(js, "650205", prefix, dt.datetime(2022, 1, 1))


async def test_the_clock_follows_a_change_made_just_after_its_nats_server_restarted(tmp_path, infrastructure):
    """A watch is an in-memory consumer, lost when its server restarts; the client sets it up again
    after two missed heartbeats. With the KV watcher's 5 s heartbeat that took 5–20 s, and every
    service missed the business time set meanwhile (the fault test waited for it)."""
    import asyncio
    import time

    import nats

    from jiuzhu_devstack.embedded_nats import EmbeddedNats
    from jiuzhu_runtime.streams import provision

    server = await asyncio.to_thread(EmbeddedNats(tmp_path / "nats", auth_file=infrastructure.credentials.nats_auth_file).start)
    try:
        prefix = infrastructure.new_prefix()
        # as a service connects (ServiceKit): reconnect for ever, a second apart
        nc = await nats.connect(server.url, max_reconnect_attempts=-1, reconnect_time_wait=1,
                                **infrastructure.credentials.connect_options("operator"))
        js = nc.jetstream()
        await provision(js, prefix)
        clock = BusClock("650205", prefix)
        await clock.start(js)
        at = dt.datetime(2022, 8, 11, 9, 0, tzinfo=TZ)
        await set_business_time(js, "650205", prefix, at)
        await eventually(lambda: clock.now() == at)

        await asyncio.to_thread(server.restart)  # same port and store: the bucket and its value are kept
        restarted = time.monotonic()
        later = at + dt.timedelta(days=1)
        await set_business_time(js, "650205", prefix, later)
        await eventually(lambda: clock.now() == later, timeout=15)
        assert time.monotonic() - restarted < 4.0, f"seen {time.monotonic() - restarted:.1f} s after the restart"
        await clock.stop()
        await nc.close()
    finally:
        await asyncio.to_thread(server.stop, True)
