"""The district's case register (one row per case of every jurisdiction): its SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from sqlalchemy import ARRAY, String, any_, bindparam, case, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.unit_of_work import direct_of

from jiuzhu_oversight.adapters.tables import register
from jiuzhu_oversight.domain.register import BEFORE_DECISION, CLOSED_STAGES, FOLLOWS_A_CLOSED_CASE, STAGE, Stage


# The statements of the consumer's path are built once (per event type and set of columns where
# those vary), so SQLAlchemy finds each compiled in its cache without keying a new statement per event.
_ACCEPT = pg_insert(register).values({register.c[n]: bindparam(n, type_=register.c[n].type) for n in (
    "case_id", "jurisdiction", "category", "stage", "applicant_name", "committee", "accepted_on", "close_relative",
)}).on_conflict_do_nothing()


async def accept(session: AsyncSession, *, case_id: str, jurisdiction: str, category: str, applicant_name: str,
                 committee: str, accepted_on: dt.date, close_relative: bool) -> None:
    await direct_of(session).fetch(_ACCEPT, {
        "case_id": case_id, "jurisdiction": jurisdiction, "category": category, "stage": Stage.INVESTIGATING.value,
        "applicant_name": applicant_name, "committee": committee, "accepted_on": accepted_on,
        "close_relative": close_relative})


def _stage_after(event_type: str):
    """``domain.register.stage_after`` as an SQL expression over the row's stage (no read first)."""
    new = STAGE[event_type].value
    if event_type in FOLLOWS_A_CLOSED_CASE:
        return new
    if STAGE[event_type] in BEFORE_DECISION:
        return case((register.c.stage.in_(sorted(s.value for s in CLOSED_STAGES | {Stage.APPROVED})),
                     register.c.stage), else_=new)
    return case((register.c.stage.in_(sorted(s.value for s in CLOSED_STAGES)), register.c.stage), else_=new)


class Registered(NamedTuple):
    """What an update of a case's row returns: its category, and whether it was decided (an
    assist-first case before its means check and publicity)."""

    category: str
    decided: bool


_UPDATES: dict[tuple[str | None, tuple[str, ...]], Any] = {}


def _update(event_type: str | None, columns: tuple[str, ...]):
    """``UPDATE register SET <column> = :v_<column>… [, stage = <after event_type>] WHERE case_id =
    :b_case RETURNING category, decided_on``, built once per event type and set of columns."""
    key = (event_type if event_type in STAGE else None, columns)
    statement = _UPDATES.get(key)
    if statement is None:
        values: dict[Any, Any] = {register.c[n]: bindparam(f"v_{n}", type_=register.c[n].type) for n in columns}
        if key[0] is not None:
            values[register.c.stage] = _stage_after(key[0])
        statement = _UPDATES[key] = (update(register).where(register.c.case_id == bindparam("b_case"))
                                     .values(values).returning(register.c.category, register.c.decided_on))
    return statement


async def _change(session: AsyncSession, statement, parameters: dict[str, Any]) -> Registered | None:
    rows = await direct_of(session).fetch(statement, parameters)
    return Registered(rows[0]["category"], rows[0]["decided_on"] is not None) if rows else None


async def move(session: AsyncSession, case_id: str, event_type: str, **values: Any) -> Registered | None:
    """The case's stage after ``event_type`` (if it moves one), with ``values`` (dates, amounts);
    the case's category and whether it was decided (after this change), or None when the case is
    not in the register (not accepted yet)."""
    return await _change(session, _update(event_type, tuple(values)),
                         {"b_case": case_id, **{f"v_{n}": v for n, v in values.items()}})


_COUNT_OBJECTION = (update(register).where(register.c.case_id == bindparam("b_case"))
                    .values(objections=register.c.objections + 1)
                    .returning(register.c.category, register.c.decided_on))


async def count_objection(session: AsyncSession, case_id: str) -> str | None:
    registered = await _change(session, _COUNT_OBJECTION, {"b_case": case_id})
    return None if registered is None else registered.category


async def flag_close_relative(session: AsyncSession, case_id: str) -> str | None:
    registered = await _change(session, _update(None, ("close_relative",)),
                               {"b_case": case_id, "v_close_relative": True})
    return None if registered is None else registered.category


async def mark_reported(session: AsyncSession, case_id: str) -> None:
    await session.execute(update(register).where(register.c.case_id == case_id).values(reported=True))


_CATEGORY = select(register.c.category).where(register.c.case_id == bindparam("b_case"))
_CATEGORIES = select(register.c.case_id, register.c.category).where(
    register.c.case_id == any_(bindparam("ids", type_=ARRAY(String()))))


async def category_of(session: AsyncSession, case_id: str) -> str | None:
    rows = await direct_of(session).fetch(_CATEGORY, {"b_case": case_id})
    return rows[0][0] if rows else None


async def categories(session: AsyncSession, case_ids: list[str]) -> dict[str, str]:
    """The categories of those of ``case_ids`` in the register, in one statement."""
    return {r["case_id"]: r["category"] for r in await direct_of(session).fetch(_CATEGORIES, {"ids": sorted(set(case_ids))})}


async def listing(session: AsyncSession, *, jurisdiction: str | None, stage: str | None, limit: int) -> list[dict]:
    query = select(register).order_by(register.c.accepted_on.desc(), register.c.case_id).limit(limit)
    if jurisdiction:
        query = query.where(register.c.jurisdiction == jurisdiction)
    if stage:
        query = query.where(register.c.stage == stage)
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def one(session: AsyncSession, case_id: str) -> dict | None:
    row = (await session.execute(select(register).where(register.c.case_id == case_id))).first()
    return None if row is None else dict(row._mapping)
