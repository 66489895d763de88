"""What the same consumer-shaped transaction costs the client through each way of talking to
PostgreSQL (issue 14: where the floor of a consumer's commit is). Not a test; asserts nothing.

    .venv/bin/python bench/statement_paths.py [--transactions 2000]

Each transaction claims an event id, updates one row and inserts one outbox-like row, on an
embedded PostgreSQL (or DATABASE_URL): through an SQLAlchemy ``AsyncSession`` (what the unit of
work uses), through an SQLAlchemy ``AsyncConnection``, and through asyncpg directly (its statement
cache: each statement prepared once per connection). Prints this process's CPU µs per transaction
for each, twice, alternating, with the reference loop to read them with."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, Table, Text, bindparam, insert, text, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from jiuzhu_runtime.db import make_engine
from jiuzhu_runtime.migrate import ensure_database

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hot_path import database  # noqa: E402
from lifecycle import reference_loop_ms  # noqa: E402

tables = MetaData()
cases = Table("paths_cases", tables, Column("case_id", Text, primary_key=True), Column("n", Integer))
claims = Table("paths_claims", tables, Column("consumer", Text, primary_key=True),
               Column("event_id", Text, primary_key=True))
outbox = Table("paths_outbox", tables, Column("event_id", Text, primary_key=True), Column("body", Text))
CLAIM = text("INSERT INTO paths_claims (consumer, event_id) VALUES (:c, :e) ON CONFLICT DO NOTHING RETURNING event_id")
UPDATE = update(cases).where(cases.c.case_id == bindparam("k")).values(n=cases.c.n + 1)
INSERT = insert(outbox)


async def run(url: str, transactions: int) -> None:
    await ensure_database(url)
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(tables.drop_all)
        await conn.run_sync(tables.create_all)
        await conn.execute(insert(cases), [{"case_id": f"k{i}", "n": 0} for i in range(100)])
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    seq = 0

    async def session() -> None:
        nonlocal seq
        seq += 1
        s = sessions()
        await s.begin()
        await s.execute(CLAIM, {"c": "paths", "e": f"s{seq}"})
        await s.execute(UPDATE, {"k": f"k{seq % 100}"})
        await s.execute(INSERT, [{"event_id": f"s{seq}", "body": "{}"}])
        await s.commit()
        await s.close()

    async def connection() -> None:
        nonlocal seq
        seq += 1
        async with engine.connect() as c:
            await c.begin()
            await c.execute(CLAIM, {"c": "paths", "e": f"c{seq}"})
            await c.execute(UPDATE, {"k": f"k{seq % 100}"})
            await c.execute(INSERT, [{"event_id": f"c{seq}", "body": "{}"}])
            await c.commit()

    async def asyncpg() -> None:
        nonlocal seq
        seq += 1
        async with engine.connect() as c:
            raw = (await c.get_raw_connection()).driver_connection
            async with raw.transaction():
                await raw.fetch("INSERT INTO paths_claims (consumer, event_id) VALUES ($1, $2) "
                                "ON CONFLICT DO NOTHING RETURNING event_id", "paths", f"r{seq}")
                await raw.execute("UPDATE paths_cases SET n = n + 1 WHERE case_id = $1", f"k{seq % 100}")
                await raw.executemany("INSERT INTO paths_outbox (event_id, body) VALUES ($1, $2)", [(f"r{seq}", "{}")])

    loop_ms = reference_loop_ms()
    print(f"reference loop {loop_ms:.0f} ms of CPU; {transactions} transactions each way, twice")
    for name, way in (("SQLAlchemy AsyncSession", session), ("SQLAlchemy AsyncConnection", connection),
                      ("asyncpg directly", asyncpg)) * 2:
        for _ in range(transactions // 10):  # warm: pool, prepared statements, compiled cache
            await way()
        started = time.process_time()
        for _ in range(transactions):
            await way()
        us = (time.process_time() - started) / transactions * 1e6
        print(f"{name:28} {us:6.0f} µs of this process's CPU per transaction "
              f"({us / 1000 / loop_ms * 1000:5.1f} thousandths of a reference loop)")
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transactions", type=int, default=2000)
    args = parser.parse_args()
    with database(prefix="jiuzhu-paths-") as (url, _):
        asyncio.run(run(url.rsplit("/", 1)[0] + "/statement_paths", args.transactions))

if __name__ == "__main__":
    main()
