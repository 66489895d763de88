"""The runtime's hot path alone (issue 14): CPU per consumer transaction and per relayed event,
on an embedded PostgreSQL (or DATABASE_URL), without services, HTTP or NATS — so that a change to
the unit of work, the claims, the outbox or the pool can be measured on a busy machine, where the
whole benchmark's run-to-run noise is larger than the change. Not a test; asserts nothing.

    .venv/bin/python bench/hot_path.py [--transactions 3000] [--events 1]

Each transaction is a consumer's: claim the event, one state update (kept for the flush, as the
case store keeps a change), emit ``--events`` events;
then the relay publishes each transaction's rows as it would when woken by that commit (the
publish itself is a no-op here) — first reading them from the table, then as the commit handed
them to it (``OutboxRelay.hand``), each timed apart. Prints this process's CPU µs per transaction and per relayed
event, PostgreSQL's (all backends), and the reference loop to read them with."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psutil
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Text

from jiuzhu_contracts.envelope import new_event_id
from jiuzhu_contracts.examples import EXAMPLES, envelope
from jiuzhu_runtime.db import make_engine, make_sessions, runtime_metadata
from jiuzhu_runtime.migrate import ensure_database
from jiuzhu_runtime.relay import OutboxRelay
from jiuzhu_runtime.unit_of_work import UnitOfWork

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lifecycle import reference_loop_ms  # noqa: E402

state = MetaData()
cases = Table("hot_cases", state, Column("case_id", Text, primary_key=True), Column("events", Integer, nullable=False),
              Column("updated_at", DateTime(timezone=True)))


POSTMASTER: psutil.Process | None = None  # the embedded server's; None: every postgres process


def postgres_cpu() -> float:
    procs = ([POSTMASTER, *POSTMASTER.children(recursive=True)] if POSTMASTER is not None
             else [p for p in psutil.process_iter(["name"]) if (p.info["name"] or "").startswith("postgres")])
    used = 0.0
    for proc in procs:
        try:
            t = proc.cpu_times()
            used += t.user + t.system
        except psutil.Error:
            pass
    return used


async def run(url: str, transactions: int, events: int) -> None:
    await ensure_database(url)
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(runtime_metadata.drop_all)
        await conn.run_sync(state.drop_all)
        await conn.run_sync(runtime_metadata.create_all)
        await conn.run_sync(state.create_all)
        await conn.execute(cases.insert(), [{"case_id": f"case-{i}", "events": 0} for i in range(100)])
    sessions = make_sessions(engine)

    async def no_publish(subject, body, headers, stream):
        return 1, False

    relay = OutboxRelay(sessions, no_publish, "hot")
    example = EXAMPLES[2]

    async def one(i: int, handed: bool) -> None:
        case_id = f"case-{i % 100}"
        hand = {"hand_to_relay": relay.hand, "relay_look_again": relay.look_again} if handed else {}
        async with UnitOfWork(sessions, "hot", **hand) as uow:
            await uow.claim_many("hot-consumer", [new_event_id()])
            # the case's change, kept for the flush as the case store keeps it (written with the events)
            uow.update_later(cases, "case_id", case_id, {"events": i})
            for _ in range(events):
                await uow.emit(envelope(example, case_id=case_id))

    async def relay_round(handed: bool) -> None:
        if handed:  # what the relay does with the rows a commit handed it
            await relay.publish_handed()
        else:  # as woken once per commit, reading the table
            while await relay.publish_pending() >= relay._batch:
                pass

    for i in range(200):  # warm: pools, prepared statements, compiled caches
        await one(i, i % 2 == 0)
        await relay_round(i % 2 == 0)
    figures = {}
    for handed in (False, True):
        spent = {"consumer": [0.0, 0.0], "relay": [0.0, 0.0]}
        wall = time.perf_counter()
        for i in range(transactions):  # a commit, then the relay round it wakes; each timed apart
            for part, step in (("consumer", one(i, handed)), ("relay", relay_round(handed))):
                pg = postgres_cpu()
                ours = time.process_time()  # after the look at PostgreSQL's processes, not counting it
                await step
                spent[part][0] += time.process_time() - ours
                spent[part][1] += postgres_cpu() - pg
        figures[handed] = spent, time.perf_counter() - wall
    await engine.dispose()
    reference = reference_loop_ms()
    print(f"reference loop {reference:.0f} ms of CPU; {transactions} transactions each way")
    for handed, (spent, seconds) in figures.items():
        for part, (cpu, pg_cpu) in spent.items():
            what = f"{part} ({'rows handed to the relay' if handed else 'relay reads the table'})"
            print(f"{what:<42} this process {cpu / transactions * 1e6:7.0f} µs, PostgreSQL "
                  f"{pg_cpu / transactions * 1e6:7.0f} µs of CPU "
                  f"({(cpu + pg_cpu) / transactions * 1e3 / reference * 1000:.2f} thousandths of a reference loop)")
        print(f"{'':<42} wall {seconds / transactions * 1e6:.0f} µs per transaction and its relay round")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transactions", type=int, default=3000)
    parser.add_argument("--events", type=int, default=1, help="events each transaction emits")
    args = parser.parse_args()
    with database(prefix="jiuzhu-hot-path-") as (url, server):
        if server is not None:
            global POSTMASTER
            POSTMASTER = psutil.Process(int((server.pgdata / "postmaster.pid").read_text().split()[0]))
        asyncio.run(run(url.rsplit("/", 1)[0] + "/hot_path", args.transactions, args.events))


@contextlib.contextmanager
def database(prefix: str):
    """``DATABASE_URL``'s server, or an embedded PostgreSQL in a temporary directory removed after:
    (its URL, the embedded server or None)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        yield url, None
        return
    from jiuzhu_devstack.embedded_postgres import EmbeddedPostgres

    server = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix=prefix)) / "pg").start()
    try:
        yield server.url, server
    finally:
        server.stop()
        shutil.rmtree(server.data_dir.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
