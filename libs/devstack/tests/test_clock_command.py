"""``./jz clock`` against a real NATS: the operator moves the business clock in ``<prefix>_clock``,
and ``--wait`` returns once a service following the bus clock reports the new time."""

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import httpx
from fastapi import FastAPI

from jiuzhu_devstack import cli
from jiuzhu_devstack.clock_cli import read_business_time, wait_until_following
from jiuzhu_runtime.clock import BusClock, set_business_time
from jiuzhu_runtime.streams import provision

TZ = ZoneInfo("Asia/Shanghai")


def business_time(infrastructure, prefix):
    async def read():
        nc = await infrastructure.connect()
        try:
            return await read_business_time(nc.jetstream(), "650205", prefix)
        finally:
            await nc.close()

    return asyncio.run(read())


def test_clock_show_set_advance_reset(infrastructure, capsys):
    prefix = infrastructure.new_prefix()

    async def provisioned():
        nc = await infrastructure.connect()
        try:
            await provision(nc.jetstream(), prefix)
        finally:
            await nc.close()

    asyncio.run(provisioned())

    def clock(*args):
        return cli.main(["clock", *args, "--nats-url", infrastructure.nats_url,
                         "--credentials", str(infrastructure.credentials.root), "--prefix", prefix])

    assert clock("show") == 0
    out = capsys.readouterr().out
    assert "business time  not set — the wall clock" in out and f"bucket {prefix}_clock" in out
    assert ("only services started with `./jz up --clock bus` (its default) follow it; those started with "
            "--clock system keep the wall clock") in out

    assert clock("set", "2022-02-01") == 0  # the first day of the Spring Festival holiday
    assert business_time(infrastructure, prefix) == dt.datetime(2022, 2, 1, 9, tzinfo=TZ)
    out = capsys.readouterr().out
    assert "2022-02-01T09:00+08:00  Tuesday, not a working day" in out and "was        the wall clock" in out
    assert "curl -s http://127.0.0.1:8100/health" in out

    assert clock("advance", "3wd") == 0  # the holiday ends on Sunday 2-6: Mon 2-7, Tue 2-8, Wed 2-9
    assert business_time(infrastructure, prefix) == dt.datetime(2022, 2, 9, 9, tzinfo=TZ)
    assert clock("advance", "4h") == 0
    assert business_time(infrastructure, prefix) == dt.datetime(2022, 2, 9, 13, tzinfo=TZ)
    capsys.readouterr()

    assert clock("show") == 0
    assert "business time  2022-02-09T13:00+08:00  Wednesday, a working day" in capsys.readouterr().out

    assert clock("reset") == 0
    assert business_time(infrastructure, prefix) is None
    assert "not set — the wall clock" in capsys.readouterr().out


def test_clock_without_the_operator_key_or_a_server_is_one_line(infrastructure, tmp_path, capsys):
    assert cli.main(["clock", "show", "--credentials", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"jz clock: no operator key at {tmp_path}/users/operator.nk") and err.count("\n") == 1
    assert cli.main(["clock", "set", "2022-02-30", "--credentials", str(infrastructure.credentials.root)]) == 2
    assert "not a date or time: '2022-02-30'" in capsys.readouterr().err
    assert cli.main(["clock", "show", "--nats-url", "nats://127.0.0.1:1", "--credentials",
                     str(infrastructure.credentials.root)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("jz clock: cannot reach NATS at nats://127.0.0.1:1") and "Traceback" not in err


def test_clock_with_a_bad_holiday_file_is_one_line(infrastructure, tmp_path, capsys):
    bad = tmp_path / "2027.json"
    bad.write_text('{"years": [2027], "holidays": ["2027-01-01"], "workdays": []}')  # the old shape
    assert cli.main(["clock", "advance", "3wd", "--holidays", str(bad), "--nats-url", infrastructure.nats_url,
                     "--credentials", str(infrastructure.credentials.root)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"jz clock: holiday file {bad}: format: Field required (format jiuzhu.holidays/1")


async def test_wait_returns_once_a_service_reports_the_new_business_time(infrastructure):
    prefix = infrastructure.new_prefix()
    nc = await infrastructure.connect()
    js = nc.jetstream()
    await provision(js, prefix)
    bus_clock, wall_clock = BusClock("650205", prefix), BusClock("650205", prefix)
    await bus_clock.start(js)  # wall_clock is never started: a service run with --clock system

    def service(clock) -> httpx.AsyncClient:
        app = FastAPI()
        app.get("/health")(lambda: {"business_now": clock.now().isoformat()})
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app))

    at = dt.datetime(2022, 3, 1, 9, tzinfo=TZ)
    try:
        await set_business_time(js, "650205", prefix, at)
        async with service(bus_clock) as client:
            assert await wait_until_following([("intake", "http://intake")], at, client=client, timeout=15) == []
        async with service(wall_clock) as client:
            lagging = await wait_until_following([("decision", "http://decision")], at, client=client, timeout=0.5)
        assert len(lagging) == 1 and lagging[0].startswith("decision at http://decision: business time ")
        assert "2022-03-01" not in lagging[0]  # it said the wall clock's time
        await set_business_time(js, "650205", prefix, None)
        async with service(bus_clock) as client:
            assert await wait_until_following([("intake", "http://intake")], None, client=client, timeout=15) == []
    finally:
        await bus_clock.stop()
        await nc.close()
