"""The case store: load with a row lock, recusal, save only what changed with its events, in one
transaction; upcasters bring a row of an older shape up; a 404 or NotYet when the case is not here."""

import asyncio
import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, Text, insert, select

from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.base import Role
from jiuzhu_contracts.events import ApplicationWithdrawn
from jiuzhu_kernel.clock import FixedClock
from jiuzhu_kernel.district_config import load_district_config
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.case_store import CaseKind, CaseStore, CaseTooNew, UnknownCase, case_table
from jiuzhu_runtime.consumer import NotYet
from jiuzhu_runtime.db import outbox
from jiuzhu_runtime.direct import watching
from jiuzhu_runtime.stage_context import StageContext
from jiuzhu_runtime.unit_of_work import UnitOfWork

ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Tally:
    """A toy aggregate: a count, its status and the staff recused from it."""
    case_id: str
    count: int
    status: str
    recused: frozenset[str] = frozenset()

    def counted(self) -> "Tally":
        return replace(self, count=self.count + 1)

    def ensure_may_act(self, actor_id: str) -> None:
        if actor_id in self.recused:
            raise DomainRefusal("recused", rule="D21 art. 11", status=403)


metadata = MetaData()
tallies = case_table("tallies", metadata, Column("status", Text, nullable=False))


def v1_had_no_status(data: dict) -> dict:
    return {**data, "status": "open"}


@dataclass(frozen=True)
class Note:
    """A record of another kind, keyed by its own number, about a case or none."""
    note_no: str
    case_id: str | None
    text: str

    def ensure_may_act(self, actor_id: str) -> None:
        pass


notes = case_table("notes", metadata, key="note_no")
NOTES = CaseKind(notes, Note, key="note_no", noun="note", noun_zh="记录", held="on file")

KIND = CaseKind(tallies, Tally, version=2, upcasters={1: v1_had_no_status},
                columns=lambda t: {"status": t.status}, held="in this tally")
CLERK = Actor(id="u-1", role=Role.CLERK, name="窗口")
RECUSED = Actor(id="u-9", role=Role.CLERK, name="近亲属")


@pytest.fixture
async def ctx(engine, sessions, prefix):
    async with engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        await conn.run_sync(metadata.create_all)
    config = load_district_config(ROOT / "config" / "urho.toml")
    return StageContext(config=config, clock=FixedClock(dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)),
                        unit_of_work=lambda: UnitOfWork(sessions, prefix), jurisdiction="650205001", cases=KIND)


async def stored(sessions, case_id):
    async with sessions() as s:
        return (await s.execute(select(tallies).where(tallies.c.case_id == case_id))).first()


async def outbox_rows(sessions):
    async with sessions() as s:
        return (await s.execute(select(outbox.c.case_id, outbox.c.event_type))).all()


async def add(ctx, state):
    async with ctx.unit_of_work() as uow:
        return await ctx.store(uow).add(state)


async def test_a_change_is_saved_with_its_event_and_the_derived_columns(ctx, sessions):
    assert await add(ctx, Tally("C1", 0, "open"))
    assert not await add(ctx, Tally("C1", 5, "open"))  # a redelivered creating event changes nothing
    seen: list[str] = []
    with watching(seen.append):
        async with ctx.case("C1", CLERK) as case:
            case.state = replace(case.state.counted(), status="closed")
            await case.emit(ApplicationWithdrawn(withdrawn_on=dt.date(2026, 3, 2), reason="申请人撤回"))
    # the read, then the case and its event in one statement (writes), then the commit
    assert [s.split()[0] for s in seen] == ["SELECT", "WITH"]
    assert "UPDATE tallies" in seen[1] and "INSERT INTO outbox" in seen[1]
    row = await stored(sessions, "C1")
    assert (row.state["count"], row.status, row.state_version) == (1, "closed", 2)
    assert await outbox_rows(sessions) == [("C1", "application_withdrawn")]


async def test_a_failed_body_leaves_neither_the_change_nor_its_event(ctx, sessions):
    await add(ctx, Tally("C2", 0, "open"))
    with pytest.raises(DomainRefusal):
        async with ctx.case("C2", CLERK) as case:
            case.state = case.state.counted()
            await case.emit(ApplicationWithdrawn(withdrawn_on=dt.date(2026, 3, 2), reason="x"))
            raise DomainRefusal("refused after the change", rule="test")
    assert (await stored(sessions, "C2")).state["count"] == 0
    assert await outbox_rows(sessions) == []


async def test_a_recused_person_is_refused_before_anything_changes(ctx, sessions):
    await add(ctx, Tally("C3", 0, "open", recused=frozenset({"u-9"})))
    with pytest.raises(DomainRefusal) as refused:
        async with ctx.case("C3", RECUSED) as case:
            case.state = case.state.counted()
    assert refused.value.status == 403 and refused.value.rule == "D21 art. 11"
    assert (await stored(sessions, "C3")).state["count"] == 0


