"""One case's clocks as the case store holds them (domain/clocks.py ``CaseClocks``): each change
dated by its event, the ALL/ANY rule, one opening per event; and migration 0020, which builds each
case's record from the per-clock rows of ``clocks`` (and gives them back on downgrade), with the
statistics, the deadlines listing, accountability and the written notices reading the new shape
(real PostgreSQL)."""

import asyncio
import datetime as dt
import json

from sqlalchemy import Boolean, Date, Integer, Text, column, insert, select, table
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import create_async_engine

from jiuzhu_contracts.base import Due
from jiuzhu_runtime import migrate
from jiuzhu_runtime.db import to_async_url

from jiuzhu_oversight.adapters import accountability_bases, caseload_register, clock_register
from jiuzhu_oversight.adapters.clock_register import case_clocks
from jiuzhu_oversight.adapters.statistics_queries import period_counts
from jiuzhu_oversight.adapters.tables import register, support_notices
from jiuzhu_oversight.bootstrap import MIGRATIONS
from jiuzhu_oversight.domain.caseload import NOTICE_CLOCK
from jiuzhu_oversight.domain.clocks import CLOCKS, INELIGIBLE_REVIEW_CLOCK, CaseClocks, ClockState

J1 = "650205001"
D = dt.date(2022, 3, 1)
INVESTIGATION, REVIEW, REINVESTIGATION, DECISION, REFUSAL_NOTICE = CLOCKS


def due(n: int, provisional: bool = False) -> Due:
    return Due(clock="c", due_on=D + dt.timedelta(days=n), working_days=n, starts_after=D, rule="r",
               provisional=provisional)


def test_an_all_clock_is_met_by_its_last_closing_event_and_an_any_clock_by_its_first():
    c = CaseClocks("k", J1).opened(INVESTIGATION, due(10), "E1", ("inv@j",)).opened(DECISION, due(5), "E2", ("l",))
    once = c.saw("home_visit_recorded", D)
    assert [(k.state, k.seen, k.met_on) for k in once.clocks] == [
        (ClockState.OPEN, ("home_visit_recorded",), None), (ClockState.OPEN, (), None)]
    twice = once.saw("household_recorded", D + dt.timedelta(days=2)).saw("case_refused", D + dt.timedelta(days=3))
    assert [(k.state, k.met_on) for k in twice.clocks] == [(ClockState.MET, D + dt.timedelta(days=2)),
                                                           (ClockState.MET, D + dt.timedelta(days=3))]
    assert twice.saw("household_recorded", D + dt.timedelta(days=9)) == twice  # a met clock sees nothing more


def test_one_opening_per_event_and_the_columns_the_ticks_look_by():
    c = CaseClocks("k", J1).opened(INVESTIGATION, due(10), "E1", ("inv@j",))
    assert c.opened(INVESTIGATION, due(10), "E1", ("inv@j",)) == c  # redelivered
    c = c.opened(REVIEW, due(3, provisional=True), "E2", ("rev@j",)).opened(INELIGIBLE_REVIEW_CLOCK, due(20),
                                                                       "E3", ("l",))
    assert (c.breach_due, c.open_due, c.provisional_open, c.recomputable) == (
        D + dt.timedelta(days=10), D + dt.timedelta(days=3), True, True)
    late = D + dt.timedelta(days=30)
    assert [k.opened_by_event for k in c.overdue_unraised(late)] == ["E1", "E3"]  # never the provisional one
    c = c.breached("E1", late).breached("E3", late)
    assert (c.breach_due, c.overdue_unraised(late + dt.timedelta(days=1))) == (None, [])
    moved = c.moved("E2", D + dt.timedelta(days=4), False)
    assert (moved.clock("E2").due_on, moved.provisional_open, moved.recomputable) == (
        D + dt.timedelta(days=4), False, True)
    cancelled = moved.cancelled(late)
    assert {k.state for k in cancelled.clocks} == {ClockState.CANCELLED}
    assert (cancelled.open_due, cancelled.recomputable, cancelled.clock("E1").breached_on) == (None, False, late)


def test_a_notice_clock_opened_after_its_delivery_is_met_already():
    c = CaseClocks("k", J1).opened(NOTICE_CLOCK, due(5), "E1", ("l",), met_on=D)
    assert (c.clock("E1").state, c.clock("E1").seen, c.clock("E1").met_on) == (
        ClockState.MET, ("support_notice_delivered",), D)
    d = CaseClocks("k", J1).opened(NOTICE_CLOCK, due(5), "E1", ("l",)).met("E1", "support_notice_delivered", D)
    assert d == c


# --- migration 0020 ------------------------------------------------------------------------------------

# The clocks table as revisions 0002–0019 had it.
CLOCKS_AT_0019 = table(
    "clocks", column("id", Integer), *(column(n, Text) for n in (
        "case_id", "jurisdiction", "clock", "rule", "opened_by_event", "closes_when", "state")),
    column("due_on", Date), column("provisional", Boolean), column("starts_after", Date),
    column("working_days", Integer), column("met_on", Date), column("breached_on", Date),
    *(column(n, ARRAY(Text)) for n in ("closed_by", "seen", "responsible")))
NOTICES_AT_0019 = table("support_notices", column("notice_no", Text), column("case_id", Text),
                        column("clock_id", Integer), column("delivered_on", Date), column("received_by", Text))
A, B = f"{J1}-2022-00001", f"{J1}-2022-00002"


