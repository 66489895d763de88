"""The notices in the runtime's case store: migration 0008 builds each notice's state from the
columns it was kept in, and the notice loads as it was; on real PostgreSQL and JetStream a notice is
posted, objected to, closed by the ticker after its 7 working days or taken down at once when the
application is withdrawn — exactly as before the store (plan 五(三))."""

import asyncio
import datetime as dt

from sqlalchemy import BigInteger, Date, Integer, Text, column, insert, select, table
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import create_async_engine

from jiuzhu_contracts.base import Category, Due
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_contracts.events import ApplicationWithdrawn, ReviewSigned
from jiuzhu_devstack.testing import eventually
from jiuzhu_runtime import migrate
from jiuzhu_runtime.case_store import CaseStore
from jiuzhu_runtime.db import to_async_url

from jiuzhu_publicity.adapters.notices import NOTICES
from jiuzhu_publicity.adapters.tables import case_limits, notices
from jiuzhu_publicity.bootstrap import MIGRATIONS, build
from jiuzhu_publicity.domain.notice import Notice, NoticeStatus, WindowOutcome

J = "650205001"
COMMITTEE = "柳树街社区居民委员会"
D = dt.date(2022, 3, 1)
CLOSES = Due(clock="publicity", due_on=dt.date(2022, 3, 10), working_days=7, starts_after=D, rule="乌尔禾区工作方案 五(三)")

# The notices table as revisions 0002–0007 had it.
NOTICES_AT_0007 = table("notices", *(column(name, Text) for name in (
    "notice_no", "case_id", "committee", "public_name", "category", "status", "outcome")),
    column("round", Integer), column("household_size", Integer), column("amount_fen", BigInteger),
    column("opens_on", Date), column("closes_on", Date), column("closes", JSONB))


async def test_migration_builds_the_state_from_the_columns_and_the_notice_loads_as_it_was(infrastructure):
    url = infrastructure.database("publicity_shape")
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS, "0007")
    engine = create_async_engine(to_async_url(url))
    old = dict(case_id="C1", committee=COMMITTEE, public_name="张*", category="tekun", household_size=1,
               amount_fen=9_000_000_000, opens_on=D, closes_on=CLOSES.due_on, closes=CLOSES.model_dump(mode="json"))
    async with engine.begin() as conn:
        await conn.execute(insert(NOTICES_AT_0007), [
            old | {"notice_no": "GS-C1-1", "round": 1, "status": "closed", "outcome": "objected"},
            old | {"notice_no": "GS-C1-2", "round": 2, "status": "open", "outcome": None}])
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS)
    async with engine.connect() as conn:
        store = CaseStore(NOTICES, conn)
        first, second = await store.get("GS-C1-1", lock=False), await store.get("GS-C1-2", lock=False)
        rows = {r.notice_no: r for r in (await conn.execute(select(notices))).all()}
    await engine.dispose()
    posted = Notice(notice_no="GS-C1-2", case_id="C1", round=2, committee=COMMITTEE, public_name="张*",
                    household_size=1, category=Category.TEKUN, amount_fen=9_000_000_000, opens_on=D, closes=CLOSES)
    assert second == posted and second.status is NoticeStatus.OPEN and second.outcome is None
    assert first == Notice(**{**posted.__dict__, "notice_no": "GS-C1-1", "round": 1, "status": NoticeStatus.CLOSED,
                              "outcome": WindowOutcome.OBJECTED})
    for notice in (first, second):
        row = rows[notice.notice_no]
        assert (row.state_version, row.case_id, row.committee, row.status, row.opens_on, row.closes_on) == (
            1, "C1", COMMITTEE, notice.status.value, D, CLOSES.due_on)
        assert NOTICES.row(notice)["state"] == row.state  # saved again, the state is what the migration built


def envelope(payload, case_id: str, clock):
    return Envelope.wrap(payload, district="650205", jurisdiction=J, occurred_at=clock.now(), case_id=case_id,
                         actor=Actor(id="rev-1", role="reviewer", name="赵审核"))


