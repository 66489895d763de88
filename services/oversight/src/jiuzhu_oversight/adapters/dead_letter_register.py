"""Oversight's register of dead letters: every message any consumer of the district refused, with
its reason; the security alerts (refused as not authentic) and the cases standing still because an
event about them could not be applied, read from it."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from jiuzhu_runtime.consumer import DEAD_LETTER_REASON, SECURITY, what_it_claims

from jiuzhu_oversight.adapters.tables import dead_letters

DUPLICATE = "duplicate: "  # sent twice, nothing changed: not a stranded case


async def record(session, dlq_seq: int, subject: str, headers: dict[str, str], body: bytes) -> None:
    """Once per (consumer, original sequence). The consumer is read from the dead-letter subject,
    which only that consumer may publish on; a header naming another is noted, not believed."""
    consumer = subject.rsplit(".", 1)[-1]
    reason = headers.get(DEAD_LETTER_REASON, "?")
    claimed = headers.get("Jz-Consumer")
    if claimed and claimed != consumer:
        reason = f"{reason} [published by {consumer}, claiming to be {claimed}]"
    original_seq = headers.get("Jz-Original-Seq", "")
    await session.execute(pg_insert(dead_letters).values(
        dlq_seq=dlq_seq, consumer=consumer, original_subject=headers.get("Jz-Original-Subject", "?"),
        reason=reason, body=body, original_seq=int(original_seq) if original_seq.isdigit() else None,
        signer=headers.get("Jz-Original-Signer"), security=reason.startswith(SECURITY), **what_it_claims(body))
        .on_conflict_do_nothing())


async def security_alerts(session, limit: int) -> list[dict]:
    """One alert per refused message (every consumer that refused it, with its reason)."""
    rows = (await session.execute(
        select(dead_letters.c.original_seq, dead_letters.c.original_subject,
               func.min(dead_letters.c.recorded_at).label("first_refused_at"),
               func.array_agg(dead_letters.c.consumer.distinct()).label("refused_by"),
               func.min(dead_letters.c.reason).label("reason"), func.min(dead_letters.c.signer).label("claimed_signer"),
               func.min(dead_letters.c.event_type).label("claimed_event_type"),
               func.min(dead_letters.c.event_id).label("claimed_event_id"),
               func.min(dead_letters.c.case_id).label("claimed_case_id"))
        .where(dead_letters.c.security.is_(True))
        .group_by(dead_letters.c.original_seq, dead_letters.c.original_subject)
        .order_by(func.min(dead_letters.c.recorded_at).desc()).limit(limit))).all()
    return [{**dict(r._mapping), "refused_by": sorted(r.refused_by)} for r in rows]


async def stranded_cases(session, limit: int) -> list[dict]:
    """Cases an authentic event could not be applied to: the stage named stands still until an
    operator resolves it (replays the event after a fix, or corrects the case)."""
    rows = (await session.execute(
        select(dead_letters.c.case_id, dead_letters.c.consumer, dead_letters.c.event_type, dead_letters.c.event_id,
               dead_letters.c.reason, dead_letters.c.original_subject, dead_letters.c.recorded_at)
        .where(dead_letters.c.case_id.is_not(None), dead_letters.c.security.is_(False),
               ~dead_letters.c.reason.startswith(DUPLICATE))
        .order_by(dead_letters.c.recorded_at.desc()).limit(limit))).all()
    cases: dict[str, dict] = {}
    for r in rows:
        jurisdiction = r.original_subject.split(".")[3] if r.original_subject.count(".") >= 4 else None
        case = cases.setdefault(r.case_id, {"case_id": r.case_id, "jurisdiction": jurisdiction, "stuck_at": []})
        case["stuck_at"].append({"consumer": r.consumer, "event_type": r.event_type, "event_id": r.event_id,
                                 "reason": r.reason, "recorded_at": r.recorded_at})
    return list(cases.values())


async def latest(session, limit: int) -> list[dict]:
    """The newest dead letters first, each body cut to what a page shows."""
    rows = (await session.execute(select(dead_letters).order_by(dead_letters.c.id.desc()).limit(limit))).all()
    return [{"id": r.id, "consumer": r.consumer, "original_subject": r.original_subject, "reason": r.reason,
             "recorded_at": r.recorded_at, "body": r.body.decode("utf-8", "replace")[:4000]} for r in rows]
