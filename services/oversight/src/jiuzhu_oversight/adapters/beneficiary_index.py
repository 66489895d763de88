"""The index of residents in open or supported cases, and the alerts it raised (issue 6): its SQL."""

from __future__ import annotations

from sqlalchemy import ARRAY, String, Text, any_, bindparam, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.unit_of_work import direct_of

from jiuzhu_oversight.adapters.tables import alerts, beneficiaries
from jiuzhu_oversight.domain.beneficiaries import Duplicate, Indexed


RESIDENT_LOCK = 7_020_206  # with the resident's hash: one acceptance of a resident at a time


# The statements of the consumer's path, built once (one whatever the number of residents: the
# hashes as one array), so SQLAlchemy finds each compiled and asyncpg prepared on the connection.
_LOCK_RESIDENTS = text("SELECT pg_advisory_xact_lock(:k, hashtext(h)) "
                       "FROM (SELECT unnest(CAST(:hs AS text[])) AS h ORDER BY 1) AS residents")
_ADD = text(f"INSERT INTO {beneficiaries.name} (id_hash, case_id, jurisdiction) "
            "SELECT unnest(:hs), :case_id, :jurisdiction ON CONFLICT DO NOTHING").bindparams(
    bindparam("hs", type_=ARRAY(Text())), bindparam("case_id", type_=Text()), bindparam("jurisdiction", type_=Text()))
_OPEN_ELSEWHERE = select(beneficiaries).where(
    beneficiaries.c.id_hash == any_(bindparam("hs", type_=ARRAY(String()))), beneficiaries.c.open.is_(True),
    beneficiaries.c.jurisdiction != bindparam("jurisdiction"))
_CLOSE_CASE = update(beneficiaries).where(beneficiaries.c.case_id == bindparam("b_case")).values(open=False)


async def add(session: AsyncSession, case_id: str, jurisdiction: str, hashes: list[str]) -> None:
    """Index the residents, each under a lock held until the transaction ends: the jurisdictions'
    consumers run side by side (domain/partitions.py), and two acceptances of one resident that
    did not wait for each other would each miss the other's uncommitted row — no alert. The second
    waits for the first to commit and then sees it (``open_elsewhere`` reads after the lock). One
    household's locks are taken in one order; two batches that hold residents the other wants are a
    deadlock PostgreSQL breaks, and the consumer applies the refused batch again event by event."""
    if hashes:
        direct = direct_of(session)
        await direct.fetch(_LOCK_RESIDENTS, {"k": RESIDENT_LOCK, "hs": sorted(hashes)})
        await direct.fetch(_ADD, {"hs": list(hashes), "case_id": case_id, "jurisdiction": jurisdiction})


async def open_elsewhere(session: AsyncSession, hashes: list[str], jurisdiction: str) -> list[Indexed]:
    """These residents' entries in open cases of other jurisdictions."""
    rows = (await session.execute(_OPEN_ELSEWHERE, {"hs": list(hashes), "jurisdiction": jurisdiction})).all()
    return [Indexed(r.id_hash, r.case_id, r.jurisdiction) for r in rows]


async def raise_alert(session: AsyncSession, duplicate: Duplicate) -> bool:
    """True if this is the first alert for the resident in these cases."""
    new = await session.execute(pg_insert(alerts).values(
        id_hash=duplicate.id_hash, cases=list(duplicate.cases), jurisdictions=list(duplicate.jurisdictions))
        .on_conflict_do_nothing().returning(alerts.c.id))
    return new.first() is not None


async def close_case(session: AsyncSession, case_id: str) -> None:
    await session.execute(_CLOSE_CASE, {"b_case": case_id})


async def all_alerts(session: AsyncSession) -> list[dict]:
    return [dict(r._mapping) for r in (await session.execute(select(alerts).order_by(alerts.c.id))).all()]


async def open_of(session: AsyncSession, case_id: str) -> list[str]:
    """The residents a case holds open in the index."""
    return list((await session.execute(select(beneficiaries.c.id_hash).where(
        beneficiaries.c.case_id == case_id, beneficiaries.c.open.is_(True)).order_by(beneficiaries.c.id_hash)))
        .scalars())


async def leave(session: AsyncSession, case_id: str, hashes: list[str]) -> None:
    """These residents no longer live in the case's household (issue 15: a member removed)."""
    if hashes:
        await session.execute(update(beneficiaries).where(beneficiaries.c.case_id == case_id,
                                                          beneficiaries.c.id_hash.in_(hashes)).values(open=False))


async def rejoin(session: AsyncSession, case_id: str, hashes: list[str]) -> None:
    """Residents back in a household they had left (``add`` keeps an entry as it was)."""
    if hashes:
        await session.execute(update(beneficiaries).where(beneficiaries.c.case_id == case_id,
                                                          beneficiaries.c.id_hash.in_(hashes)).values(open=True))