async def test_a_notice_is_posted_objected_to_closed_after_its_window_or_taken_down(service_runner):
    review = next(e for e in EXAMPLES if isinstance(e, ReviewSigned))
    withdrawn = next(e for e in EXAMPLES if isinstance(e, ApplicationWithdrawn))
    objected, taken_down = f"{J}-2022-00001", f"{J}-2022-00002"
    async with service_runner(build, "publicity", J) as svc:
        for case_id in (objected, taken_down):
            await svc.publish(envelope(review, case_id, svc.kit.clock))
        opened = await eventually(lambda: _two(svc.published("publicity_opened")))
        assert {(o.case_id, o.payload.notice_no, o.payload.round, o.payload.closes.due_on) for o in opened} == {
            (c, f"GS-{c}-1", 1, dt.date(2022, 3, 10)) for c in (objected, taken_down)}
        board = (await svc.client.get(f"/public/boards/{COMMITTEE}")).text
        assert f"GS-{objected}-1" in board and f"GS-{taken_down}-1" in board and "张" in board

        clerk = svc.token("clerk")
        r = await svc.client.post(f"/notices/GS-{objected}-1/objections", headers=clerk,
                                  json={"summary": "来电反映该户有经营性收入未申报", "channel": "phone"})
        assert r.status_code == 201, r.text
        unknown = await svc.client.post("/notices/GS-nope/objections", headers=clerk,
                                        json={"summary": "来电反映该户有经营性收入未申报", "channel": "phone"})
        assert unknown.status_code == 404 and "GS-nope" in unknown.text, unknown.text

        await svc.publish(envelope(withdrawn, taken_down, svc.kit.clock))

        async def off_the_board():
            listed = (await svc.client.get("/notices", headers=clerk)).json()
            return listed if [n["notice_no"] for n in listed] == [f"GS-{objected}-1"] else None

        assert (await eventually(off_the_board))[0]["closes_on"] == "2022-03-10"
        late = await svc.client.post(f"/notices/GS-{taken_down}-1/objections", headers=clerk,
                                     json={"summary": "来电反映该户有经营性收入未申报", "channel": "phone"})
        assert late.status_code == 409, late.text

        svc.kit.clock.set(dt.datetime(2022, 3, 10, 18, tzinfo=svc.kit.clock.now().tzinfo))
        await svc.kit.tick()
        assert await svc.published("publicity_closed") == []  # the 7th working day is still in the window
        svc.kit.clock.set(dt.datetime(2022, 3, 11, 9, tzinfo=svc.kit.clock.now().tzinfo))
        await svc.kit.tick()
        [closed] = await svc.published("publicity_closed")
        [raised] = await svc.published("objection_raised")
        assert (closed.case_id, closed.payload.notice_no, closed.payload.outcome, closed.payload.closed_on,
                closed.payload.objection_ids) == (objected, f"GS-{objected}-1", "objected", dt.date(2022, 3, 10),
                                                  (raised.payload.objection_id,))
        assert closed.payload.decision_due.starts_after == dt.date(2022, 3, 10)
        await svc.kit.tick()  # closed once: the next tick finds nothing to close
        assert len(await svc.published("publicity_closed")) == 1
        assert (await svc.client.get("/notices", headers=clerk)).json() == []

        async with svc.kit.unit_of_work() as uow:
            store = CaseStore(NOTICES, uow.session)
            closed_notice, down = await store.get(f"GS-{objected}-1"), await store.get(f"GS-{taken_down}-1")
            binding = (await uow.session.execute(select(case_limits.c.binding_due))).scalars().all()
        assert (closed_notice.status, closed_notice.outcome) == (NoticeStatus.CLOSED, WindowOutcome.OBJECTED)
        assert (down.status, down.outcome) == (NoticeStatus.WITHDRAWN, None)
        assert binding == [closed.payload.decision_due.model_dump(mode="json")]


async def _two(listing):
    found = await listing
    return found if len(found) == 2 else None
