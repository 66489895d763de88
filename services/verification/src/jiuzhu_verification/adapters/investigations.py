"""How verification stores its case (the runtime's case store), and the one query the store does
not answer: which case an economic-check request belongs to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.case_store import CaseKind, CaseStore

from jiuzhu_verification.adapters.tables import investigations
from jiuzhu_verification.domain.investigation import OPEN, Investigation, Status


def v1_kept_the_clock_beside_the_state(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 kept the running deadline in the row's columns only (next_clock, next_due).
    Migration 0006 copies them into the state of every row it finds; a version-1 state that did not
    pass through it gets what the state itself says — the re-investigation's due date, or the clock
    without its date (sorted last in the work list until the case next moves)."""
    if "next_clock" in data:
        return data
    clock, due = None, None
    if data.get("status") == Status.REINVESTIGATING and data.get("reinvestigation"):
        clock, due = "reinvestigation", data["reinvestigation"]["due"]["due_on"]
    elif data.get("status") == Status.INVESTIGATING:
        clock = "review" if data.get("visit") else "investigation"
    return {**data, "next_clock": clock, "next_due": due}


def derived_columns(inv: Investigation) -> dict[str, Any]:
    return {"status": inv.status.value, "check_request_id": inv.check_request_id,
            "next_clock": inv.next_clock.value if inv.next_clock else None, "next_due": inv.next_due}


INVESTIGATIONS = CaseKind(investigations, Investigation, version=2,
                          upcasters={1: v1_kept_the_clock_beside_the_state}, columns=derived_columns,
                          held="under investigation here")

async def work_list(store: CaseStore[Investigation], limit: int) -> list[Investigation]:
    """Open investigations, the nearest deadline first."""
    t = investigations.c
    return await store.where(t.status.in_([s.value for s in OPEN]),
                             order_by=(t.next_due.asc().nulls_last(), t.case_id), limit=limit)


async def case_for_request(session: AsyncSession, request_id: str) -> str | None:
    return (await session.execute(select(investigations.c.case_id)
                                  .where(investigations.c.check_request_id == request_id))).scalar()
