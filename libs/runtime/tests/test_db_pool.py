"""The pool pings a connection only after it has been idle (issue 14: ``pool_pre_ping`` cost a
BEGIN, a ping and a ROLLBACK on every checkout); a connection the server dropped while it was idle
is replaced before anyone uses it."""

import asyncio

from sqlalchemy import text

from jiuzhu_runtime.db import make_engine


async def _backend_pid(engine) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()


async def _terminate(engine, pid: int) -> None:
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})).scalar_one()


async def test_a_connection_dropped_while_idle_is_replaced_before_use(engine):
    pooled = make_engine(engine.url.render_as_string(hide_password=False), pool_size=1, ping_after_idle=0.2)
    try:
        first = await _backend_pid(pooled)
        await _terminate(engine, first)  # the server drops it (a restart, an idle timeout)
        await asyncio.sleep(0.3)
        assert await _backend_pid(pooled) != first  # pinged, found dead, replaced: no error
    finally:
        await pooled.dispose()


async def test_a_connection_in_steady_use_is_not_pinged(engine):
    pooled = make_engine(engine.url.render_as_string(hide_password=False), pool_size=1, ping_after_idle=60)
    try:
        first = await _backend_pid(pooled)
        await _terminate(engine, first)
        # Not idle long enough to be pinged: the first use finds it dead (a disconnect, which
        # discards the pool's connections), the next gets a new one.
        failed = False
        try:
            await _backend_pid(pooled)
        except Exception:
            failed = True
        assert failed, "a connection used within the idle limit was pinged first"
        assert await _backend_pid(pooled) != first
    finally:
        await pooled.dispose()
