"""Two requests that lock the same rows in opposite orders deadlock on real PostgreSQL; the one it
rolls back gets a 409 saying nothing was written and to try again — never a 500 — and the other's
change stands whole."""

import asyncio

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from jiuzhu_runtime.errors import install_error_handlers


def swapping_app(sessions, both_hold_one: asyncio.Barrier) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/move/{first}/{second}")
    async def move(first: int, second: int):
        async with sessions() as s, s.begin():
            await s.execute(text("UPDATE collide SET n = n + 1 WHERE id = :id"), {"id": first})
            await both_hold_one.wait()  # each holds its first row: the second updates cross
            await s.execute(text("UPDATE collide SET n = n + 1 WHERE id = :id"), {"id": second})
        return {"moved": [first, second]}

    return app


async def test_a_deadlock_is_a_409_that_says_nothing_was_written(engine, sessions):
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE IF EXISTS collide"))
        await conn.execute(text("CREATE TABLE collide (id int PRIMARY KEY, n int NOT NULL)"))
        await conn.execute(text("INSERT INTO collide VALUES (1, 0), (2, 0)"))
    app = swapping_app(sessions, asyncio.Barrier(2))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        one, other = await asyncio.gather(client.post("/move/1/2"), client.post("/move/2/1"))
    assert sorted([one.status_code, other.status_code]) == [200, 409], (one.text, other.text)
    refused = one if one.status_code == 409 else other
    assert refused.json()["detail"].startswith("该操作与同时进行的另一操作冲突，未作任何更改") and "Retry-After" in refused.headers
    async with sessions() as s:
        assert (await s.execute(text("SELECT n FROM collide ORDER BY id"))).scalars().all() == [1, 1]
