"""The investigation as stored: a row written before the running deadline moved into the state
(version 1) is brought up by migration 0006 from its columns, or by the upcaster from the state."""

import asyncio
import datetime as dt
from dataclasses import replace

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from jiuzhu_contracts.base import Area, Category, Due
from jiuzhu_runtime import migrate
from jiuzhu_runtime.case_store import CaseStore
from jiuzhu_runtime.db import to_async_url

from jiuzhu_verification.adapters.investigations import INVESTIGATIONS
from jiuzhu_verification.adapters.tables import investigations
from jiuzhu_verification.bootstrap import MIGRATIONS
from jiuzhu_verification.domain.investigation import Clock, Investigation, Person, Status, Visit

D = dt.date(2022, 3, 1)
DUE = Due(clock="reinvestigation", due_on=dt.date(2022, 4, 6), working_days=5, starts_after=D, rule="r")


def version_1(inv: Investigation) -> dict:
    """How version 1 stored it: no next_clock, no next_due in the state."""
    state = INVESTIGATIONS.dump(inv)
    del state["next_clock"], state["next_due"]
    return state


def accepted(case_id: str = "C1") -> Investigation:
    return Investigation(case_id=case_id, category=Category.DIBAO, area=Area.URBAN, committee="居委会",
                         applicant_name="张三", accepted_on=D, member_id_numbers=("x",), recused=frozenset({"k"}))


async def test_migration_moves_the_columns_deadline_into_the_state(infrastructure):
    url = infrastructure.database("verification_shape")
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS, "0005")
    engine = create_async_engine(to_async_url(url))
    visited = accepted("C1").record_visit(Visit(D, (Person("a", "甲"), Person("b", "乙")), "", "", True), DUE)
    async with engine.begin() as conn:
        await conn.execute(insert(investigations).values([
            {"case_id": "C1", "state": version_1(visited), "status": "investigating", "next_clock": "review",
             "next_due": dt.date(2022, 3, 15)},
            {"case_id": "C2", "state": version_1(accepted("C2").deem_withdrawn()), "status": "deemed_withdrawn",
             "next_clock": None, "next_due": None}]))
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS)
    async with engine.connect() as conn:
        versions = (await conn.execute(select(investigations.c.state_version))).scalars().all()
        store = CaseStore(INVESTIGATIONS, conn)
        c1, c2 = await store.get("C1", lock=False), await store.get("C2", lock=False)
    await engine.dispose()
    assert versions == [2, 2]
    assert (c1.status, c1.next_clock, c1.next_due, c1.visit) == (
        Status.INVESTIGATING, Clock.REVIEW, dt.date(2022, 3, 15), visited.visit)
    assert (c2.status, c2.next_clock, c2.next_due) == (Status.DEEMED_WITHDRAWN, None, None)


def test_a_version_1_state_gets_what_the_state_itself_says_of_its_deadline():
    reinvestigating = replace(accepted(), status=Status.REVIEWED).open_reinvestigation(D, ("obj-1",), DUE)
    loaded = INVESTIGATIONS.load(version_1(reinvestigating), 1)
    assert (loaded.next_clock, loaded.next_due) == (Clock.REINVESTIGATION, DUE.due_on)
    assert loaded == reinvestigating
    fresh = INVESTIGATIONS.load(version_1(accepted()), 1)
    assert (fresh.status, fresh.next_clock, fresh.next_due) == (Status.INVESTIGATING, Clock.INVESTIGATION, None)
    ended = INVESTIGATIONS.load(version_1(accepted().decided()), 1)
    assert (ended.status, ended.next_clock) == (Status.CLOSED, None)
    assert INVESTIGATIONS.row(ended)["status"] == "closed" and INVESTIGATIONS.row(ended)["state_version"] == 2
