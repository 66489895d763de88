"""Oversight's records as stored: migrations 0018 and 0019 build each rectification order's and
spot check's state from the columns it was kept in (and give them back on downgrade), the statistics
count a check's faults from its state; petitions written before 0017 load through the case store as
version 1 (real PostgreSQL)."""

import asyncio
import datetime as dt
import json

from sqlalchemy import Date, Text, column, insert, select, table, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import create_async_engine

from jiuzhu_contracts.base import Due
from jiuzhu_contracts.events.oversight import SpotCheckFindings
from jiuzhu_runtime import migrate
from jiuzhu_runtime.case_store import CaseStore
from jiuzhu_runtime.db import to_async_url

from jiuzhu_oversight.adapters.petition_register import PETITIONS, petitions
from jiuzhu_oversight.adapters import rectification_register, spot_check_register
from jiuzhu_oversight.adapters.rectification_register import RECTIFICATIONS, rectifications
from jiuzhu_oversight.adapters.spot_check_register import SPOT_CHECKS, spot_checks
from jiuzhu_oversight.adapters.statistics_queries import period_counts
from jiuzhu_oversight.adapters.tables import register
from jiuzhu_oversight.bootstrap import MIGRATIONS
from jiuzhu_oversight.domain.petitions import Channel, Kind, Petition, Status
from jiuzhu_oversight.domain.rectification import OrderKind, RectificationOrder
from jiuzhu_oversight.domain.sampling import Because
from jiuzhu_oversight.domain.spot_check import SpotCheck

# The rectifications table as revisions 0002–0017 had it.
RECTIFICATIONS_AT_0017 = table("rectifications", *(column(name, Text) for name in (
    "order_no", "jurisdiction", "concerning_case", "kind", "findings", "answer")),
    column("due", JSONB), column("due_on", Date), column("ordered_on", Date), column("answered_on", Date),
    column("escalated_on", Date))
PETITIONS_AT_0016 = table("petitions", column("petition_no", Text), column("state", JSONB), column("status", Text),
                          column("jurisdiction", Text), column("due_on", Date), column("received_on", Date))
# The spot_checks table as revisions 0002–0018 had it.
SPOT_CHECKS_AT_0018 = table("spot_checks", *(column(name, Text) for name in (
    "case_id", "jurisdiction", "month", "because", "feedback", "document_no", "inspector")),
    column("findings", JSONB), column("completed_on", Date))
J1 = "650205001"
D = dt.date(2022, 3, 1)
DUE = Due(clock="rectification", due_on=dt.date(2022, 3, 15), working_days=10, starts_after=D,
          rule="乌尔禾区工作方案 六(二)")
ANSWERED = RectificationOrder("ZG-650205-2022-00001", J1, f"{J1}-2022-00003", OrderKind.MISSED_COVERAGE,
                              "应保未保", DUE, D, answered_on=dt.date(2022, 3, 10), answer="已纳入")
ESCALATED = RectificationOrder("ZG-650205-2022-00002", J1, None, OrderKind.PROCEDURE, "民主评议未通知申请人",
                               DUE, D, escalated_on=dt.date(2022, 3, 16))
PETITION = Petition("XF-650205-2022-00001", Channel.HOTLINE, Kind.REPORT, D, "反映某户收入不实", "匿名", "",
                    concerning_case=f"{J1}-2022-00003", status=Status.TRANSFERRED, jurisdiction=J1,
                    transferred_on=D, due_on=dt.date(2022, 3, 15))

FAULTY = SpotCheck(f"{J1}-2022-00003", J1, "2022-03", Because.REPORT,
                   SpotCheckFindings(target_correct=True, procedure_followed=False, materials_complete=True),
                   "未入户调查", "CC-650205-2022-00001", "ins-1", dt.date(2022, 4, 6))
SOUND = SpotCheck(f"{J1}-2022-00004", J1, "2022-03", Because.RANDOM,
                  SpotCheckFindings(target_correct=True, procedure_followed=True, materials_complete=True),
                  "规范", "CC-650205-2022-00002", "ins-1", dt.date(2022, 4, 6))
PENDING = SpotCheck(f"{J1}-2022-00005", J1, "2022-03", Because.RANDOM)
CHECKS = (FAULTY, SOUND, PENDING)


def _old_check(c: SpotCheck) -> dict:
    return {"case_id": c.case_id, "jurisdiction": c.jurisdiction, "month": c.month, "because": c.because.value,
            "findings": c.findings.model_dump() if c.findings else None, "feedback": c.feedback,
            "document_no": c.document_no, "inspector": c.inspector, "completed_on": c.completed_on}