def _old(id_: int, case_id: str, clock: str, event: str, due_on: dt.date, **kw) -> dict:
    return {"id": id_, "case_id": case_id, "jurisdiction": J1, "clock": clock, "due_on": due_on,
            "provisional": False, "starts_after": D, "working_days": 10, "rule": "r", "opened_by_event": event,
            "closed_by": ["home_visit_recorded", "household_recorded"], "closes_when": "all", "seen": [],
            "state": "open", "met_on": None, "breached_on": None, "responsible": [f"investigator@{J1}"]} | kw


OLD = [
    _old(1, A, "investigation", "E" * 26, D + dt.timedelta(days=14), seen=["home_visit_recorded",
         "household_recorded"], state="met", met_on=D + dt.timedelta(days=3)),
    _old(2, A, "review", "F" * 26, D + dt.timedelta(days=10), closed_by=["review_signed"], breached_on=D +
         dt.timedelta(days=11), responsible=["rev-1"]),
    _old(3, B, "investigation", "G" * 26, D + dt.timedelta(days=14), provisional=True, seen=["home_visit_recorded"]),
    _old(4, B, "support_notice", "H" * 26, D + dt.timedelta(days=5), closed_by=["support_notice_delivered"],
         closes_when="any", starts_after=None, working_days=None, rule=None),
    _old(5, A, "decision", "K" * 26, D + dt.timedelta(days=20), closed_by=["case_approved", "case_refused"],
         closes_when="any", starts_after=None, working_days=None, rule=None),
]


async def test_clock_rows_of_the_old_shape_become_one_record_per_case_and_come_back_on_downgrade(infrastructure):
    url = infrastructure.database("oversight_case_clocks")
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS, "0019")
    engine = create_async_engine(to_async_url(url))
    async with engine.begin() as conn:
        await conn.execute(insert(CLOCKS_AT_0019), OLD)
        await conn.execute(insert(NOTICES_AT_0019).values(notice_no="N-1", case_id=B, clock_id=4))
        await conn.execute(insert(register), [
            {"case_id": c, "jurisdiction": J1, "category": "dibao", "stage": "approved", "applicant_name": "张三",
             "committee": "柳树街社区", "accepted_on": D} for c in (A, B)])
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS)

    as_json = lambda rows: json.loads(json.dumps(rows, default=str))  # noqa: E731
    without_id = lambda r: {k: v for k, v in r.items() if k != "id"}  # noqa: E731
    async with engine.begin() as conn:
        # the API lists a case's clocks as it listed the old rows, field for field, in opening order
        for case_id in (A, B):
            assert as_json(await clock_register.of_case(conn, case_id)) == as_json(
                [without_id(r) for r in OLD if r["case_id"] == case_id])
        rows = {r.case_id: r for r in (await conn.execute(select(case_clocks))).all()}
        assert {c: (r.breach_due, r.open_due, r.provisional, r.recomputable, r.opened_by) for c, r in rows.items()} == {
            A: (D + dt.timedelta(days=20), D + dt.timedelta(days=10), False, False, ["E" * 26, "F" * 26, "K" * 26]),
            B: (D + dt.timedelta(days=5), D + dt.timedelta(days=5), True, True, ["G" * 26, "H" * 26])}
        for c, r in rows.items():  # saving the loaded state again writes what the migration built
            assert clock_register.CLOCKS.row(clock_register.CLOCKS.load(r.state, 1)) == {
                k: getattr(r, k) for k in ("state", "state_version", "jurisdiction", "breach_due", "open_due",
                                           "provisional", "recomputable", "opened_by")}
        met = {c.column: c.value for c in await period_counts(conn, "2022-03", "Asia/Urumqi")}
        assert met.get("clocks_met") == 1
        basis = await accountability_bases.breached_clock(conn, "F" * 26)
        assert (basis.case_id, basis.clock, basis.breached_on, basis.responsible) == (
            A, "review", D + dt.timedelta(days=11), ("rev-1",))
        assert await accountability_bases.breached_clock(conn, "Z" * 26) is None
        overdue = await clock_register.overdue_unraised(conn, D + dt.timedelta(days=6))
        assert [(c.case_id, [k.opened_by_event for k in c.overdue_unraised(D + dt.timedelta(days=6))])
                for c in overdue] == [(B, ["H" * 26])]
        assert (await conn.execute(select(support_notices.c.clock_event))).scalar_one() == "H" * 26
        # the notice's delivery meets the clock it names
        await caseload_register.deliver(conn, notice_no="N-1", case_id=B, delivered_on=D + dt.timedelta(days=2),
                                        received_by="户主", seen="support_notice_delivered")
        notice_clock = (await clock_register.store(conn).get(B)).clock("H" * 26)
        assert (notice_clock.state, notice_clock.met_on) == (ClockState.MET, D + dt.timedelta(days=2))
        await conn.rollback()

    await asyncio.to_thread(migrate.downgrade, url, MIGRATIONS, "0019")
    async with engine.connect() as conn:
        back = (await conn.execute(select(CLOCKS_AT_0019).order_by(CLOCKS_AT_0019.c.id))).all()
        notice = (await conn.execute(select(NOTICES_AT_0019))).one()
    await engine.dispose()
    by_event = {r.opened_by_event: dict(r._mapping) for r in back}
    assert {e: without_id(r) for e, r in by_event.items()} == {r["opened_by_event"]: without_id(r) for r in OLD}
    assert by_event["H" * 26]["id"] == notice.clock_id  # the notice names its clock's new row
