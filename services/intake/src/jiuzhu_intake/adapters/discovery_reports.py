"""How intake stores its active-discovery reports (the runtime's case store), and the worklist."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.case_store import CaseKind

from jiuzhu_intake.adapters.tables import discovery_reports
from jiuzhu_intake.domain.discovery import DiscoveryReport


def derived_columns(report: DiscoveryReport) -> dict[str, Any]:
    return {"committee": report.committee, "status": report.status.value, "reported_on": report.reported_on,
            "due_on": report.follow_up_due.due_on}


DISCOVERY_REPORTS = CaseKind(discovery_reports, DiscoveryReport, version=1, columns=derived_columns,
                             held="among this jurisdiction's discovery reports")


async def list_reports(session: AsyncSession, status: str | None, limit: int, offset: int) -> list[DiscoveryReport]:
    """The nearest due date first (then the oldest report)."""
    t = discovery_reports
    query = (select(t.c.state, t.c.state_version).order_by(t.c.due_on, t.c.reported_on, t.c.case_id)
             .limit(limit).offset(offset))
    if status:
        query = query.where(t.c.status == status)
    return [DISCOVERY_REPORTS.load(r.state, r.state_version) for r in (await session.execute(query)).all()]
