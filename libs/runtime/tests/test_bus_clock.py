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
