"""The window's applications as stored: migration 0009 builds each application's state from the
columns it was kept in, and it loads through the case store as it was — the one-time notice with
the content it was given for, which the next submission is held to."""

import asyncio
import datetime as dt

from pydantic import TypeAdapter
from sqlalchemy import Date, Integer, Text, column, insert, select, table
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import create_async_engine

from jiuzhu_contracts.events.intake import MissingItem
from jiuzhu_runtime import migrate
from jiuzhu_runtime.case_store import CaseStore
from jiuzhu_runtime.db import to_async_url

from jiuzhu_intake.adapters.applications import APPLICATIONS
from jiuzhu_intake.adapters.tables import applications
from jiuzhu_intake.bootstrap import MIGRATIONS
from jiuzhu_intake.domain.application import ApplicationContent, ApplicationStatus
from jiuzhu_intake.domain.application_record import Application
from jiuzhu_intake.domain.one_time_notice import PriorNotice

from .factories import BASIC, CHILD, content

# The applications table as revisions 0002–0008 had it.
APPLICATIONS_AT_0008 = table("applications", *(column(n, Text) for n in ("application_id", "status", "notice_no",
                                                                         "case_id")),
                             column("content", JSONB), column("notice_items", JSONB), column("notice_content", JSONB),
                             column("submissions", Integer), column("notice_issued_on", Date))
CONTENT = TypeAdapter(ApplicationContent)
D = dt.date(2022, 3, 1)
FIRST = content(handed_in=BASIC)  # no income proof
LATER = content(members=(FIRST.members[0], CHILD), handed_in=BASIC + ("income_proof",))
ITEMS = (MissingItem(code="income_proof", label="收入证明", reason="missing"),)


async def test_migration_builds_the_state_from_the_columns_and_the_application_loads_as_it_was(infrastructure):
    url = infrastructure.database("intake_applications")
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS, "0008")
    engine = create_async_engine(to_async_url(url))
    async with engine.begin() as conn:
        await conn.execute(insert(APPLICATIONS_AT_0008), [
            {"application_id": "APP-1", "status": "awaiting_correction", "content": CONTENT.dump_python(LATER, mode="json"),
             "submissions": 2, "notice_no": "BZ-650205001-2022-00001",
             "notice_items": [i.model_dump(mode="json") for i in ITEMS],
             "notice_content": CONTENT.dump_python(FIRST, mode="json"), "notice_issued_on": D, "case_id": None},
            {"application_id": "APP-2", "status": "accepted", "content": CONTENT.dump_python(FIRST, mode="json"),
             "submissions": 1, "notice_no": None, "notice_items": None, "notice_content": None,
             "notice_issued_on": None, "case_id": "650205001-2022-00001"}])
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS)
    async with engine.connect() as conn:
        store = CaseStore(APPLICATIONS, conn)
        noticed, accepted = await store.get("APP-1", lock=False), await store.get("APP-2", lock=False)
        rows = {r.application_id: r for r in (await conn.execute(select(applications))).all()}
    await engine.dispose()
    assert noticed == Application("APP-1", LATER, ApplicationStatus.AWAITING_CORRECTION, 2,
                                  "BZ-650205001-2022-00001", ITEMS, FIRST, D)
    assert noticed.prior_notice == PriorNotice("BZ-650205001-2022-00001", ITEMS, FIRST)
    assert accepted == Application("APP-2", FIRST, ApplicationStatus.ACCEPTED, case_id="650205001-2022-00001")
    assert accepted.prior_notice is None
    assert [(rows[a].state_version, rows[a].status, rows[a].notice_issued_on) for a in ("APP-1", "APP-2")] == [
        (1, "awaiting_correction", D), (1, "accepted", None)]
    for application in (noticed, accepted):  # saved again, the state is what the migration built
        assert APPLICATIONS.row(application)["state"] == rows[application.application_id].state
