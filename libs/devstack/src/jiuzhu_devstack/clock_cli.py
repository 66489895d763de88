"""``./jz clock``: the business clock of a running district — show, set, advance, reset.

The business time lives in the NATS key-value bucket ``<prefix>_clock`` (key: the district code);
services started with ``./jz up --clock bus`` follow it, every other service keeps the wall clock
(``jiuzhu_runtime.clock``). The command connects as the operator, the one NATS user allowed to
write the bucket (docs/security.md).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from jiuzhu_devstack.command_errors import CommandError, load_config
from jiuzhu_runtime.clock import clock_bucket, set_business_time
from jiuzhu_runtime.settings import nats_servers
from jiuzhu_kernel.working_days import WorkingDayCalendar

# A date without a time means the start of an office day: what a rehearsal wants for "set 2022-02-01".
OFFICE_OPENS = dt.time(9, 0)
WALL_CLOCK_SLACK = dt.timedelta(minutes=2)  # after a reset, a service "follows" if within this of the wall clock
ONLY_BUS = ("only services started with `./jz up --clock bus` (its default) follow it; those started with "
            "--clock system keep the wall clock")

_STEP = re.compile(r"^\s*(\d+)\s*(wd|d|h)\s*$")


@dataclass(frozen=True)
class Step:
    count: int
    unit: str  # wd: working days | d: calendar days | h: hours

    def after(self, now: dt.datetime, calendar: WorkingDayCalendar) -> dt.datetime:
        if self.unit == "wd":  # the n-th working day after today, at the same time of day (start not counted)
            return dt.datetime.combine(calendar.add(now.date(), self.count).due_on, now.timetz())
        if self.unit == "d":
            return now + dt.timedelta(days=self.count)
        return now + dt.timedelta(hours=self.count)


def parse_step(text: str) -> Step:
    match = _STEP.match(text)
    if not match:
        raise argparse.ArgumentTypeError(
            f"not a step: {text!r} (3wd: working days on the district's calendar, 2d: calendar days, 4h: hours)")
    return Step(int(match.group(1)), match.group(2))


def parse_when(text: str, tz: str) -> dt.datetime:
    """``2022-02-01`` (09:00), ``2022-02-01T14:30`` or with an offset; in the district's time zone."""
    zone = ZoneInfo(tz)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            return dt.datetime.combine(dt.date.fromisoformat(text.strip()), OFFICE_OPENS, zone)
        at = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"not a date or time: {text!r} (YYYY-MM-DD or YYYY-MM-DDTHH:MM)") from None
    return at.replace(tzinfo=zone) if at.tzinfo is None else at.astimezone(zone)


def describe(at: dt.datetime, calendar: WorkingDayCalendar) -> str:
    kind = "a working day" if calendar.is_working_day(at.date()) else "not a working day"
    unsure = "" if calendar.knows(at.date()) else " (by weekday: the calendar does not know this year's holidays)"
    return f"{at.isoformat(timespec='minutes')}  {at:%A}, {kind}{unsure}"


# --- the bus --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    nats_url: str
    connect_options: dict
    district: str
    prefix: str


def target(args: argparse.Namespace, config) -> Target:
    from jiuzhu_devstack.cli import STATE
    from jiuzhu_devstack.credentials import Credentials

    root = Path(args.credentials or os.environ.get("JZ_CREDENTIALS_DIR") or STATE / "credentials")
    creds = Credentials(root, config.district.code)  # read, never created: new keys would not open this NATS
    seed = creds.user_seed_file("operator")
    if not seed.exists():
        raise CommandError(f"no operator key at {seed}: start the district first (./jz up --clock bus creates "
                           "the credentials) or give --credentials DIR")
    return Target(args.nats_url, creds.connect_options("operator"), config.district.code, args.prefix)


