"""A unit of work's closing writes go in one round trip when they fit in one statement
(``writes``): a changed case and its events together, a table's rows in the order given, a failing
part failing all of it, and what cannot go together written apart."""

from contextlib import asynccontextmanager

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, select
from sqlalchemy.exc import IntegrityError

from jiuzhu_runtime.db import case_traces, outbox
from jiuzhu_runtime.direct import Compiled, watching
from jiuzhu_runtime.unit_of_work import UnitOfWork
from jiuzhu_runtime.writes import joined

# a case table's shape: a key, a column the flush updates, ``updated_at``; a serial id to see the order by
lines = Table("together_lines", MetaData(), Column("id", Integer, primary_key=True, autoincrement=True),
              Column("event_id", String(26), nullable=False, unique=True), Column("case_id", Text, nullable=False),
              Column("updated_at", DateTime(timezone=True)))


@pytest.fixture
async def sessions(engine, sessions):
    async with engine.begin() as conn:
        await conn.run_sync(lines.metadata.create_all)
    return sessions


def event_row(n: int, case_id: str) -> dict:
    return {"event_id": f"01ARZ3NDEKTSV4RRFFQ69G{n:04d}", "subject": "s", "event_type": "t", "case_id": case_id,
            "body": b"{}", "headers": {}}


async def line_ids(sessions, case_id: str) -> list[str]:
    async with sessions() as s:
        return list((await s.execute(select(lines.c.event_id).where(lines.c.case_id == case_id)
                                     .order_by(lines.c.id))).scalars())


async def outbox_ids(sessions, case_id: str) -> list[str]:
    async with sessions() as s:
        return sorted((await s.execute(select(outbox.c.event_id).where(outbox.c.case_id == case_id))).scalars())


async def lines_there(sessions, case_id: str, *event_ids: str) -> None:
    """Lines of ``case_id`` committed before the transaction a test watches."""
    async with UnitOfWork(sessions, "t") as uow:
        for e in event_ids:
            uow.insert_later(lines, {"event_id": e, "case_id": case_id})


@asynccontextmanager
async def watched(sessions, seen: list[str]):
    """A unit of work whose direct statements (its flush) are collected in ``seen``."""
    with watching(seen.append):
        async with UnitOfWork(sessions, "t") as uow:
            yield uow


async def test_a_changed_row_its_event_and_a_register_line_are_one_statement(sessions):
    await lines_there(sessions, "together-1", "E0")
    seen: list[str] = []
    async with watched(sessions, seen) as uow:
        uow.update_later(lines, "event_id", "E0", {"case_id": "together-1b"})
        uow.insert_later(outbox, event_row(1, "together-1"))
        uow.insert_later(case_traces, {"case_id": "together-1", "context": {"traceparent": "00-x"}})
    assert len(seen) == 1 and seen[0].startswith("WITH ")
    assert await line_ids(sessions, "together-1b") == ["E0"]
    assert await outbox_ids(sessions, "together-1") == [event_row(1, "")["event_id"]]
    async with sessions() as s:
        assert (await s.execute(select(case_traces.c.context).where(case_traces.c.case_id == "together-1"))
                ).scalar_one() == {"traceparent": "00-x"}


async def test_a_tables_rows_are_written_in_the_order_given(sessions):
    order = ["E9", "E3", "E7", "E1"]
    async with UnitOfWork(sessions, "t") as uow:
        for e in order:
            uow.insert_later(lines, {"event_id": e, "case_id": "together-2"})
        uow.insert_later(outbox, event_row(3, "together-2"))
    assert await line_ids(sessions, "together-2") == order  # the serial id follows the VALUES


async def test_a_failing_part_leaves_nothing_of_the_statement_and_is_an_integrity_error(sessions):
    async with UnitOfWork(sessions, "t") as uow:
        uow.insert_later(outbox, event_row(4, "together-3"))
    with pytest.raises(IntegrityError) as caught:
        async with UnitOfWork(sessions, "t") as uow:
            uow.insert_later(lines, {"event_id": "E4", "case_id": "together-3"})
            uow.insert_later(case_traces, {"case_id": "together-3", "context": {}})
            uow.insert_later(outbox, event_row(4, "together-3"))  # taken: the whole statement fails
    assert caught.value.orig.sqlstate == "23505"
    assert await line_ids(sessions, "together-3") == []
    async with sessions() as s:
        assert (await s.execute(select(case_traces.c.case_id).where(case_traces.c.case_id == "together-3"))
                ).all() == []


