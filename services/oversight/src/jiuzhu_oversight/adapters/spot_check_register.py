"""Each month's samples (with their seed and population) and the spot checks drawn: their SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_oversight.adapters.tables import samples, spot_checks
from jiuzhu_oversight.domain.sampling import Drawn, Filing


async def sample(session: AsyncSession, jurisdiction: str, month: str):
    return (await session.execute(select(samples).where(samples.c.jurisdiction == jurisdiction,
                                                        samples.c.month == month))).first()


async def drawn_cases(session: AsyncSession, jurisdiction: str, month: str) -> list[tuple[str, str]]:
    """(case, why it was drawn) of the month's sample, in case order."""
    rows = (await session.execute(select(spot_checks.c.case_id, spot_checks.c.because)
                                  .where(spot_checks.c.jurisdiction == jurisdiction, spot_checks.c.month == month)
                                  .order_by(spot_checks.c.case_id))).all()
    return [(r.case_id, r.because) for r in rows]


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
    if drawn:
        await session.execute(insert(spot_checks), [
            {"case_id": d.case_id, "jurisdiction": jurisdiction, "month": month, "because": d.because.value}
            for d in drawn])


async def of_month(session: AsyncSession, month: str) -> list[dict]:
    rows = (await session.execute(select(spot_checks).where(spot_checks.c.month == month)
                                  .order_by(spot_checks.c.jurisdiction, spot_checks.c.case_id))).all()
    return [dict(r._mapping) for r in rows]


async def check(session: AsyncSession, case_id: str, *, for_update: bool = False):
    query = select(spot_checks).where(spot_checks.c.case_id == case_id)
    return (await session.execute(query.with_for_update() if for_update else query)).first()


async def complete(session: AsyncSession, case_id: str, *, findings: dict, feedback: str, document_no: str,
                   inspector: str, on: dt.date) -> None:
    await session.execute(update(spot_checks).where(spot_checks.c.case_id == case_id).values(
        findings=findings, feedback=feedback, document_no=document_no, inspector=inspector, completed_on=on))