def _old_row(o: RectificationOrder) -> dict:
    return {"order_no": o.order_no, "jurisdiction": o.jurisdiction, "concerning_case": o.concerning_case,
            "kind": o.kind.value, "findings": o.findings, "answer": o.answer, "due": o.due.model_dump(mode="json"),
            "due_on": o.due_on, "ordered_on": o.ordered_on, "answered_on": o.answered_on,
            "escalated_on": o.escalated_on}


async def test_rows_written_before_the_case_store_load_as_they_were_and_go_back_on_downgrade(infrastructure):
    url = infrastructure.database("oversight_stored_records")
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS, "0016")
    engine = create_async_engine(to_async_url(url))
    async with engine.begin() as conn:
        await conn.execute(insert(PETITIONS_AT_0016).values(
            petition_no=PETITION.petition_no, state=PETITIONS.dump(PETITION), status="transferred", jurisdiction=J1,
            due_on=PETITION.due_on, received_on=D))
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS, "0017")
    async with engine.begin() as conn:
        await conn.execute(insert(RECTIFICATIONS_AT_0017), [_old_row(ANSWERED), _old_row(ESCALATED)])
        await conn.execute(insert(SPOT_CHECKS_AT_0018), [_old_check(c) for c in CHECKS])
        await conn.execute(insert(register), [
            {"case_id": c.case_id, "jurisdiction": J1, "category": "dibao", "stage": "approved",
             "applicant_name": "张三", "committee": "柳树街社区", "accepted_on": D} for c in CHECKS])
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS)

    async with engine.connect() as conn:
        orders = CaseStore(RECTIFICATIONS, conn)
        assert await orders.get(ANSWERED.order_no, lock=False) == ANSWERED
        assert await orders.get(ESCALATED.order_no, lock=False) == ESCALATED
        rows = {r.order_no: r for r in (await conn.execute(select(rectifications))).all()}
        assert await CaseStore(PETITIONS, conn).get(PETITION.petition_no, lock=False) == PETITION
        assert (await conn.execute(select(petitions.c.state_version))).scalar_one() == 1
        checks = CaseStore(SPOT_CHECKS, conn)
        assert [await checks.get(c.case_id, lock=False) for c in CHECKS] == list(CHECKS)
        check_rows = {r.case_id: r for r in (await conn.execute(select(spot_checks))).all()}
        # the API lists them as it listed the rows of the old tables, field for field
        as_json = lambda rows: json.loads(json.dumps(rows, default=str))  # noqa: E731
        assert as_json(await spot_check_register.of_month(conn, "2022-03")) == as_json(
            [_old_check(c) for c in CHECKS])
        assert as_json(await rectification_register.listing(conn, J1)) == as_json(
            [_old_row(ANSWERED), _old_row(ESCALATED)])
        counted = {c.column: c.value for c in await period_counts(conn, "2022-03", "Asia/Urumqi")
                   if c.column.startswith("spot_check")}
    assert counted == {"spot_checks": 3, "spot_check_faults": 1}  # the pending check's null findings: no fault
    for c in CHECKS:
        row = check_rows[c.case_id]
        assert (row.state_version, row.jurisdiction, row.month, row.completed_on) == (
            1, c.jurisdiction, c.month, c.completed_on)
        assert SPOT_CHECKS.row(c)["state"] == row.state
    for o in (ANSWERED, ESCALATED):
        row = rows[o.order_no]
        # the columns kept are the state's, and saving it again writes what the migration built
        assert (row.state_version, row.jurisdiction, row.concerning_case, row.due_on, row.ordered_on,
                row.answered_on, row.escalated_on) == (1, o.jurisdiction, o.concerning_case, o.due_on, o.ordered_on,
                                                       o.answered_on, o.escalated_on)
        assert RECTIFICATIONS.row(o)["state"] == row.state

    await asyncio.to_thread(migrate.downgrade, url, MIGRATIONS, "0017")
    async with engine.connect() as conn:
        checks_back = {r.case_id: dict(r._mapping) for r in (await conn.execute(select(SPOT_CHECKS_AT_0018))).all()}
        back = {r.order_no: dict(r._mapping) for r in (await conn.execute(select(RECTIFICATIONS_AT_0017))).all()}
        columns = {r.column_name for r in await conn.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'rectifications'"))}
    await engine.dispose()
    assert back == {o.order_no: _old_row(o) for o in (ANSWERED, ESCALATED)}
    assert checks_back == {c.case_id: _old_check(c) for c in CHECKS}
    assert not columns & {"state", "state_version", "updated_at"}
