"""A roster's and a one-off batch's headers as stored: migration 0009 builds each header's state
from the columns it was kept in, and it loads through the case store as it was."""

import asyncio
import datetime as dt

from sqlalchemy import BigInteger, Date, Integer, Text, column, insert, select, table
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import create_async_engine

from jiuzhu_runtime import migrate
from jiuzhu_runtime.case_store import CaseStore
from jiuzhu_runtime.db import to_async_url

from jiuzhu_disbursement.adapters.one_off_batch_headers import ONE_OFF_BATCHES
from jiuzhu_disbursement.adapters.one_off_tables import one_off_batches
from jiuzhu_disbursement.adapters.roster_headers import ROSTERS
from jiuzhu_disbursement.adapters.tables import rosters
from jiuzhu_disbursement.bootstrap import MIGRATIONS
from jiuzhu_disbursement.domain.one_off_batch import BatchStatus, OneOffBatch
from jiuzhu_disbursement.domain.roster_header import RosterHeader, RosterStatus

# The tables as revisions 0002–0008 had them.
ROSTERS_AT_0008 = table("rosters", *(column(n, Text) for n in ("roster_id", "scope", "month", "status", "checksum")),
                        column("version", Integer), column("lines", Integer), column("totals", JSONB),
                        column("difference", JSONB), column("compiled_on", Date), column("submitted_on", Date))
BATCHES_AT_0008 = table("one_off_batches", *(column(n, Text) for n in ("batch_id", "scope", "status", "checksum")),
                        column("issued_on", Date), column("lines", Integer), column("total_fen", BigInteger))
D = dt.date(2022, 3, 25)
SUM = "a" * 64
DIFFERENCE = {"added": 1, "removed": 0, "changed": 0, "against": "R-650205-2022-03-v1",
              "lines": [{"case_id": "C2", "change": "added"}]}


async def test_migration_builds_the_headers_from_the_columns_and_they_load_as_they_were(infrastructure):
    url = infrastructure.database("disbursement_headers")
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS, "0008")
    engine = create_async_engine(to_async_url(url))
    async with engine.begin() as conn:
        await conn.execute(insert(ROSTERS_AT_0008), [
            {"roster_id": "R-650205-2022-03-v1", "scope": "650205", "month": "2022-03", "version": 1,
             "status": "superseded", "lines": 1, "totals": {"dibao": [1, 130000]}, "checksum": SUM,
             "difference": None, "compiled_on": D, "submitted_on": None},
            {"roster_id": "R-650205-2022-03-v2", "scope": "650205", "month": "2022-03", "version": 2,
             "status": "submitted", "lines": 2, "totals": {"dibao": [2, 9_000_000_000]}, "checksum": SUM,
             "difference": DIFFERENCE, "compiled_on": D, "submitted_on": D + dt.timedelta(days=1)}])
        await conn.execute(insert(BATCHES_AT_0008).values(
            batch_id="LS-650205-20220325-1", scope="650205", status="confirmed", checksum=SUM, issued_on=D, lines=3,
            total_fen=450000))
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS)
    async with engine.connect() as conn:
        first = await CaseStore(ROSTERS, conn).get("R-650205-2022-03-v1", lock=False)
        second = await CaseStore(ROSTERS, conn).get("R-650205-2022-03-v2", lock=False)
        batch = await CaseStore(ONE_OFF_BATCHES, conn).get("LS-650205-20220325-1", lock=False)
        roster_rows = {r.roster_id: r for r in (await conn.execute(select(rosters))).all()}
        batch_row = (await conn.execute(select(one_off_batches))).one()
    await engine.dispose()
    assert first == RosterHeader(roster_id="R-650205-2022-03-v1", scope="650205", month="2022-03", version=1, lines=1,
                                 totals={"dibao": [1, 130000]}, checksum=SUM, compiled_on=D,
                                 status=RosterStatus.SUPERSEDED)
    assert second == RosterHeader(roster_id="R-650205-2022-03-v2", scope="650205", month="2022-03", version=2,
                                  lines=2, totals={"dibao": [2, 9_000_000_000]}, checksum=SUM, compiled_on=D,
                                  difference=DIFFERENCE, status=RosterStatus.SUBMITTED,
                                  submitted_on=D + dt.timedelta(days=1))
    assert batch == OneOffBatch(batch_id="LS-650205-20220325-1", scope="650205", issued_on=D, lines=3,
                                total_fen=450000, checksum=SUM, status=BatchStatus.CONFIRMED)
    for header in (first, second):
        row = roster_rows[header.roster_id]
        assert (row.state_version, row.scope, row.month, row.version, row.status) == (
            1, "650205", "2022-03", header.version, header.status.value)
        assert ROSTERS.row(header)["state"] == row.state  # saved again, the state is what the migration built
    assert (batch_row.scope, batch_row.issued_on, batch_row.status) == ("650205", D, "confirmed")
    assert ONE_OFF_BATCHES.row(batch)["state"] == batch_row.state
