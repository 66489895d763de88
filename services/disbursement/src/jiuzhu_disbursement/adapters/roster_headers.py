"""How disbursement stores a roster's header (the runtime's case store, keyed by the roster's id),
and the queries over the columns derived from it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.case_store import CaseKind, CaseStore

from jiuzhu_disbursement.adapters.tables import rosters
from jiuzhu_disbursement.domain.roster_header import RosterHeader


def derived_columns(header: RosterHeader) -> dict[str, Any]:
    return {"scope": header.scope, "month": header.month, "version": header.version, "status": header.status.value}


# Version 1: the shape migration 0009 built from the columns a roster was kept in before.
ROSTERS = CaseKind(rosters, RosterHeader, columns=derived_columns, key="roster_id", noun="roster", noun_zh="花名册", held="here")


async def get(session: AsyncSession, roster_id: str) -> RosterHeader | None:
    """A roster read, not locked (to show or export it)."""
    return await CaseStore(ROSTERS, session).get(roster_id, lock=False)


async def latest(session: AsyncSession, scope: str, month: str) -> RosterHeader | None:
    """The newest version of a scope's roster for the month (the caller holds the month's lock)."""
    found = await CaseStore(ROSTERS, session).where(rosters.c.scope == scope, rosters.c.month == month,
                                                     order_by=(rosters.c.version.desc(),), limit=1)
    return found[0] if found else None


async def of_month(session: AsyncSession, month: str) -> list[RosterHeader]:
    return await CaseStore(ROSTERS, session).where(rosters.c.month == month,
                                                   order_by=(rosters.c.scope, rosters.c.version))