async def _connect(t: Target):
    import nats

    errors: list[Exception] = []

    async def remember(exc: Exception) -> None:  # reported once, below, instead of a traceback per attempt
        errors.append(exc)

    try:  # two attempts, then give up: a command, not a service that waits for its server
        return await nats.connect(nats_servers(t.nats_url), allow_reconnect=False, connect_timeout=3, max_reconnect_attempts=1,
                                  reconnect_time_wait=0.5, error_cb=remember, **t.connect_options)
    except Exception as exc:  # noqa: BLE001 — every way of not reaching NATS ends the command the same way
        cause = errors[-1] if errors else exc
        raise CommandError(f"cannot reach NATS at {t.nats_url} as the operator ({type(cause).__name__}: {cause}); "
                           "is the district up (./jz up --clock bus)? Otherwise give --nats-url") from None


async def read_business_time(js, district: str, prefix: str) -> dt.datetime | None:
    """The business time set for ``district``; None when the services follow the wall clock."""
    from nats.js.errors import BucketNotFoundError, KeyNotFoundError

    try:
        entry = await (await js.key_value(clock_bucket(prefix))).get(district)
    except (BucketNotFoundError, KeyNotFoundError):
        return None
    value = json.loads(entry.value)["now"] if entry.value else None
    return dt.datetime.fromisoformat(value) if value else None


KEEP = object()  # what a change returns to only read the clock


async def _exchange(t: Target, change) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(before, after): ``change(before)`` is the new business time (None: the wall clock) or KEEP."""
    nc = await _connect(t)
    try:
        js = nc.jetstream()
        before = await read_business_time(js, t.district, t.prefix)
        after = change(before)
        if after is KEEP:
            return before, before
        await set_business_time(js, t.district, t.prefix, after)
        return before, await read_business_time(js, t.district, t.prefix)
    finally:
        await nc.close()


# --- waiting for the services ---------------------------------------------------------------------

def follows(body: dict, expected: dt.datetime | None, wall: dt.datetime) -> bool:
    """Does a service's ``/health`` show it on business time ``expected`` (None: the wall clock)?"""
    try:
        now = dt.datetime.fromisoformat(body["business_now"])
    except (KeyError, TypeError, ValueError):
        return False
    return now == expected if expected is not None else abs(now - wall) <= WALL_CLOCK_SLACK


async def wait_until_following(services: list[tuple[str, str]], expected: dt.datetime | None, *,
                               timeout: float = 30, client=None) -> list[str]:
    """Poll each service's ``/health`` until it reports ``expected``; what still does not after
    ``timeout`` seconds, each with what it said."""
    import httpx

    own = client is None
    client = client or httpx.AsyncClient(timeout=2)
    waiting, said = dict(services), {}
    deadline = time.monotonic() + timeout
    try:
        while waiting:
            for name, url in list(waiting.items()):
                try:
                    body = (await client.get(f"{url}/health")).json()
                    said[name] = f"business time {body.get('business_now')}"
                    if follows(body, expected, dt.datetime.now(dt.timezone.utc)):
                        del waiting[name]
                except (httpx.HTTPError, ValueError) as exc:
                    said[name] = f"no answer ({type(exc).__name__})"
            if not waiting or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.2)  # polling interval between /health rounds, not a stand-in for a condition
    finally:
        if own:
            await client.aclose()
    return [f"{name} at {url}: {said.get(name, 'no answer')}" for name, url in waiting.items()]


def services_of(args: argparse.Namespace, config_path: Path, district: str) -> list[tuple[str, str]]:
    """The instances ``./jz up --port-base N`` starts, by the stack's own plan."""
    from jiuzhu_devstack.credentials import Credentials
    from jiuzhu_devstack.stack import Stack

    stack = Stack(config_path, nats_url=args.nats_url, database_url="postgresql://plan-only",
                  credentials=Credentials(Path(args.credentials or "."), district), log_dir=Path("."),
                  port_base=args.port_base)
    return [(inst.name, inst.url) for inst in stack.instances]


# --- the command ----------------------------------------------------------------------------------