async def test_an_unknown_case_is_a_404_for_a_command_and_not_yet_for_an_event(ctx):
    with pytest.raises(UnknownCase) as unknown:
        async with ctx.case("NOPE", CLERK):
            pass
    assert unknown.value.status == 404 and "NOPE in this tally" in unknown.value.message
    with pytest.raises(NotYet):
        async with ctx.unit_of_work() as uow:
            async with ctx.case("NOPE", uow=uow):
                pass


async def test_an_unchanged_case_is_not_written(ctx, sessions):
    await add(ctx, Tally("C4", 0, "open"))
    before = (await stored(sessions, "C4")).updated_at
    async with ctx.case("C4", CLERK):
        pass
    assert (await stored(sessions, "C4")).updated_at == before


async def test_a_row_of_an_older_shape_is_upcast_and_saved_in_the_new_one(ctx, sessions):
    async with sessions.begin() as s:  # written by version 1 of the service: no status in the state
        await s.execute(insert(tallies).values(case_id="C5", state={"case_id": "C5", "count": 3},
                                               state_version=1, status="open"))
    async with ctx.case("C5", CLERK) as case:
        assert case.state == Tally("C5", 3, "open")
        case.state = case.state.counted()
    row = await stored(sessions, "C5")
    assert row.state_version == 2 and row.state == {"case_id": "C5", "count": 4, "status": "open", "recused": []}


async def test_a_row_of_a_newer_shape_is_refused_not_guessed(ctx, sessions):
    async with sessions.begin() as s:
        await s.execute(insert(tallies).values(case_id="C6", state={"case_id": "C6"}, state_version=3, status="x"))
    with pytest.raises(CaseTooNew):
        async with ctx.case("C6", CLERK):
            pass


def test_a_kind_without_an_upcaster_for_every_older_version_is_refused():
    with pytest.raises(ValueError, match=r"no upcaster from version\(s\) \[1\]"):
        CaseKind(tallies, Tally, version=2)


async def test_two_commands_on_one_case_serialise_on_its_row(ctx, sessions):
    await add(ctx, Tally("C7", 0, "open"))

    async def count_once():
        async with ctx.case("C7", CLERK) as case:
            state = case.state
            await asyncio.sleep(0)  # let the other command try to read the row meanwhile
            case.state = state.counted()

    await asyncio.gather(*(count_once() for _ in range(5)))
    assert (await stored(sessions, "C7")).state["count"] == 5


async def test_a_record_of_another_kind_is_kept_by_its_own_key_and_its_events_name_its_case(ctx, sessions):
    async with ctx.unit_of_work() as uow:
        assert await CaseStore(NOTES, uow.session).add(Note("N-1", "C9", "待复核"))
        assert not await CaseStore(NOTES, uow.session).add(Note("N-1", None, "again"))
    async with ctx.record(NOTES, "N-1", CLERK) as note:
        note.state = replace(note.state, text="已复核")
        await note.emit(ApplicationWithdrawn(withdrawn_on=dt.date(2026, 3, 2), reason="x"))
    async with sessions() as s:
        row = (await s.execute(select(notes).where(notes.c.note_no == "N-1"))).one()
    assert row.state == {"note_no": "N-1", "case_id": "C9", "text": "已复核"}
    assert await outbox_rows(sessions) == [("C9", "application_withdrawn")]
    with pytest.raises(UnknownCase) as unknown:
        async with ctx.record(NOTES, "N-2", CLERK):
            pass
    assert unknown.value.message == "没有记录 N-2 / no note N-2 on file"


async def test_a_ticker_skips_a_case_someone_holds_and_a_command_over_every_case_waits_for_it(ctx, sessions):
    await add(ctx, Tally("W1", 0, "waiting"))
    await add(ctx, Tally("W2", 0, "waiting"))
    waiting = tallies.c.status == "waiting"
    async with ctx.case("W1", CLERK) as held:  # a command holds W1's row until it leaves
        async with ctx.unit_of_work() as uow:
            skipped = await ctx.store(uow).where(waiting, order_by=(tallies.c.case_id,), lock=True)
        assert [t.case_id for t in skipped] == ["W2"]

        async def every_case():
            async with ctx.unit_of_work() as uow:
                return await ctx.store(uow).where(waiting, order_by=(tallies.c.case_id,), lock=True, skip_locked=False)
        waiter = asyncio.create_task(every_case())
        done, _ = await asyncio.wait({waiter}, timeout=0.3)
        assert not done  # still waiting for W1
        held.state = held.state.counted()
    assert [(t.case_id, t.count) for t in await waiter] == [("W1", 1), ("W2", 0)]  # and sees the change
