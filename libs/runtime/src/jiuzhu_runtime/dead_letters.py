"""Oversight's view of dead letters: a durable consumer on the dead-letter stream that hands each
one, with its reason, to a recorder (STYLE 6: a dead-lettered event is recorded where oversight sees it)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from jiuzhu_contracts.subjects import dead_letter_stream
from jiuzhu_runtime.pull_loop import PullLoop

# recorder(dlq sequence, dlq subject, headers (original subject and sequence, reason, signer), body).
# The subject's last token is the consumer that dead-lettered it: NATS permissions let each consumer
# publish only there, whereas its headers are whatever the publisher wrote.
Recorder = Callable[[int, str, dict[str, str], bytes], Awaitable[None]]


def dead_letter_loop(*, prefix: str, district: str, durable: str, record: Recorder) -> PullLoop:
    async def on_dead_letter(msg) -> None:
        headers = msg.headers or {}
        try:
            await record(msg.metadata.sequence.stream, msg.subject, dict(headers), msg.data)
        except Exception:
            await msg.nak(delay=2.0)
            return
        await msg.ack()

    return PullLoop(stream=dead_letter_stream(prefix), durable=durable, filter_subject=f"{prefix}.dlq.{district}.>",
                    on_message=on_dead_letter)


def stuck_router(access, *, jurisdiction_service: bool, sessions):
    """``GET /consumer/dead-letters``: what this service could not apply, newest first, optionally for
    one case — so the stage that owns a case shows why it stands still (runtime tables v3)."""
    from fastapi import APIRouter, Depends, Query
    from sqlalchemy import select

    from jiuzhu_contracts.base import Role
    from jiuzhu_runtime.db import dead_lettered

    staff = (Role.CLERK, Role.INVESTIGATOR, Role.REVIEWER, Role.COMMITTEE, Role.LEADER) if jurisdiction_service else ()
    district = (Role.INSPECTOR, Role.BUREAU_ADMIN, Role.AUDITOR) + (() if jurisdiction_service else (Role.FINANCE,))
    router = APIRouter(tags=["dead letters"])

    @router.get("/consumer/dead-letters",
                summary="本服务无法处理的事件 / Events this service could not apply (the case stands still until resolved)")
    async def stuck(case_id: str | None = Query(None, max_length=60), limit: int = Query(200, ge=1, le=5000),
                    _=Depends(access.allow(*staff, district=district))):
        async with sessions() as session:
            query = select(dead_lettered).order_by(dead_lettered.c.recorded_at.desc()).limit(limit)
            if case_id is not None:
                query = query.where(dead_lettered.c.case_id == case_id)
            rows = (await session.execute(query)).all()
        return [dict(r._mapping) for r in rows]

    return router
