"""Intake's data access, inside the caller's unit of work (it never commits on its own)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_contracts.events.intake import MissingItem

from jiuzhu_intake.adapters.tables import applications, close_relatives, counters, timeline
from jiuzhu_intake.domain.application import ApplicationContent, ApplicationStatus
from jiuzhu_intake.domain.close_relatives import RegisteredRelative
from jiuzhu_intake.domain.one_time_notice import PriorNotice

CONTENT = TypeAdapter(ApplicationContent)
ITEMS = TypeAdapter(tuple[MissingItem, ...])


def dump_content(content: ApplicationContent) -> dict[str, Any]:
    return CONTENT.dump_python(content, mode="json")


def load_content(data: dict[str, Any]) -> ApplicationContent:
    return CONTENT.validate_python(data)


class IntakeRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def lock_household(self, id_numbers: tuple[str, ...]) -> None:
        """Serialise applications that share a member, so two windows cannot both open a case."""
        for number in sorted(set(id_numbers)):
            key = int.from_bytes(hashlib.sha256(number.encode()).digest()[:8], "big", signed=True)
            await self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})

    async def next_number(self, name: str) -> int:
        result = await self.session.execute(
            pg_insert(counters).values(name=name, value=1)
            .on_conflict_do_update(index_elements=[counters.c.name], set_={"value": counters.c.value + 1})
            .returning(counters.c.value))
        return result.scalar_one()

    async def register(self) -> list[RegisteredRelative]:
        rows = await self.session.execute(select(close_relatives))
        return [RegisteredRelative(r.staff_id, r.relative_id_number, r.relation) for r in rows]

    # --- applications ------------------------------------------------------------------------
    async def add_application(self, application_id: str, content: ApplicationContent) -> None:
        await self.session.execute(insert(applications).values(
            application_id=application_id, status=ApplicationStatus.SUBMITTED.value, content=dump_content(content)))

    async def get_application(self, application_id: str, *, for_update: bool = False):
        query = select(applications).where(applications.c.application_id == application_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).first()

    async def record_submission(self, application_id: str, content: ApplicationContent) -> None:
        await self.session.execute(update(applications).where(applications.c.application_id == application_id)
                                   .values(content=dump_content(content), submissions=applications.c.submissions + 1,
                                           updated_at=func.now()))

    async def record_notice(self, application_id: str, notice_no: str, items: tuple[MissingItem, ...],
                            content: ApplicationContent, issued_on: dt.date, first: bool) -> None:
        values: dict[str, Any] = {"status": ApplicationStatus.AWAITING_CORRECTION.value, "updated_at": func.now()}
        if first:  # the one-time notice and its baseline content are kept as they were
            values |= {"notice_no": notice_no, "notice_items": ITEMS.dump_python(items, mode="json"),
                       "notice_content": dump_content(content), "notice_issued_on": issued_on}
        await self.session.execute(update(applications).where(applications.c.application_id == application_id)
                                   .values(**values))

    async def list_applications(self, status: str, limit: int, offset: int):
        """Applications in ``status``, oldest notice first (then oldest application)."""
        query = (select(applications).where(applications.c.status == status)
                 .order_by(applications.c.notice_issued_on.asc().nulls_last(), applications.c.created_at,
                           applications.c.application_id)
                 .limit(limit).offset(offset))
        return (await self.session.execute(query)).all()

    @staticmethod
    def prior_notice(row) -> PriorNotice | None:
        if row is None or row.notice_no is None:
            return None
        return PriorNotice(row.notice_no, ITEMS.validate_python(row.notice_items), load_content(row.notice_content))

    async def mark_accepted(self, application_id: str, case_id: str) -> None:
        await self.session.execute(update(applications).where(applications.c.application_id == application_id)
                                   .values(status=ApplicationStatus.ACCEPTED.value, case_id=case_id,
                                           updated_at=func.now()))

    # --- the case's timeline (the case itself is in the case store: intake_cases.py) ----------
    async def add_timeline(self, *, event_id: str, case_id: str, event_type: str, label: str,
                           occurred_at: dt.datetime, actor_name: str) -> None:
        await self.session.execute(pg_insert(timeline).values(
            event_id=event_id, case_id=case_id, event_type=event_type, label=label, occurred_at=occurred_at,
            actor_name=actor_name).on_conflict_do_nothing())

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
