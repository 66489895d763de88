"""The audit chains (domain/audit_chain.py, one per jurisdiction: domain/partitions.py) and the
checkpoints of their heads: their SQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_contracts import Envelope
from jiuzhu_runtime.unit_of_work import UnitOfWork, direct_of

from jiuzhu_oversight.adapters.tables import audit_checkpoints, audit_log
from jiuzhu_oversight.domain.audit_chain import GENESIS, Entry, chain_hash
from jiuzhu_oversight.domain.audit_checks import EMPTY, Checkpoint, Head

AUDIT_LOCK = 7_020_205  # with the chain's hash: serialises appends to one chain (the others go on)


_LOCK = text("SELECT pg_advisory_xact_lock(:k, hashtext(:chain))")


async def lock(session: AsyncSession, chain: str) -> None:
    """Until the transaction ends, no one else appends to ``chain`` (nor reads its head to checkpoint it)."""
    await direct_of(session).fetch(_LOCK, {"k": AUDIT_LOCK, "chain": chain})


# Built once: a statement built per call is keyed (and cache-looked-up) by SQLAlchemy each time.
_HEAD_HASH = (select(audit_log.c.hash).where(audit_log.c.chain == bindparam("chain"))
              .order_by(audit_log.c.seq.desc()).limit(1))


def body_of(env: Envelope) -> dict:
    """The event as the chain holds it and hashes it: its JSON (``encode``) as a dict. Pydantic's
    JSON-mode dump is that dict without writing and parsing the JSON (the contracts have no floats
    nor custom serialisers; tests/test_audit_body.py checks every event type's example hashes the
    same both ways)."""
    return env.model_dump(mode="json")


async def append(uow: UnitOfWork, env: Envelope, category: str | None) -> None:
    """Append to the event's chain (its jurisdiction's: domain/partitions.py). The chain's head is
    read once per transaction, under the lock that keeps a second writer of that chain out, and then
    followed in memory (``uow.memo`` is cleared by any rollback). The entry is written at the unit
    of work's flush with the others of the batch, in the order appended (one statement; ``seq``
    follows the chain): nothing in a consumer's transaction reads the chain back — the checkpoints
    read it in transactions of their own, under the same lock."""
    session = uow.session
    chain = env.jurisdiction
    previous = uow.memo.get(("audit_head", chain))
    if previous is None:
        await lock(session, chain)
        head = await uow.direct.fetch(_HEAD_HASH, {"chain": chain})
        previous = head[0][0] if head else GENESIS
    body = body_of(env)
    entry_hash = chain_hash(previous, body)
    uow.insert_later(audit_log, {
        "chain": chain, "event_id": env.event_id, "case_id": env.case_id, "jurisdiction": env.jurisdiction,
        "category": category, "event_type": env.event_type, "occurred_at": env.occurred_at, "body": body,
        "prev_hash": previous, "hash": entry_hash})
    uow.memo[("audit_head", chain)] = entry_hash


# the checkpoint ticker's, every few seconds for every chain: built once too
_HEAD = (select(audit_log.c.seq, audit_log.c.hash).where(audit_log.c.chain == bindparam("chain"))
         .order_by(audit_log.c.seq.desc()).limit(1))
_ENTRIES_UP_TO = text("SELECT count(*) FROM audit_log WHERE chain = :c AND seq <= :s")
_LAST_CHECKPOINT = (select(audit_checkpoints).where(audit_checkpoints.c.chain == bindparam("chain"))
                    .order_by(audit_checkpoints.c.last_seq.desc(), audit_checkpoints.c.recorded_at.desc()).limit(1))


async def head(session: AsyncSession, chain: str) -> Head:
    last = (await session.execute(_HEAD, {"chain": chain})).first()
    if last is None:
        return EMPTY
    entries = (await session.execute(_ENTRIES_UP_TO, {"c": chain, "s": last.seq})).scalar_one()
    return Head(last.seq, last.hash, entries)


async def entries(session: AsyncSession) -> dict[str, list[Entry]]:
    """Every chain's entries, each chain in its order."""
    rows = (await session.execute(select(audit_log.c.chain, audit_log.c.seq, audit_log.c.body,
                                         audit_log.c.prev_hash, audit_log.c.hash).order_by(audit_log.c.seq))).all()
    out: dict[str, list[Entry]] = {}
    for r in rows:
        out.setdefault(r.chain, []).append(Entry(r.seq, r.body, r.prev_hash, r.hash))
    return out


async def last_checkpoint(session: AsyncSession, chain: str) -> Checkpoint | None:
    row = (await session.execute(_LAST_CHECKPOINT, {"chain": chain})).first()
    return None if row is None else Checkpoint(row.last_seq, row.head_hash, row.entries, row.recorded_at, row.event_id)


async def add_checkpoint(session: AsyncSession, chain: str, event_id: str, at: Head, recorded_at: dt.datetime,
                         trigger: str) -> None:
    await session.execute(insert(audit_checkpoints).values(
        event_id=event_id, chain=chain, last_seq=at.last_seq, head_hash=at.head_hash, entries=at.entries,
        recorded_at=recorded_at, trigger=trigger))


async def case_trail(session: AsyncSession, case_id: str) -> list[dict]:
    """A case's entries with their hashes and full events (auditors)."""
    rows = (await session.execute(select(audit_log).where(audit_log.c.case_id == case_id)
                                  .order_by(audit_log.c.seq))).all()
    return [{"seq": r.seq, "event_type": r.event_type, "occurred_at": r.occurred_at, "hash": r.hash,
             "prev_hash": r.prev_hash, "event": r.body} for r in rows]


async def case_timeline(session: AsyncSession, case_id: str) -> list[dict]:
    """A case's events in order: what happened, when, by whom."""
    rows = (await session.execute(select(audit_log.c.seq, audit_log.c.event_type, audit_log.c.occurred_at,
                                         audit_log.c.body["actor"].label("actor"))
                                  .where(audit_log.c.case_id == case_id).order_by(audit_log.c.seq))).all()
    return [dict(e._mapping) for e in rows]
