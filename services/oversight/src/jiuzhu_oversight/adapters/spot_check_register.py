"""Each month's samples (with their seed and population), and the spot checks drawn: each check a
record of the case store (its state as JSON, versioned), with the columns it is looked up by."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from sqlalchemy import Column, Date, String, Text, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.case_store import CaseKind, CaseStore, case_table

from jiuzhu_oversight.adapters.tables import metadata, samples
from jiuzhu_oversight.domain.sampling import Drawn, Filing
from jiuzhu_oversight.domain.spot_check import SpotCheck

spot_checks = case_table(
    "spot_checks", metadata,
    Column("jurisdiction", Text, nullable=False),
    Column("month", String(7), nullable=False),
    Column("completed_on", Date),
)

SPOT_CHECKS = CaseKind(spot_checks, SpotCheck, noun="spot check of", noun_zh="抽查案件", held="here (the case was not drawn)",
                       columns=lambda c: {"jurisdiction": c.jurisdiction, "month": c.month,
                                          "completed_on": c.completed_on})


def store(session: AsyncSession) -> CaseStore[SpotCheck]:
    return CaseStore(SPOT_CHECKS, session)


async def sample(session: AsyncSession, jurisdiction: str, month: str):
    return (await session.execute(select(samples).where(samples.c.jurisdiction == jurisdiction,
                                                        samples.c.month == month))).first()


async def drawn_cases(session: AsyncSession, jurisdiction: str, month: str) -> list[tuple[str, str]]:
    """(case, why it was drawn) of the month's sample, in case order."""
    t = spot_checks.c
    checks = await store(session).where(t.jurisdiction == jurisdiction, t.month == month, order_by=(t.case_id,))
    return [(c.case_id, c.because.value) for c in checks]


async def claim(session: AsyncSession, *, jurisdiction: str, month: str, seed: str, population: list[Filing],
                share: str) -> dt.datetime | None:
    """The month's sample for the jurisdiction, once: when it was drawn, or None if another request
    drew it first (theirs stands)."""
    row = (await session.execute(pg_insert(samples).values(
        jurisdiction=jurisdiction, month=month, seed=seed, filings=len(population), drawn=0,
        population=[asdict(f) for f in population], share=share)
        .on_conflict_do_nothing().returning(samples.c.drawn_at))).first()
    return None if row is None else row.drawn_at


async def add_drawn(session: AsyncSession, jurisdiction: str, month: str, drawn: list[Drawn]) -> None:
    await session.execute(update(samples).where(samples.c.jurisdiction == jurisdiction, samples.c.month == month)
                          .values(drawn=len(drawn)))
    if drawn:  # one statement for the sample; a case drawn twice is an error, as it always was
        await session.execute(insert(spot_checks), [
            {"case_id": d.case_id, **SPOT_CHECKS.row(SpotCheck(d.case_id, jurisdiction, month, d.because))}
            for d in drawn])


async def of_month(session: AsyncSession, month: str) -> list[dict]:
    """The month's checks as the API has always listed them."""
    t = spot_checks.c
    checks = await store(session).where(t.month == month, order_by=(t.jurisdiction, t.case_id))
    return [SPOT_CHECKS.dump(c) for c in checks]


async def check(session: AsyncSession, case_id: str) -> SpotCheck | None:
    """Read only (the written feedback, an accountability record's basis)."""
    return await store(session).get(case_id, lock=False)
