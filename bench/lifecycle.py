"""Benchmark (issue 7) — not a test: prints figures, asserts nothing.

    ./jz bench [--households N] [--concurrency C] [--rate R [--day-seconds 1]] [--roster-size 1000000]
               [--jurisdictions N]

Brings the Urho district up (or, with --jurisdictions N other than 3, a district of N jurisdictions
derived from it: bench/district_n.py) (embedded NATS and PostgreSQL unless NATS_URL / DATABASE_URL are set),
drives N households concurrently through the whole lifecycle with simulated staff through the
public APIs (apply → visit → data → check report → review → 7-working-day notice → decision →
roster → payment confirmed), households spread evenly over the jurisdictions, then prints:

Two modes. Without --rate, all at once: every household starts together, and when every review is
signed the business clock moves once past the 7-working-day notice, closing every window together
(the figures of docs/benchmark.md's earlier rounds). With --rate R, steadily: R households arrive a
second and the business clock rolls, one working day every --day-seconds from the moment the load
starts (RollingClock), so each household's window closes 7 working days after its own review and
its decision follows; every move makes every service tick, a cost the run includes.

* lifecycles per second and events per second over the whole run;
* oversight's lag: how many events its consumer (the one that follows the whole district) still
  had to apply when the last payment was confirmed, how long after that it caught up, and the
  p50/p99 of the hops into oversight beside those into every other service;
* p50/p95/p99 latency of each hop: an event written to its producer's outbox → processed and
  committed by a consumer (read afterwards from the services' own outbox / processed_events);
* peak resident memory of each service process; before the load, each service's CPU and memory
  while idle (--idle-seconds);
* what the run stored: bytes per message on the events stream, PostgreSQL bytes per lifecycle
  (every service database's growth), durable consumers on the stream;
* time to compile and to export (CSV) a roster of --roster-size active households.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import nats
import psutil

from jiuzhu_devstack.stack import Stack, database_url_for
from jiuzhu_devstack.walkthrough import Walker
from jiuzhu_runtime.clock import set_business_time
from jiuzhu_runtime.settings import nats_servers

sys.path.insert(0, str(Path(__file__).resolve().parent))
import district_n  # noqa: E402  (bench/ is not a package)

ROOT = Path(__file__).resolve().parents[1]
TZ = ZoneInfo("Asia/Shanghai")
DECIDED_ON = dt.date(2022, 11, 11)  # the business day of the decisions (after the 7-working-day notice)
ROLLING_FROM = dt.date(2022, 3, 1)  # --rate runs' first business day: devolution in force (2022-02-01),
# after the 2022 spring festival, with the shipped standards' years (2022–2026) ahead of it


class ProcessWatch:
    """Samples every service process's RSS, keeping the peak; and accounts the CPU seconds every
    process on the machine spent meanwhile, grouped (services, PostgreSQL, NATS, this driver)."""

    def __init__(self, stack: Stack, servers: list = ()):
        """``servers``: the embedded NATS and PostgreSQL of this run. Only their processes are counted
        (before 2026-11-29 every nats-server, postgres and check-centre simulator on the machine was:
        on a machine shared with other test runs that added theirs); a server given by URL instead is
        counted by name, every such process on the machine."""
        self.stack, self.peak = stack, defaultdict(int)
        self._roots: dict[int, str] = {}  # pid → group, for this run's servers and simulator
        self._postmaster: int | None = None
        self._embedded = set()
        for server in servers:
            if getattr(server, "process", None) is not None:  # EmbeddedNats
                self._roots[server.process.pid] = "(nats-server)"
                self._embedded.add("(nats-server)")
            elif getattr(server, "pgdata", None) is not None:  # EmbeddedPostgres
                self._postmaster = int((server.pgdata / "postmaster.pid").read_text().split()[0])
                self._roots[self._postmaster] = "(postgresql, all backends)"
                self._embedded.add("(postgresql, all backends)")
        self.cpu: dict[str, float] = defaultdict(float)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._first: dict[int, tuple[str, float]] = {}
        self._last: dict[int, tuple[str, float]] = {}
        self._next_scan = 0.0
        self._groups: dict[tuple[int, float], str | None] = {}

    def _group(self, proc: psutil.Process) -> str | None:
        """Which group a process belongs to, looked up once per process (the scan of every process
        on the machine every two seconds, reading each one's command line, was a tenth of the
        driver's CPU)."""
        key = (proc.pid, proc.create_time())
        if key not in self._groups:
            self._groups[key] = self._group_of(proc)
        return self._groups[key]

    def _group_of(self, proc: psutil.Process) -> str | None:
        by_pid = {inst.process.pid: inst.name for inst in self.stack.instances if inst.process}
        if proc.pid in by_pid:
            return by_pid[proc.pid]
        if proc.pid == os.getpid():
            return "(bench driver)"
        if proc.pid in self._roots:
            return self._roots[proc.pid]
        simulator = getattr(self.stack, "simulator", None)
        if simulator is not None and proc.pid == simulator.pid:
            return "(check-centre simulator)"
        name = proc.name()
        if name.startswith("postgres"):
            if "(postgresql, all backends)" not in self._embedded:
                return "(postgresql, all backends)"
            return "(postgresql, all backends)" if proc.ppid() == self._postmaster else None
        if name.startswith("nats-server") and "(nats-server)" not in self._embedded:
            return "(nats-server)"
        return None

    def _account(self, baseline: bool = False) -> None:
        """Per process: CPU seconds when first seen (0 for one started during the run) and now."""
        for proc in psutil.process_iter():
            try:
                group = self._group(proc)
                if group is None:
                    continue
                t = proc.cpu_times()
                used = t.user + t.system
            except psutil.Error:
                continue
            first = self._first.setdefault(proc.pid, (group, used if baseline else 0.0))
            self._last[proc.pid] = (first[0], used)

    def _run(self):
        while not self._stop.is_set():
            for inst in self.stack.instances:
                try:
                    rss = psutil.Process(inst.process.pid).memory_info().rss
                    self.peak[inst.name] = max(self.peak[inst.name], rss)
                except (psutil.Error, AttributeError):
                    pass
            if time.monotonic() >= self._next_scan:  # every process on the machine: costly, so seldom
                self._account()
                self._next_scan = time.monotonic() + 2.0
            self._stop.wait(0.25)

    def __enter__(self):
        self._account(baseline=True)  # CPU already spent by the processes running now is not counted
        self._thread.start()
        # the machine's speed meanwhile (speed_sampler.py), in a process not counted above
        self._sampler = subprocess.Popen([sys.executable, str(Path(__file__).with_name("speed_sampler.py"))],
                                         stdout=subprocess.PIPE, text=True)
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._account()
        for pid, (group, used) in self._last.items():
            self.cpu[group] += used - self._first[pid][1]
        self._sampler.terminate()
        out, _ = self._sampler.communicate(timeout=30)
        self.speed = [float(line) for line in out.split()]  # the reference loop's ms, sample by sample

def driver_client(urls, concurrency: int) -> httpx.AsyncClient:
    """One connection pool per service: httpcore scans its whole pool for every request, so one
    pool of hundreds of connections to fourteen services cost the driver more than its requests."""
    limits = httpx.Limits(max_connections=concurrency + 10, max_keepalive_connections=concurrency + 10)
    counted = defaultdict(int)  # requests per service URL, printed with the figures

    async def count(request: httpx.Request) -> None:
        counted[f"{request.url.scheme}://{request.url.netloc.decode()}"] += 1

    client = httpx.AsyncClient(timeout=60, limits=limits, event_hooks={"request": [count]}, mounts={
        url: httpx.AsyncHTTPTransport(limits=limits) for url in urls})
    client.counted = counted
    return client


def reference_loop_ms(clock=time.thread_time) -> float:
    """A fixed pure-Python loop, timed: the same machine ran it 30–60 % slower at some hours than
    at others, so figures from different runs compare only alongside it. Timed in this thread's CPU
    time (the unit CPU-seconds are divided by): in wall time it also counted the time other
    processes held the cores, so on a busy machine it read 150 ms where it took ~70 ms of CPU, and
    flattered every figure divided by it (before 2026-11-28's hot-path work it was wall time)."""
    best = float("inf")
    for _ in range(3):
        started, total = clock(), 0
        for i in range(1_000_000):
            total += i * i
        best = min(best, clock() - started)
    return best * 1000


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


async def move_clock(stack: Stack, nats_url: str, at: dt.datetime, walker: Walker) -> None:
    """Moves the business clock to ``at`` and waits until every service has ticked at it."""
    nc = await nats.connect(nats_servers(nats_url), **stack.credentials.connect_options())
    await set_business_time(nc.jetstream(), stack.config.district.code, stack.bus_prefix, at)
    await nc.close()

    async def all_ticked():
        for inst in stack.instances:
            body = (await walker.client.get(f"{inst.url}/health")).json()
            if body["ticked_at"] != at.isoformat():
                return False
        return True
    await walker.until(all_ticked, timeout=60)


class RollingClock:
    """``--rate`` runs: the business clock moves forward one working day every ``day_seconds``
    seconds of the run, as a district's own calendar does, from the moment the load starts — so a
    household applies on the business day it arrives, its 7-working-day publicity window closes 7
    working days after its own review, and its decision follows its own window. Weekends and
    holidays (the district's calendar, ``calendar_for``) are stepped over within one move: every
    business day of the run is a working day and every move closes one working day's windows.

    A move does not wait for the services to have ticked (the load goes on meanwhile): every
    ``sample_every``-th move, a side task times how long it took to reach every service (their
    ``/health``), or notes that a service had not ticked at it within ``2 × day_seconds``. Nothing
    the driver does needs the wait: the visit is dated on the day the case was accepted, the
    decision waits for its own window's closing in decision's work list."""

    def __init__(self, stack: Stack, nats_url: str, walker: Walker, calendar, start: dt.date,
                 day_seconds: float, last_day: dt.date, sample_every: int = 5):
        self.stack, self.nats_url, self.walker, self.calendar = stack, nats_url, walker, calendar
        self.today, self.day_seconds, self.last_day, self.sample_every = start, day_seconds, last_day, sample_every
        self.first_day, self.moves = start, 0
        self.reached: list[float] = []  # sampled moves: seconds until every service had ticked at it
        self.not_reached = 0  # sampled moves some service had not ticked at within 2 × day_seconds
        self.last_to_tick: dict[str, int] = defaultdict(int)  # sampled moves: the service that ticked last
        self._samples: set[asyncio.Task] = set()

    def next_working_day(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.calendar.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    async def run(self) -> None:
        nc = await nats.connect(nats_servers(self.nats_url), **self.stack.credentials.connect_options())
        js = nc.jetstream()
        began = time.perf_counter()
        try:
            while True:  # on a fixed schedule: a slow move does not push the later ones back
                await asyncio.sleep(max(0.0, began + (self.moves + 1) * self.day_seconds - time.perf_counter()))
                day = self.next_working_day(self.today)
                if day > self.last_day:
                    print(f"  note: the business clock stops at {self.today}: the configuration has no "
                          f"standards after {self.last_day.year} (use a longer --day-seconds)", flush=True)
                    return
                at = dt.datetime.combine(day, dt.time(9), TZ)
                sent = time.perf_counter()
                await set_business_time(js, self.stack.config.district.code, self.stack.bus_prefix, at)
                self.today = day
                self.moves += 1
                if self.moves % self.sample_every == 0:
                    task = asyncio.create_task(self._reach(at, sent))
                    self._samples.add(task)
                    task.add_done_callback(self._samples.discard)
        finally:
            await nc.close()

    async def _reach(self, at: dt.datetime, sent: float) -> None:
        waiting, last = list(self.stack.instances), None
        deadline = sent + 2 * self.day_seconds
        while waiting and time.perf_counter() < deadline:
            still = []
            for inst in waiting:
                try:
                    ticked = (await self.walker.client.get(f"{inst.url}/health")).json()["ticked_at"]
                except (httpx.HTTPError, ValueError, KeyError):
                    ticked = None
                if ticked is None or dt.datetime.fromisoformat(ticked) < at:
                    still.append(inst)
            if len(still) == 1 or (not still and len(waiting) == 1):
                last = (still or waiting)[0].name
            waiting = still
            if waiting:
                await asyncio.sleep(0.02)
        if waiting:
            self.not_reached += 1
        else:
            self.reached.append(time.perf_counter() - sent)
            self.last_to_tick[last or "(several together)"] += 1

    async def stop(self, task: asyncio.Task) -> None:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        for sample in list(self._samples):
            sample.cancel()


class Worklists:
    """Simulated staff look at their work lists, as the console does, not at each case: every
    ``every`` seconds one query per list per jurisdiction — verification's open investigations
    (``GET /tasks``) and decision's cases awaiting a decision with their publicity (``GET /cases``) —
    and only for the lists someone is waiting on. Polling each case once a second cost the driver,
    and the services answering it, more than the work (issue 14)."""

    LIMIT = 1000  # the largest page both lists give

    def __init__(self, walker: Walker, every: float):
        self.walker, self.every = walker, every
        self._waiting: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
        self.queries = 0

    async def task_open(self, jurisdiction: str, case_id: str) -> None:
        await self._wait(("tasks", jurisdiction), case_id, lambda row: True)

    async def report_received(self, jurisdiction: str, case_id: str) -> None:
        await self._wait(("tasks", jurisdiction), case_id, lambda row: row["check_report_received"])

    async def decision_ready(self, jurisdiction: str, case_id: str) -> None:
        await self._wait(("decisions", jurisdiction), case_id, lambda row: row["publicity"] == "clean")

    async def _wait(self, key, case_id, predicate) -> None:
        future = asyncio.get_running_loop().create_future()
        self._waiting[key][case_id].append((predicate, future))
        await future

    async def _look(self, kind: str, jurisdiction: str) -> dict[str, dict]:
        self.queries += 1
        if kind == "tasks":
            rows = (await self.walker.call("GET", "verification", jurisdiction, "/tasks", role="investigator",
                                           params={"limit": self.LIMIT})).json()
        else:
            rows = (await self.walker.call("GET", "decision", jurisdiction, "/cases", role="leader",
                                           params={"limit": self.LIMIT})).json()
        if len(rows) >= self.LIMIT:
            print(f"  note: {kind} of {jurisdiction} hold {self.LIMIT}+ cases; the list is cut there", flush=True)
        return {row["case_id"]: row for row in rows}

    async def run(self) -> None:
        while True:
            for key in [k for k, cases in self._waiting.items() if cases]:
                rows = await self._look(*key)
                cases = self._waiting[key]
                for case_id in [c for c in cases if c in rows]:
                    still = []
                    for predicate, future in cases[case_id]:
                        if predicate(rows[case_id]):
                            future.done() or future.set_result(None)
                        elif not future.done():
                            still.append((predicate, future))
                    if still:
                        cases[case_id] = still
                    else:
                        del cases[case_id]
            await asyncio.sleep(self.every)


async def lifecycle(walker: Walker, worklists: Worklists, seq: int, day: dt.date, stage_two: asyncio.Event,
                    results: dict, config, rolling: RollingClock | None = None) -> None:
    """One household, apply → decision. ``rolling``: the business clock moves on its own (--rate),
    ``stage_two`` is already set, the visit is dated on the day of acceptance and the decision on
    the day it is taken; otherwise everything happens on ``day`` and DECIDED_ON."""
    jur = config.jurisdictions[seq % len(config.jurisdictions)]  # households spread evenly
    jurisdiction = jur.code
    members = walker.household(100_000 + seq)
    accepted = await walker.apply(jurisdiction, members, committee=jur.committees[0])
    case_id = accepted["case_id"]
    await worklists.task_open(jurisdiction, case_id)
    visited_on = dt.date.fromisoformat(str(accepted["accepted_on"])) if rolling else day
    await walker.investigate(jurisdiction, case_id, members, visited_on, wait=False)
    # verification's /tasks shows whether the check report is in (before 2026-11-29 no list did, and
    # this wait looked at each case itself, once a second).
    await worklists.report_received(jurisdiction, case_id)
    await walker.review(jurisdiction, case_id)
    results["reviewed"] += 1
    if results["reviewed"] % 10 == 0:
        print(f"  {results['reviewed']} reviews signed", flush=True)
    await stage_two.wait()  # all at once: the business clock moves past every 7-working-day window at once
    await asyncio.wait_for(worklists.decision_ready(jurisdiction, case_id), timeout=300)
    # where approval was never devolved (Urho's park) the district bureau decides (SPEC §3)
    on = rolling.today if rolling else DECIDED_ON
    decided = await walker.decide(jurisdiction, case_id,
                                  by_bureau=district_n.approving_body(config, jurisdiction, on) == "district_bureau")
    results["paid_from"].append(decided.json()["first_month_paid"])
    results["decided"].append(case_id)
    if len(results["decided"]) % 10 == 0:
        print(f"  {len(results['decided'])} decided", flush=True)


def is_oversight(consumer: str) -> bool:
    """A durable consumer of oversight: one per jurisdiction and one for the district's own events
    (``oversight-<chain>``, jiuzhu_contracts.consumers), and its calendar's. Before 2026-11-29 the
    bench looked for one named ``oversight``, gone since oversight was partitioned by jurisdiction,
    so its lag and backlog read 0 whatever they were."""
    return consumer == "oversight" or consumer.startswith("oversight-")


async def consumers_drained(stack: Stack, nats_url: str, started: float) -> dict:
    """Waits until no durable consumer has pending or unacknowledged messages. Returns, from the
    moment it is called (the end of the run): how many events oversight's consumers still had to
    apply then and how many the slowest other consumer had, the stream's last sequence, and the
    times (since ``started``) at which oversight, then every consumer, had caught up."""
    from jiuzhu_contracts.subjects import events_stream

    nc = await nats.connect(nats_servers(nats_url), **stack.credentials.connect_options())
    js = nc.jetstream()
    out: dict = {}
    try:
        while True:
            busy, oversight, others = 0, 0, 0
            for info in await js.consumers_info(events_stream(stack.bus_prefix)):
                behind = info.num_pending + info.num_ack_pending
                busy += behind
                if is_oversight(info.name):  # together its consumers follow the whole district
                    oversight += behind
                else:
                    others = max(others, behind)
            if not out:
                out = {"oversight_behind": oversight, "others_behind": others,
                       "last_seq": (await js.stream_info(events_stream(stack.bus_prefix))).state.last_seq}
            if oversight == 0 and "oversight_after" not in out:
                out["oversight_after"] = time.perf_counter() - started
            if busy == 0:
                out["all_after"] = time.perf_counter() - started
                return out
            await asyncio.sleep(0.5)
    finally:
        await nc.close()


class BacklogWatch:
    """Once a second during the run: how many events oversight's consumers have not yet applied
    (pending + unacknowledged), and the same for the most-behind other consumer; keeps the peaks."""

    def __init__(self, stack: Stack, nats_url: str):
        self.stack, self.nats_url = stack, nats_url
        self.oversight_peak, self.others_peak, self.samples = 0, 0, 0
        self.oversight_sum = 0

    async def _run(self) -> None:
        from jiuzhu_contracts.subjects import events_stream

        nc = await nats.connect(nats_servers(self.nats_url), **self.stack.credentials.connect_options())
        js = nc.jetstream()
        try:
            while True:
                oversight, others = 0, 0
                for info in await js.consumers_info(events_stream(self.stack.bus_prefix)):
                    behind = info.num_pending + info.num_ack_pending
                    if is_oversight(info.name):
                        oversight += behind
                    else:
                        others = max(others, behind)
                self.oversight_peak = max(self.oversight_peak, oversight)
                self.others_peak = max(self.others_peak, others)
                self.oversight_sum += oversight
                self.samples += 1
                await asyncio.sleep(1.0)
        finally:
            await nc.close()

    def start(self) -> "BacklogWatch":
        self._task = asyncio.create_task(self._run())
        return self

    async def stop(self) -> None:
        self._task.cancel()
        try:
            await self._task
        except (asyncio.CancelledError, Exception):
            pass


async def stream_bytes(stack: Stack, nats_url: str) -> tuple[int, int, int]:
    """(messages, bytes, durable consumers) of the district's events stream."""
    from jiuzhu_contracts.subjects import events_stream

    nc = await nats.connect(nats_servers(nats_url), **stack.credentials.connect_options())
    try:
        state = (await nc.jetstream().stream_info(events_stream(stack.bus_prefix))).state
        return state.messages, state.bytes, state.consumer_count
    finally:
        await nc.close()


async def idle_use(stack: Stack, seconds: float) -> tuple[float, float]:
    """(CPU ms per second, RSS MiB), averaged over the service processes, with no load at all."""
    procs = [psutil.Process(inst.process.pid) for inst in stack.instances]
    before = [sum(p.cpu_times()[:2]) for p in procs]
    await asyncio.sleep(seconds)
    used = [sum(p.cpu_times()[:2]) - b for p, b in zip(procs, before)]
    rss = [p.memory_info().rss for p in procs]
    return sum(used) * 1000 / seconds / len(procs), sum(rss) / len(rss) / 2**20


async def database_bytes(stack: Stack) -> int:
    """Sum of the service databases' sizes on the PostgreSQL server (tables, indexes, TOAST)."""
    conn = await asyncpg.connect(database_url_for(stack.database_url, "postgres"))
    try:
        return await conn.fetchval("SELECT sum(pg_database_size(datname))::bigint FROM pg_database "
                                   "WHERE datname = any($1::text[])", [i.database for i in stack.instances])
    finally:
        await conn.close()


async def transactions_committed(stack: Stack) -> int:
    """Transactions committed in the service databases so far (``pg_stat_database``; the statistics
    reach it within a second or so of each commit)."""
    conn = await asyncpg.connect(database_url_for(stack.database_url, "postgres"))
    try:
        return await conn.fetchval("SELECT sum(xact_commit)::bigint FROM pg_stat_database "
                                   "WHERE datname = any($1::text[])", [i.database for i in stack.instances])
    finally:
        await conn.close()


async def hop_latencies(stack: Stack, since: dt.datetime) -> tuple[dict[str, list[float]], int]:
    """event type → consumer service: seconds from outbox row to the consumer's commit, for the
    events written since the load began (not the authority grants of the start-up); and how many
    events were written since then."""
    written: dict[str, tuple[str, dt.datetime]] = {}
    for inst in stack.instances:
        conn = await asyncpg.connect(database_url_for(stack.database_url, inst.database))
        for row in await conn.fetch("SELECT event_id, event_type, created_at FROM outbox WHERE created_at >= $1",
                                    since):
            written[row["event_id"]] = (row["event_type"], row["created_at"])
        await conn.close()
    hops: dict[str, list[float]] = defaultdict(list)
    for inst in stack.instances:
        conn = await asyncpg.connect(database_url_for(stack.database_url, inst.database))
        for row in await conn.fetch("SELECT event_id, processed_at FROM processed_events"):
            if row["event_id"] in written:
                event_type, created = written[row["event_id"]]
                hops[f"{event_type} → {inst.service}"].append((row["processed_at"] - created).total_seconds())
        await conn.close()
    return hops, len(written)


def month_after(month: str) -> str:
    index = int(month[:4]) * 12 + int(month[5:7])  # the next month's index (months counted from 0)
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


async def million_roster(stack: Stack, walker: Walker, size: int,
                         month: str = "2023-06") -> tuple[float, float, float, int]:
    """Loads ``size`` active households into disbursement's register, paid from ``month`` (a month
    the run's own roster is not for); times compile and CSV export."""
    inst = stack.instance("disbursement")
    conn = await asyncpg.connect(database_url_for(stack.database_url, inst.database))
    started = time.perf_counter()
    codes = [j.code for j in stack.config.jurisdictions]
    records = ((f"B-{i:08d}", codes[i % len(codes)], "dibao", f"户主{i}", 2, 90000 + i % 50000, month, None,
                f"6222{i:012d}", dt.date(2029, 12, 15)) for i in range(size))
    await conn.copy_records_to_table("recipients", records=records, columns=[
        "case_id", "jurisdiction", "category", "public_name", "household_size", "amount_fen", "from_month",
        "until_month", "payment_account", "approved_on"])
    await conn.execute("ANALYZE recipients")
    await conn.close()
    load = time.perf_counter() - started
    started = time.perf_counter()
    roster = (await walker.call("POST", "disbursement", None, "/rosters", role="bureau_admin",
                                json={"month": month}, timeout=600)).json()
    compiled = time.perf_counter() - started
    started = time.perf_counter()
    size_bytes = 0
    async with walker.client.stream("GET", walker.url("disbursement") + f"/rosters/{roster['roster_id']}/export.csv",
                                    headers=walker.headers("bureau_admin"), timeout=600) as response:
        async for chunk in response.aiter_bytes():
            size_bytes += len(chunk)
    exported = time.perf_counter() - started
    return load, compiled, exported, roster["lines"]


async def run(args) -> None:
    from jiuzhu_devstack.credentials import ensure
    from jiuzhu_devstack.embedded_nats import EmbeddedNats
    from jiuzhu_devstack.embedded_postgres import EmbeddedPostgres
    from jiuzhu_kernel.district_config import load_district_config
    from jiuzhu_kernel.working_days import calendar_for

    work = Path(tempfile.mkdtemp(prefix="jiuzhu-bench-"))
    servers = []
    nats_url, database_url = os.environ.get("NATS_URL"), os.environ.get("DATABASE_URL")
    run_id = secrets.token_hex(3)
    prefix = f"bench{run_id}"
    if args.jurisdictions == district_n.URHO_JURISDICTIONS:
        config_path = ROOT / "config" / "urho.toml"  # the shipped configuration, as it is
    else:
        config_path, _ = district_n.write(ROOT / "config" / "urho.toml", args.jurisdictions, work / "config")
        print(f"district of {args.jurisdictions} jurisdictions: {config_path}", flush=True)
    config = load_district_config(config_path)
    if args.rate:  # the rolling clock must stay within the years the configuration has standards for
        calendar, last = calendar_for(config, config_path.parent), max(s.year for s in config.standards)
        # the arrivals' days, then the last review, its 7-working-day window and the decision
        needed = int(args.households / args.rate / args.day_seconds) + 30
        if calendar.add(ROLLING_FROM, needed).due_on.year > last:
            shutil.rmtree(work, ignore_errors=True)
            raise SystemExit(f"--rate {args.rate:g} with --day-seconds {args.day_seconds:g}: {args.households} "
                             f"households take ~{needed} working days from {ROLLING_FROM}, past {last}, the "
                             f"last year with standards; use a longer --day-seconds")
    credentials = ensure(work / "credentials", config, prefix=prefix)
    if not nats_url:
        servers.append(EmbeddedNats(work / "nats", auth_file=credentials.nats_auth_file).start())
        nats_url = servers[-1].url
    if not database_url:
        servers.append(EmbeddedPostgres(work / "pg").start())
        database_url = servers[-1].url
    stack = Stack(config_path, nats_url=nats_url, database_url=database_url,
                  credentials=credentials, log_dir=work / "logs", port_base=args.port_base, clock="bus",
                  bus_prefix=prefix,
                  database_prefix=f"bench{run_id}", with_console=False)
    reference_before, wall_before = reference_loop_ms(), reference_loop_ms(time.perf_counter)
    print(f"starting {len(stack.instances)} services (logs in {work / 'logs'}) …", flush=True)
    urls = {(i.service, i.jurisdiction): i.url for i in stack.instances}
    walker = Walker(urls=urls, issuer=credentials.issuer(), district=stack.config.district.code,
                    poll_every=args.poll,
                    client=driver_client(urls.values(), args.concurrency))
    worklists = Worklists(walker, args.poll)
    looking = None
    try:
        stack.start(timeout=300)  # inside the try: a service that fails to start stops the others too
        looking = asyncio.create_task(worklists.run())
        day = dt.date(2022, 11, 1)  # a year the shipped configuration has standards for
        results = {"reviewed": 0, "decided": [], "paid_from": []}
        stage_two = asyncio.Event()
        gate = asyncio.Semaphore(args.concurrency)
        rolling = rolling_task = None
        if args.rate:  # the business clock rolls: one working day every --day-seconds (RollingClock)
            day = ROLLING_FROM
            rolling = RollingClock(stack, nats_url, walker, calendar_for(stack.config, config_path.parent), day,
                                   args.day_seconds, last_day=dt.date(max(s.year for s in stack.config.standards), 12, 31))
            stage_two.set()
        await move_clock(stack, nats_url, dt.datetime.combine(day, dt.time(9), TZ), walker)
        idle_cpu, idle_rss = (await idle_use(stack, args.idle_seconds)) if args.idle_seconds else (0.0, 0.0)
        stored_before = await database_bytes(stack)
        committed_before = await transactions_committed(stack)

        async def one(seq):
            if args.rate:  # open loop: households arrive steadily instead of all at once
                await asyncio.sleep(seq / args.rate)
            async with gate:
                await lifecycle(walker, worklists, seq, day, stage_two, results, stack.config, rolling)

        backlog = BacklogWatch(stack, nats_url).start()  # stopped when every consumer has caught up
        with ProcessWatch(stack, servers) as memory:
            started, load_began = time.perf_counter(), dt.datetime.now(dt.timezone.utc)
            if rolling:
                rolling_task = asyncio.create_task(rolling.run())
            tasks = [asyncio.create_task(one(i)) for i in range(args.households)]
            if args.concurrency < args.households and not rolling:
                print("note: concurrency below the household count serialises the 7-day window; "
                      "use --concurrency ≥ --households", flush=True)
            async def all_reviewed():
                for task in tasks:
                    if task.done() and task.exception():
                        raise task.exception()
                return results["reviewed"] >= args.households

            await walker.until(all_reviewed, timeout=3600)
            first_half = time.perf_counter() - started
            if rolling:
                await asyncio.gather(*tasks)
                await rolling.stop(rolling_task)
                # decided in month M: paid from M + 1 (D21 art. 21, 25); the roster of the latest such
                # month holds every household (disbursement's roster: from_month ≤ month, no end)
                month = max(results["paid_from"])
            else:
                moved = time.perf_counter()
                await move_clock(stack, nats_url, dt.datetime.combine(DECIDED_ON, dt.time(9), TZ), walker)
                moved = time.perf_counter() - moved
                stage_two.set()
                await asyncio.gather(*tasks)
                month = "2022-12"  # decided in November: paid from December (D21 art. 21, 25)

            async def register_complete():
                r = await walker.call("GET", "disbursement", None, "/recipients", role="bureau_admin",
                                      params={"limit": 10000})
                return len(r.json()) >= args.households
            await walker.until(register_complete, timeout=600)
            roster = (await walker.call("POST", "disbursement", None, "/rosters", role="bureau_admin",
                                        json={"month": month}, timeout=600)).json()
            await walker.call("POST", "disbursement", None, f"/rosters/{roster['roster_id']}/submit",
                              role="bureau_admin", timeout=600)
            confirmed = (await walker.call("POST", "disbursement", None, f"/rosters/{roster['roster_id']}/payments",
                                           role="finance", json={"all": "paid"}, timeout=600)).json()
            elapsed = time.perf_counter() - started
            print("waiting for every consumer to catch up before measuring hops …", flush=True)
            drained = await consumers_drained(stack, nats_url, started)
            drained_after = drained["all_after"]
            await backlog.stop()

        hops, written = await hop_latencies(stack, load_began)
        stream_messages, stream_size, consumer_count = await stream_bytes(stack, nats_url)
        stored = await database_bytes(stack) - stored_before
        committed = await transactions_committed(stack) - committed_before
        events = sum(len(v) for v in hops.values())
        print()
        reference_after, wall_after = reference_loop_ms(), reference_loop_ms(time.perf_counter)
        reference = (reference_before + reference_after) / 2  # ms: the unit CPU per lifecycle is given in
        print(f"machine speed              reference loop {reference_before:.0f} ms of CPU before the run, "
              f"{reference_after:.0f} ms after (lower is faster; in wall time {wall_before:.0f} and "
              f"{wall_after:.0f} ms: more than the CPU time when other processes hold the cores)")
        arrival = f"arriving {args.rate:g}/s" if args.rate else "all at once"
        if rolling:
            reached = (f"every service had ticked p50 {percentile(rolling.reached, .5) * 1000:.0f} ms, "
                       f"max {max(rolling.reached) * 1000:.0f} ms after a move " if rolling.reached else
                       "no sampled move had reached every service within 2 days ")
            reached += (f"({len(rolling.reached)} of {len(rolling.reached) + rolling.not_reached} sampled moves; "
                        f"{rolling.not_reached} not within 2 days; the last to tick: " + (", ".join(
                            f"{name} {n}×" for name, n in sorted(rolling.last_to_tick.items(), key=lambda kv: -kv[1]))
                            or "–") + ")")
            print(f"business clock             rolling: one working day every {args.day_seconds:g} s, "
                  f"{rolling.first_day} → {rolling.today} ({rolling.moves} moves, each one tick of every "
                  f"service; {args.rate:g} households a second = {args.rate * args.day_seconds:g} a day); "
                  f"the load never waited for a move: {reached}; roster month {month}")
            breached = len(hops.get("deadline_breached → oversight", []))
            print(f"deadlines breached         {breached} (a working day of {args.day_seconds:g} s: a step that "
                  f"lags by seconds misses a 3- or 5-day deadline, and oversight records it)")
        else:
            print(f"business clock             all at once: one move {day} → {DECIDED_ON} after every review "
                  f"was signed, closing every publicity window together (the load waited {moved:.1f} s for "
                  f"every service to tick)")
        print(f"jurisdictions              {len(stack.config.jurisdictions)} ({len(stack.instances)} services)")
        print(f"households                 {args.households} ({arrival}, concurrency {args.concurrency})")
        print(f"lifecycles completed       {len(results['decided'])} decided, {confirmed['paid']} paid")
        print(f"wall time                  {elapsed:.1f} s  (to all reviews signed: {first_half:.1f} s; "
              f"every consumer caught up after {drained_after:.1f} s)")
        print(f"lifecycles per second      {args.households / elapsed:.2f}")
        print(f"events written per second  {written / elapsed:.1f}  ({written} events, "
              f"{written / args.households:.1f} per lifecycle)")
        print(f"event deliveries per second {events / elapsed:.1f}  ({events} consumer commits, "
              f"{events / args.households:.1f} per lifecycle)")
        print(f"PostgreSQL transactions    {committed / args.households:.1f} committed per lifecycle in the service "
              f"databases (consumers' batches, requests, relay rounds, the bench's own reads)")
        print(f"events stream              {stream_messages} messages, {stream_size} bytes "
              f"({stream_size / max(stream_messages, 1):.0f} bytes per message as stored; "
              f"{consumer_count} durable consumers)")
        print(f"PostgreSQL growth          {stored / 2**20:.1f} MiB over {len(stack.instances)} databases "
              f"= {stored / args.households / 1024:.0f} KiB per lifecycle (pages allocated, so coarse "
              f"for small runs)")
        if args.idle_seconds:
            print(f"idle, before the load      {idle_cpu:.1f} ms CPU per second per service, "
                  f"RSS {idle_rss:.1f} MiB per service (mean over {len(stack.instances)}, {args.idle_seconds:g} s)")
        into_oversight = [v for hop, values in hops.items() if hop.endswith("→ oversight") for v in values]
        elsewhere = [v for hop, values in hops.items() if not hop.endswith("→ oversight") for v in values]
        print(f"oversight lag              {drained['oversight_behind']} of {drained['last_seq']} events "
              f"not yet applied when the last payment was confirmed (slowest other consumer: "
              f"{drained['others_behind']}); caught up {drained['oversight_after'] - elapsed:.1f} s later")
        print(f"oversight backlog          peak {backlog.oversight_peak} events not yet applied, mean "
              f"{backlog.oversight_sum / max(backlog.samples, 1):.0f} (sampled each second); the most-behind "
              f"other consumer's peak: {backlog.others_peak}")
        print(f"hops into oversight        p50 {percentile(into_oversight, .5) * 1000:.0f} ms, "
              f"p99 {percentile(into_oversight, .99) * 1000:.0f} ms ({len(into_oversight)} hops); "
              f"into every other service p50 {percentile(elsewhere, .5) * 1000:.0f} ms, "
              f"p99 {percentile(elsewhere, .99) * 1000:.0f} ms ({len(elsewhere)} hops)")
        print()
        print(f"{'hop (event → consumer)':<52}{'n':>7}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
        everything = []
        for hop, values in sorted(hops.items()):
            everything += values
            print(f"{hop:<52}{len(values):>7}{percentile(values, .5) * 1000:>10.1f}"
                  f"{percentile(values, .95) * 1000:>10.1f}{percentile(values, .99) * 1000:>10.1f}")
        print(f"{'all hops':<52}{len(everything):>7}{percentile(everything, .5) * 1000:>10.1f}"
              f"{percentile(everything, .95) * 1000:>10.1f}{percentile(everything, .99) * 1000:>10.1f}")
        print()
        # CPU per lifecycle in reference loops (CPU ms ÷ the reference loop's ms): comparable between
        # runs on machines, or hours, of different speed.
        print(f"{'process':<28}{'peak RSS MiB':>14}{'CPU s':>9}{'CPU ms per lifecycle':>22}{'ref. loops':>12}")
        for name in sorted(set(memory.peak) | set(memory.cpu)):
            rss = f"{memory.peak[name] / 2**20:.1f}" if name in memory.peak else ""
            cpu = memory.cpu.get(name, 0.0)
            per = cpu * 1000 / args.households
            print(f"{name:<28}{rss:>14}{cpu:>9.1f}{per:>22.0f}{per / reference:>12.2f}")
        total_cpu = sum(memory.cpu.values())
        per = total_cpu * 1000 / args.households
        print(f"{'all':<28}{'':>14}{total_cpu:>9.1f}{per:>22.0f}{per / reference:>12.2f}"
              f"   ({os.cpu_count()} cores × {elapsed:.1f} s = {os.cpu_count() * elapsed:.1f} CPU s available)")
        print(f"CPU per lifecycle          {per:.0f} ms = {per / reference:.2f} reference loops "
              f"(reference loop {reference:.0f} ms)")
        # The system's own: what issue 14's target is about. The driver (simulated staff) and the
        # check-centre simulator stand in for people and for another authority's system.
        outside = {"(bench driver)", "(check-centre simulator)"}
        system_cpu = sum(cpu for name, cpu in memory.cpu.items() if name not in outside)
        system = system_cpu * 1000 / args.households
        print(f"the system's own CPU       {system:.0f} ms = {system / reference:.2f} reference loops per lifecycle "
              f"(services, PostgreSQL, NATS; without the driver and the check-centre simulator)")
        if len(memory.speed) >= 3:  # the same CPU in the loop as it ran during the load (speed_sampler.py)
            during = percentile(memory.speed, .5)
            print(f"at the load's own speed    {system / during:.2f} reference loops per lifecycle, the system's own "
                  f"(reference loop during the load: median {during:.0f} ms of {len(memory.speed)} samples, "
                  f"{min(memory.speed):.0f}–{max(memory.speed):.0f}; slower than on the quiet machine before and after: "
                  f"compare runs by this figure, earlier rounds by the one above)")
        groups: dict[str, float] = defaultdict(float)
        for name, cpu in memory.cpu.items():
            service = next((i.service for i in stack.instances if i.name == name), None)
            groups["oversight" if service == "oversight" else "disbursement" if service == "disbursement"
                   else "the jurisdiction services" if service else name.strip("()")] += cpu
        print("where it goes             " + "; ".join(
            f"{name} {cpu * 1000 / args.households / reference:.2f}"
            for name, cpu in sorted(groups.items(), key=lambda kv: -kv[1])) + "  (reference loops per lifecycle)")
        requests = sum(walker.client.counted.values())
        print(f"driver requests            {requests} HTTP requests = {requests / args.households:.1f} per lifecycle "
              f"({worklists.queries} work-list queries)")
        if args.roster_size:
            print()
            load, compiled, exported, lines = await million_roster(
                stack, walker, args.roster_size, month_after(month) if rolling else "2023-06")
            print(f"roster of {lines} households: compile {compiled:.2f} s, export CSV {exported:.2f} s, "
                  f"total {compiled + exported:.2f} s  (loading the register took {load:.1f} s)")
    finally:
        if looking is not None:
            looking.cancel()
        await walker.client.aclose()
        stack.stop()
        for server in reversed(servers):
            server.stop()
        if args.keep:
            print(f"kept {work} (logs, databases, stream)")
        else:  # a run leaves ~1 GB of PostgreSQL and JetStream files behind
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--roster-size", type=int, default=1_000_000)
    parser.add_argument("--port-base", type=int, default=19100,
                        help="district services from here, jurisdiction j's at port-base + 10·(j+1) + 0…3")
    parser.add_argument("--jurisdictions", type=int, default=district_n.URHO_JURISDICTIONS,
                        help="jurisdictions in the district (default 3: config/urho.toml as it is; any "
                             "other number: a district derived from it, bench/district_n.py)")
    parser.add_argument("--idle-seconds", type=float, default=20.0,
                        help="before the load, measure the services' CPU and memory while idle this long (0: skip)")
    parser.add_argument("--poll", type=float, default=1.0,
                        help="seconds between a simulated clerk's looks at the work lists")
    parser.add_argument("--keep", action="store_true",
                        help="keep the run's temporary directory (logs, databases, stream) instead of removing it")
    parser.add_argument("--rate", type=float, default=0.0,
                        help="households arriving per second (default: all at once, every review first, "
                             "then one move of the business clock closes every publicity window together). "
                             "With a rate the business clock rolls: one working day every --day-seconds "
                             "from the moment the load starts (from 2022-03-01), a household applies on "
                             "the day it arrives and is decided when its own window closes, so every hop "
                             "shows the system at that steady load")
    parser.add_argument("--day-seconds", type=float, default=1.0,
                        help="with --rate: seconds of the run per business (working) day (default 1: at "
                             "--rate 3 a day holds 3 households); every move makes every service tick")
    args = parser.parse_args()
    if args.rate < 0 or args.day_seconds <= 0:
        parser.error("--rate ≥ 0 and --day-seconds > 0")
    if not 1 <= args.jurisdictions <= 99:
        parser.error("--jurisdictions: 1 to 99")
    if args.port_base + 10 * (args.jurisdictions + 1) + 3 > 65535:
        parser.error(f"--port-base {args.port_base} leaves no room for {args.jurisdictions} jurisdictions' ports")
    asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