def run(args: argparse.Namespace) -> int:
    from jiuzhu_kernel.holiday_files import HolidayFileError
    from jiuzhu_kernel.working_days import calendar_for

    config = load_config(args.config)
    tz = config.district.timezone
    try:  # the calendar the district's services count on: its holiday_files and JZ_HOLIDAY_FILE
        calendar = calendar_for(config, Path(args.config).parent,
                                args.holidays or os.environ.get("JZ_HOLIDAY_FILE") or None)
    except HolidayFileError as exc:
        raise CommandError(str(exc)) from None
    wall = dt.datetime.now(ZoneInfo(tz))
    t = target(args, config)

    at = parse_when(args.when, tz) if args.action == "set" else None  # refused before connecting

    def change(before: dt.datetime | None):
        if args.action == "set":
            return at
        if args.action == "advance":
            return args.step.after(before.astimezone(ZoneInfo(tz)) if before else wall, calendar)
        return None if args.action == "reset" else KEEP

    before, after = asyncio.run(_exchange(t, change))

    where = f"district {t.district}, bucket {clock_bucket(t.prefix)} on {t.nats_url}"
    shown = describe(after, calendar) if after else f"not set — the wall clock ({describe(wall, calendar)})"
    if args.action == "show":
        print(f"business time  {shown}\n               {where}")
        print(f"note: {ONLY_BUS}.")
        return 0
    was = describe(before, calendar) if before else "the wall clock"
    print(f"business time  {shown}\n    was        {was}\n               {where}")
    if not args.wait:
        print(f"note: {ONLY_BUS}. They follow within a second; to see each one's business time:\n"
              f"  curl -s http://127.0.0.1:{args.port_base}/health   (business_now), "
              f"or run the command again with --wait")
        return 0
    services = services_of(args, args.config, t.district)
    lagging = asyncio.run(wait_until_following(services, after, timeout=args.timeout))
    if lagging:
        print(f"not following after {args.timeout:.0f}s (started without --clock bus, or not running?):")
        for line in lagging:
            print(f"  {line}")
        return 1
    print(f"all {len(services)} services report the new business time on /health.")
    return 0


def add_parser(sub, default_config: Path) -> None:
    """``clock show|set|advance|reset`` with the options every one of them takes; the defaults are
    those of the district ``./jz up`` runs (``.jiuzhu/running.json``)."""
    from jiuzhu_devstack.cli import STATE
    from jiuzhu_devstack.up import running_district

    running = running_district(STATE)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=Path(running.get("config", default_config)),
                        help="the district file")
    common.add_argument("--nats-url", default=os.environ.get("NATS_URL") or running.get("nats_url", "nats://127.0.0.1:4222"),
                        help="the district's NATS (default: the running district's, NATS_URL or nats://127.0.0.1:4222)")
    common.add_argument("--credentials", type=Path,
                        help="credentials directory with users/operator.nk (default: .jiuzhu/credentials)")
    common.add_argument("--prefix", default=running.get("prefix", "jiuzhu"), help="bus prefix (default: jiuzhu)")
    common.add_argument("--holidays", type=Path,
                        help="a holiday file or a directory of them, besides the district file's holiday_files "
                             "(default: JZ_HOLIDAY_FILE)")
    common.add_argument("--wait", action="store_true",
                        help="wait until every service of ./jz up reports the new business time on /health")
    common.add_argument("--port-base", type=int, default=running.get("port_base", 8100),
                        help="the --port-base ./jz up was given (default: the running district's, or 8100)")
    common.add_argument("--timeout", type=float, default=30, help="seconds --wait waits (default 30)")
    p = sub.add_parser(
        "clock", help="show or move the business clock of the running district",
        description="The business date of a district started with `./jz up` (its default --clock bus: "
                    "rehearsals, training). Services started with --clock system keep the wall clock.")
    actions = p.add_subparsers(dest="action", required=True)
    actions.add_parser("show", parents=[common], help="the business time, or that the wall clock is used")
    p_set = actions.add_parser("set", parents=[common], help="set the business time: 2022-02-01 (09:00) or "
                                                             "2022-02-01T14:30")
    p_set.add_argument("when")
    p_adv = actions.add_parser("advance", parents=[common],
                               help="move it forward: 3wd working days (PRC calendar), 2d days, 4h hours")
    p_adv.add_argument("step", type=parse_step)
    actions.add_parser("reset", parents=[common], help="back to the wall clock")
    p.set_defaults(func=run)
