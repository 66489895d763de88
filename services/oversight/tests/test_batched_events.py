"""A consumer applies a fetched batch in one unit of work (jiuzhu_runtime.consumer): the register,
the clocks and the audit chain must come out of it exactly as they do event by event — while the
batch's clocks are locked and read together and written at the flush, the categories read once,
and the chain's entries written at the flush in one statement, in order (real PostgreSQL)."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select

from jiuzhu_contracts import encode
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_runtime.direct import watching

from jiuzhu_oversight.adapters import audit_log, clock_register
from jiuzhu_oversight.adapters.tables import register
from jiuzhu_oversight.bootstrap import build
from jiuzhu_oversight.domain.audit_chain import verify

TZ = ZoneInfo("Asia/Shanghai")
J1 = "650205001"
CLERK = Actor(id="clerk-1", role="clerk", name="刘窗口")
LIFE = ("application_accepted", "home_visit_recorded", "household_recorded", "economic_check_reported",
        "review_signed", "publicity_opened", "objection_raised", "publicity_closed", "case_approved", "case_filed")


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "oversight", None) as running:
        yield running


def lifecycle(case_id: str) -> list[Envelope]:
    payloads = {p.event_type: p for p in EXAMPLES}
    start = dt.datetime(2022, 3, 1, 9, tzinfo=TZ)
    return [Envelope.wrap(payloads[t], district="650205", jurisdiction=J1, actor=CLERK,
                          occurred_at=start + dt.timedelta(hours=i), case_id=case_id) for i, t in enumerate(LIFE)]


async def state_of(svc, case_id: str, events: list[Envelope]) -> dict:
    """The case as oversight holds it, its events' ids replaced by their place in its lifecycle."""
    place = {e.event_id: i for i, e in enumerate(events)}
    async with svc.kit.unit_of_work() as uow:
        row = dict((await uow.session.execute(select(register).where(register.c.case_id == case_id))).one()._mapping)
        clocks = await clock_register.of_case(uow.session, case_id)
        trail = await audit_log.case_trail(uow.session, case_id)
    for c in clocks:
        c["opened_by_event"] = place[c["opened_by_event"]]
    row.pop("case_id")
    bodies = [json.loads(encode(e)) for e in events]
    return {"register": row, "clocks": [{k: v for k, v in c.items() if k != "case_id"} for c in clocks],
            "trail": [(t["event_type"], t["event"] == body) for t, body in zip(trail, bodies, strict=True)]}


async def statements(uow) -> list[str]:
    """The statements run through SQLAlchemy on the unit of work's connection from now on (not the
    ticker's); the unit of work's own (its flush), sent by asyncpg directly, are added ``watching``."""
    seen: list[str] = []
    connection = (await uow.session.connection()).sync_connection
    event.listen(connection, "before_cursor_execute", lambda conn, cursor, sql, *_: seen.append(sql))
    return seen


async def test_a_batch_leaves_what_its_events_leave_one_by_one(svc):
    handlers = svc.kit.consumers[0].handlers
    alone = lifecycle(f"{J1}-2022-00001")
    for env in alone:  # one unit of work per event, as a batch of one
        async with svc.kit.unit_of_work() as uow:
            await handlers[env.event_type](env, uow)

    a, b = lifecycle(f"{J1}-2022-00002"), lifecycle(f"{J1}-2022-00003")
    batch = [env for pair in zip(a, b) for env in pair]  # two cases' events interleaved
    async with svc.kit.unit_of_work() as uow:
        seen = await statements(uow)
        with watching(seen.append):
            uow.batch_keys = [env.case_id for env in batch]
            for env in batch:
                await handlers[env.event_type](env, uow)
            await uow.flush()
        seen = list(seen)

    expected = await state_of(svc, alone[0].case_id, alone)
    assert expected["register"]["stage"] == "approved" and len(expected["clocks"]) >= 3
    assert all(same for _, same in expected["trail"]) and len(expected["trail"]) == len(LIFE)
    assert await state_of(svc, a[0].case_id, a) == expected
    assert await state_of(svc, b[0].case_id, b) == expected
    async with svc.kit.unit_of_work() as uow:
        chains = await audit_log.entries(uow.session)
    assert verify(chains[J1])[0] and len(chains[J1]) == 3 * len(LIFE)
    assert [e.body["event_id"] for e in chains[J1][len(LIFE):]] == [env.event_id for env in batch]  # in order

    # the batch's chain entries in one statement, its clocks read once and written once
    assert sum(s.startswith("INSERT INTO audit_log") for s in seen) == 1
    assert sum("FROM case_clocks" in s for s in seen) == 1
    assert sum(s.startswith("UPDATE case_clocks") for s in seen) == 1
