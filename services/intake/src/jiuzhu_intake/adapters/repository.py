"""Intake's data access, inside the caller's unit of work (it never commits on its own). The cases and
the applications are in the case store (adapters/intake_cases.py, adapters/applications.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.unit_of_work import UnitOfWork, direct_of

from jiuzhu_intake.adapters.tables import close_relatives, counters, timeline
from jiuzhu_intake.domain.close_relatives import RegisteredRelative


_NEXT_NUMBER = (pg_insert(counters).values(name=bindparam("name"), value=1)  # built once, not per application
                .on_conflict_do_update(index_elements=[counters.c.name], set_={"value": counters.c.value + 1})
                .returning(counters.c.value))
# One lock per member, in the order given (the members' numbers sorted): two households sharing a
# member take their common locks in the same order.
_LOCK_MEMBERS = text("SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:ks AS bigint[])) WITH ORDINALITY AS m(k, i) "
                     "ORDER BY i")


def add_timeline(uow: UnitOfWork, *, event_id: str, case_id: str, event_type: str, label: str,
                 occurred_at: dt.datetime, actor_name: str) -> None:
    """A line of the case's timeline (the case itself is in the case store: intake_cases.py), written
    with the batch's other lines at the unit of work's flush (one statement); an event applied again
    adds nothing (its id is the line's key). Nothing reads the timeline back in the same transaction."""
    uow.insert_later(timeline, {"event_id": event_id, "case_id": case_id, "event_type": event_type, "label": label,
                                "occurred_at": occurred_at, "actor_name": actor_name}, skip_taken=True)


class IntakeRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def lock_household(self, id_numbers: tuple[str, ...]) -> None:
        """Serialise applications that share a member, so two windows cannot both open a case: a
        lock per member, taken in the order of their numbers (one statement for the household)."""
        keys = [int.from_bytes(hashlib.sha256(n.encode()).digest()[:8], "big", signed=True) for n in sorted(set(id_numbers))]
        await direct_of(self.session).fetch(_LOCK_MEMBERS, {"ks": keys})

    async def next_number(self, name: str) -> int:
        return (await direct_of(self.session).fetch(_NEXT_NUMBER, {"name": name}))[0][0]

    async def register(self) -> list[RegisteredRelative]:
        rows = await self.session.execute(select(close_relatives))
        return [RegisteredRelative(r.staff_id, r.relative_id_number, r.relation) for r in rows]


    async def case_timeline(self, case_id: str):
        return (await self.session.execute(
            select(timeline).where(timeline.c.case_id == case_id)
            .order_by(timeline.c.occurred_at, timeline.c.event_id))).all()

    # --- close relatives ---------------------------------------------------------------------
    async def add_close_relative(self, **values: Any) -> int | None:
        result = await self.session.execute(pg_insert(close_relatives).values(**values)
                                            .on_conflict_do_nothing().returning(close_relatives.c.id))
        return result.scalar_one_or_none()

    async def list_close_relatives(self):
        return (await self.session.execute(select(close_relatives).order_by(close_relatives.c.id))).all()
