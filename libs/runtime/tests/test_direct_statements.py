"""The unit of work's fixed statements, sent by asyncpg directly (``direct``), behave as they did
through SQLAlchemy: inside the transaction and its savepoints, their errors in SQLAlchemy's types,
a lost connection discarded. Each test fails if the SQLAlchemy internals ``direct`` relies on
change meaning."""

import pytest
from sqlalchemy import bindparam, func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from jiuzhu_runtime.db import case_traces, make_engine, make_sessions, outbox, processed_events
from jiuzhu_runtime.direct import Direct, compiled, watching
from jiuzhu_runtime.errors import database_unreachable
from jiuzhu_runtime.unit_of_work import _CLAIM, UnitOfWork, runs_of_same_columns


class Boom(Exception):
    pass


async def claims(sessions, consumer: str) -> list[str]:
    async with sessions() as s:
        return list((await s.execute(select(processed_events.c.event_id)
                                     .where(processed_events.c.consumer == consumer))).scalars())


async def test_a_claim_sent_first_is_inside_the_transaction_and_rolled_back_with_it(sessions):
    # the claim is the transaction's first statement: were it sent before SQLAlchemy's lazy BEGIN,
    # it would have committed on its own
    with pytest.raises(Boom):
        async with UnitOfWork(sessions, "t") as uow:
            assert await uow.claim("direct-1", "01ARZ3NDEKTSV4RRFFQ69G5FAV")
            raise Boom
    assert await claims(sessions, "direct-1") == []
    async with UnitOfWork(sessions, "t") as uow:
        assert await uow.claim("direct-1", "01ARZ3NDEKTSV4RRFFQ69G5FAV")
        assert not await uow.claim("direct-1", "01ARZ3NDEKTSV4RRFFQ69G5FAV")  # seen by the same transaction
    assert await claims(sessions, "direct-1") == ["01ARZ3NDEKTSV4RRFFQ69G5FAV"]


async def test_a_claim_inside_a_savepoint_is_rolled_back_with_it_alone(sessions):
    async with UnitOfWork(sessions, "t") as uow:
        assert await uow.claim("direct-2", "01ARZ3NDEKTSV4RRFFQ69G5FA1")
        savepoint = await uow.session.begin_nested()
        assert await uow.claim("direct-2", "01ARZ3NDEKTSV4RRFFQ69G5FA2")  # sent before anything else in it
        await savepoint.rollback()
        savepoint = await uow.session.begin_nested()
        assert await uow.claim("direct-2", "01ARZ3NDEKTSV4RRFFQ69G5FA3")
        await savepoint.commit()
    assert sorted(await claims(sessions, "direct-2")) == ["01ARZ3NDEKTSV4RRFFQ69G5FA1", "01ARZ3NDEKTSV4RRFFQ69G5FA3"]


async def test_a_jsonb_column_is_stored_as_json_as_sqlalchemy_stores_it(sessions):
    async with UnitOfWork(sessions, "t") as uow:
        uow.insert_later(case_traces, {"case_id": "direct-json", "context": {"traceparent": "00-x", "n": [1, 2]}})
    async with sessions() as s:
        kind, value = (await s.execute(select(func.jsonb_typeof(case_traces.c.context), case_traces.c.context)
                                       .where(case_traces.c.case_id == "direct-json"))).one()
    assert kind == "object" and value == {"traceparent": "00-x", "n": [1, 2]}


async def test_a_constraint_violation_is_sqlalchemys_integrity_error_with_its_sqlstate(sessions):
    row = {"event_id": "01ARZ3NDEKTSV4RRFFQ69G5FB1", "subject": "s", "event_type": "t", "case_id": None,
           "body": b"{}", "headers": {}}
    async with UnitOfWork(sessions, "t") as uow:
        uow.insert_later(outbox, row)
    with pytest.raises(IntegrityError) as caught:
        async with UnitOfWork(sessions, "t") as uow:
            uow.insert_later(outbox, row)
    assert caught.value.orig.sqlstate == "23505" and not caught.value.connection_invalidated
    assert not database_unreachable(caught.value)
    async with sessions() as s:  # the pool is sound: the next transaction works
        assert (await s.execute(select(func.count()).select_from(outbox)
                                .where(outbox.c.event_id == row["event_id"]))).scalar_one() == 1


