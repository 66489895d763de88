"""The re-reviews' proposals as stored: migration 0011 builds each proposal's state from the columns
it was kept in, and it loads through the case store as it was, keyed by its household and round."""

import asyncio
import datetime as dt

from sqlalchemy import Date, Integer, Text, column, insert, select, table
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import create_async_engine

from jiuzhu_runtime import migrate
from jiuzhu_runtime.case_store import CaseStore
from jiuzhu_runtime.db import to_async_url

from jiuzhu_decision.adapters import re_review_outcomes as outcomes
from jiuzhu_decision.adapters.re_review_outcomes import RE_REVIEW_OUTCOMES, re_review_outcomes
from jiuzhu_decision.bootstrap import MIGRATIONS
from jiuzhu_decision.domain.re_review_outcome import OutcomeStatus, ReReviewOutcome

# The table as revision 0010 made it.
AT_0010 = table("re_review_outcomes", *(column(n, Text) for n in ("case_id", "status", "outcome")),
                column("round", Integer), column("completed_on", Date), column("resolved_on", Date),
                *(column(n, JSONB) for n in ("proposal", "resolved_by", "resolution")))
CASE = "650205001-2022-00001"
D = dt.date(2022, 9, 1)
PROPOSAL = {"round": 1, "outcome": "change", "proposed_amount_fen": 90000, "reviewer": {"id": "rev-1"}}
BY = {"id": "lead-1", "name": "孙主任", "role": "leader"}


async def test_migration_builds_the_state_from_the_columns_and_the_proposals_load_as_they_were(infrastructure):
    url = infrastructure.database("decision_outcomes")
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS, "0010")
    engine = create_async_engine(to_async_url(url))
    async with engine.begin() as conn:
        await conn.execute(insert(AT_0010), [
            {"case_id": CASE, "round": 1, "status": "continued", "outcome": "change", "completed_on": D,
             "proposal": PROPOSAL, "resolved_on": D + dt.timedelta(days=3), "resolved_by": BY,
             "resolution": {"reasons": ["家中有重病患者"], "amount_fen": 130000}},
            {"case_id": CASE, "round": 2, "status": "pending", "outcome": "continue", "completed_on": D.replace(year=2023),
             "proposal": PROPOSAL | {"round": 2}, "resolved_on": None, "resolved_by": None, "resolution": None}])
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS)
    async with engine.begin() as conn:
        first = await CaseStore(RE_REVIEW_OUTCOMES, conn).get(f"{CASE}/1", lock=False)
        pending = await outcomes.pending_of(conn, CASE)
        listed = await outcomes.listing(conn, case_id=CASE)
        rows = (await conn.execute(select(re_review_outcomes).order_by(re_review_outcomes.c.round))).all()
    await engine.dispose()
    assert first == ReReviewOutcome(CASE, 1, "change", D, PROPOSAL, OutcomeStatus.CONTINUED, D + dt.timedelta(days=3),
                                    BY, {"reasons": ["家中有重病患者"], "amount_fen": 130000})
    assert pending == ReReviewOutcome(CASE, 2, "continue", D.replace(year=2023), PROPOSAL | {"round": 2})
    assert [o["status"] for o in listed] == ["continued", "pending"] and listed[0]["resolved_by"] == BY
    assert [(r.outcome_no, r.case_id, r.round, r.status, r.state_version) for r in rows] == [
        (f"{CASE}/1", CASE, 1, "continued", 1), (f"{CASE}/2", CASE, 2, "pending", 1)]
    for o, row in zip((first, pending), rows):  # saved again, the state is what the migration built
        assert RE_REVIEW_OUTCOMES.row(o)["state"] == row.state