async def test_several_rows_of_a_table_go_apart_first_and_the_rest_together(sessions):
    await lines_there(sessions, "together-4", "A1", "A2")
    seen: list[str] = []
    async with watched(sessions, seen) as uow:
        for e in ("A1", "A2"):  # two rows of one table changed: an executemany of its own
            uow.update_later(lines, "event_id", e, {"case_id": "together-4b"})
        for n in range(3):  # three rows of the outbox: an executemany of its own
            uow.insert_later(outbox, event_row(100 + n, "together-4"))
        uow.insert_later(case_traces, {"case_id": "together-4", "context": {}})
    assert [s.split()[0] for s in seen] == ["UPDATE", "INSERT", "INSERT"]
    assert seen[1].startswith("INSERT INTO outbox") and seen[2].startswith("INSERT INTO case_traces")
    assert await line_ids(sessions, "together-4b") == ["A1", "A2"]
    assert len(await outbox_ids(sessions, "together-4")) == 3


async def test_a_table_written_twice_goes_apart_so_no_part_misses_the_others_row(sessions):
    """Parts of one statement do not see each other's rows: an update and an insert of one table
    are two statements."""
    await lines_there(sessions, "together-5", "B1")
    seen: list[str] = []
    async with watched(sessions, seen) as uow:
        uow.update_later(lines, "event_id", "B1", {"case_id": "together-5b"})
        uow.insert_later(lines, {"event_id": "B2", "case_id": "together-5b"})
        uow.insert_later(outbox, event_row(6, "together-5"))
    assert [s.split()[0] for s in seen] == ["UPDATE", "INSERT", "INSERT"]
    assert await line_ids(sessions, "together-5b") == ["B1", "B2"]


async def test_rows_the_transaction_wrote_before_are_seen_by_the_statement(sessions):
    async with UnitOfWork(sessions, "t") as uow:
        await uow.session.execute(lines.insert().values(event_id="C1", case_id="together-6"))
        uow.update_later(lines, "event_id", "C1", {"case_id": "together-6b"})
        uow.insert_later(outbox, event_row(7, "together-6"))
    assert await line_ids(sessions, "together-6b") == ["C1"]


def test_parts_are_numbered_on_and_a_part_with_a_literal_is_not_joined():
    a = Compiled("UPDATE t SET a=$1 WHERE k = $2", ("a", "k"), (None, None), {}, "UPDATE")
    b = Compiled("INSERT INTO u (x, y) VALUES ($1, $2)", ("x", "y"), (None, None), {}, "INSERT")
    assert joined([a, b]) == "WITH w0 AS (UPDATE t SET a=$1 WHERE k = $2) INSERT INTO u (x, y) VALUES ($3, $4)"
    quoted = Compiled("INSERT INTO u (x) VALUES ('$1')", (), (), {}, "INSERT")
    assert joined([a, quoted]) is None


def test_a_joined_statement_is_not_given_to_other_parts_that_took_the_same_addresses():
    """The cache is keyed by the parts' ids: an entry keeps its parts, so no other object can take
    their addresses while it lives, and a lookup checks them."""
    a = Compiled("UPDATE t SET a=$1", ("a",), (None,), {}, "UPDATE")
    b = Compiled("INSERT INTO u (x) VALUES ($1)", ("x",), (None,), {}, "INSERT")
    first = joined([a, b])
    del a, b  # kept by the cache: the next two cannot be given their addresses
    c = Compiled("UPDATE v SET c=$1", ("c",), (None,), {}, "UPDATE")
    d = Compiled("INSERT INTO w (y) VALUES ($1)", ("y",), (None,), {}, "INSERT")
    assert joined([c, d]) == "WITH w0 AS (UPDATE v SET c=$1) INSERT INTO w (y) VALUES ($2)" != first
