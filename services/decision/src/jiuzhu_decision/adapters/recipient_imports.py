"""The record of each 存量对象 import (who, when, which file, what it changed), and what the import
checks against: the people already on support here."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Column, DateTime, Identity, Integer, String, Table, Text, func, insert, select, text

from jiuzhu_decision.adapters.support_tables import supported_households
from jiuzhu_decision.adapters.tables import metadata
from jiuzhu_decision.domain.supported_household import SupportStatus

recipient_imports = Table(
    "recipient_imports", metadata,
    Column("import_no", BigInteger, Identity(), primary_key=True),
    Column("file_name", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False, index=True),
    Column("imported_by_id", Text, nullable=False),
    Column("imported_by_name", Text, nullable=False),
    Column("imported_by_role", Text, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("imported", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# One import at a time per jurisdiction (one database each): two clerks uploading overlapping files
# at once must not both find a person "not yet supported here" and both take them over.
IMPORT_LOCK = 0x6A7A_0015  # any constant; "jz", issue 15


async def lock_imports(session) -> None:
    """Held until the transaction ends."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})


async def supported_people(session) -> dict[str, str]:
    """ID number → the case of the household each person on support here belongs to."""
    t = supported_households
    rows = await session.execute(select(t.c.case_id, t.c.state["member_id_numbers"])
                                 .where(t.c.status != SupportStatus.ENDED.value))
    return {number: case_id for case_id, numbers in rows.all() for number in (numbers or ())}


async def record_import(session, *, file_name: str, file_sha256: str, actor, at: dt.datetime, rows: int,
                        imported: int, unchanged: int) -> int:
    return (await session.execute(insert(recipient_imports).values(
        file_name=file_name, file_sha256=file_sha256, imported_by_id=actor.id, imported_by_name=actor.name,
        imported_by_role=actor.role.value, imported_at=at, rows=rows, imported=imported, unchanged=unchanged)
        .returning(recipient_imports.c.import_no))).scalar_one()


async def imports(session, limit: int = 100) -> list[dict]:
    t = recipient_imports
    rows = await session.execute(select(t).order_by(t.c.import_no.desc()).limit(limit))
    return [dict(r._mapping) for r in rows.all()]