async def test_a_lost_connection_is_a_disconnect_and_is_not_handed_out_again(engine):
    pooled = make_engine(engine.url.render_as_string(hide_password=False), pool_size=1, ping_after_idle=60)
    sessions = make_sessions(pooled)
    try:
        async with sessions() as s:
            first = (await s.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        with pytest.raises(DBAPIError) as caught:
            async with UnitOfWork(sessions, "t") as uow:
                async with engine.connect() as other:  # the server drops the unit of work's connection
                    await other.execute(text("SELECT pg_terminate_backend(:p)"), {"p": first})
                await uow.claim("direct-3", "01ARZ3NDEKTSV4RRFFQ69G5FC1")
        assert caught.value.connection_invalidated and database_unreachable(caught.value)
        async with sessions() as s:
            assert (await s.execute(text("SELECT pg_backend_pid()"))).scalar_one() != first
    finally:
        await pooled.dispose()


async def test_the_statements_are_seen_while_watched(sessions):
    seen: list[str] = []
    with watching(seen.append):
        async with UnitOfWork(sessions, "t") as uow:
            await uow.claim("direct-4", "01ARZ3NDEKTSV4RRFFQ69G5FD1")
    assert len(seen) == 1 and seen[0].startswith("INSERT INTO processed_events")


_FIXED_LIST = select(outbox.c.event_id).where(outbox.c.event_type.in_(["kept", "also kept"]),
                                              outbox.c.case_id == bindparam("case")).order_by(outbox.c.event_id)


async def test_a_statement_with_a_fixed_list_is_expanded_as_sqlalchemy_expands_it(sessions):
    async with UnitOfWork(sessions, "t") as uow:
        for n, kind in enumerate(("kept", "also kept", "not kept")):
            uow.insert_later(outbox, {"event_id": f"01ARZ3NDEKTSV4RRFFQ69G5FE{n}", "subject": "s", "event_type": kind,
                                      "case_id": "direct-list", "body": b"{}", "headers": {}})
    async with UnitOfWork(sessions, "t") as uow:
        rows = await uow.direct.fetch(_FIXED_LIST, {"case": "direct-list"})
    assert [r[0] for r in rows] == ["01ARZ3NDEKTSV4RRFFQ69G5FE0", "01ARZ3NDEKTSV4RRFFQ69G5FE1"]


async def test_after_a_disconnect_every_older_connection_is_replaced_at_once_as_sqlalchemy_does(engine):
    """A restarted server drops every pooled connection: the first statement to find its connection
    gone fails, and every other older connection is replaced at its next checkout (SQLAlchemy
    invalidates the pool) — not one failure per pooled connection."""
    pooled = make_engine(engine.url.render_as_string(hide_password=False), pool_size=3, ping_after_idle=60)
    sessions = make_sessions(pooled)
    try:
        held = [sessions() for _ in range(3)]  # three connections in the pool
        pids = [(await s.execute(text("SELECT pg_backend_pid()"))).scalar_one() for s in held]
        for s in held:
            await s.close()
        async with engine.connect() as other:  # the server drops them all
            for pid in pids:
                await other.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        failures = 0
        for i in range(4):
            try:
                async with UnitOfWork(sessions, "t") as uow:
                    await uow.claim("direct-5", f"01ARZ3NDEKTSV4RRFFQ69G5FF{i}")
            except DBAPIError as lost:
                assert lost.connection_invalidated
                failures += 1
        assert failures == 1
    finally:
        await pooled.dispose()


async def test_a_session_committed_and_used_again_keeps_its_direct_statements_in_its_transaction(sessions):
    async with sessions() as s:  # a session without a unit of work, as ``direct_of`` may be given
        direct = Direct(s)
        await direct.fetch(_CLAIM, {"consumer": "direct-6", "ids": ["01ARZ3NDEKTSV4RRFFQ69G5FG1"]})
        await s.commit()
        await direct.fetch(_CLAIM, {"consumer": "direct-6", "ids": ["01ARZ3NDEKTSV4RRFFQ69G5FG2"]})
        await s.rollback()
    assert await claims(sessions, "direct-6") == ["01ARZ3NDEKTSV4RRFFQ69G5FG1"]


def test_the_flush_writes_rows_in_the_order_given_whatever_their_columns():
    rows = [{"a": 1}, {"a": 2}, {"a": 3, "b": 0}, {"a": 4}]
    assert runs_of_same_columns(rows) == [(("a",), [{"a": 1}, {"a": 2}]), (("a", "b"), [{"a": 3, "b": 0}]),
                                          (("a",), [{"a": 4}])]


def test_what_sqlalchemy_computes_per_execution_is_refused_not_sent_as_null(engine):
    with pytest.raises(ValueError, match="= ANY"):
        compiled(select(outbox.c.event_id).where(outbox.c.event_id.in_(bindparam("ids", expanding=True))),
                 engine.dialect)
