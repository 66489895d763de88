"""How intake stores its case (the runtime's case store), and the queries over its columns."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.case_store import CaseKind

from jiuzhu_intake.adapters.tables import cases
from jiuzhu_intake.domain.case_stage import CLOSED
from jiuzhu_intake.domain.intake_case import IntakeCase


def derived_columns(case: IntakeCase) -> dict[str, Any]:
    return {"category": case.category.value, "committee": case.committee, "member_ids": list(case.member_ids),
            "stage": case.stage.value, "accepted_on": case.accepted_on}


def imported_from_none(state: dict[str, Any]) -> dict[str, Any]:
    """Version 1 → 2 (issue 15): every case kept before was accepted at the window."""
    return state | {"imported_from": None}


def unchanged_and_not_moved(state: dict[str, Any]) -> dict[str, Any]:
    """Version 2 → 3 (issue 15 item 6): no case kept before had changed or moved."""
    return state | {"household": None, "moved_from": None}


# Version 1: the shape migration 0007 built from the columns the case was kept in before.
# Version 2: ``imported_from`` — a household imported from the old system, or None.
# Version 3: ``household`` (as it is now, once changed) and ``moved_from`` (moved here), or None.
INTAKE_CASES = CaseKind(cases, IntakeCase, version=3, upcasters={1: imported_from_none, 2: unchanged_and_not_moved},
                        columns=derived_columns, held="in this jurisdiction")


async def open_case_for(session: AsyncSession, id_numbers: tuple[str, ...], category: str) -> str | None:
    """An open case of this category whose household shares a member (one open case per household)."""
    row = await session.execute(
        select(cases.c.case_id).where(cases.c.category == category, cases.c.stage.not_in([s.value for s in CLOSED]),
                                      cases.c.member_ids.overlap(list(id_numbers))).limit(1))
    return row.scalar_one_or_none()


async def case_ids_with_member(session: AsyncSession, id_number: str) -> list[str]:
    """Every case whose household includes ``id_number``, in the order their rows are then locked."""
    return list((await session.execute(select(cases.c.case_id).where(cases.c.member_ids.contains([id_number]))
                                       .order_by(cases.c.case_id))).scalars())


async def list_cases(session: AsyncSession, stage: str | None, limit: int, offset: int) -> list[IntakeCase]:
    """The newest accepted first; a page of them (the store's ``where`` has no offset)."""
    query = (select(cases.c.state, cases.c.state_version)
             .order_by(cases.c.accepted_on.desc(), cases.c.case_id.desc()).limit(limit).offset(offset))
    if stage:
        query = query.where(cases.c.stage == stage)
    return [INTAKE_CASES.load(r.state, r.state_version) for r in (await session.execute(query)).all()]
