"""How verification stores a household's re-reviews (the runtime's case store, its own table beside
the investigations), and the queries the store does not answer: the work list, the re-reviews that
fell due, and which household an economic-check request belongs to."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Date, Text, select
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.case_store import CaseKind, CaseStore, case_table

from jiuzhu_verification.adapters.tables import metadata
from jiuzhu_verification.domain.re_review import ReReview, ReReviewStatus

re_reviews = case_table(
    "re_reviews", metadata,
    Column("status", Text, nullable=False, index=True),
    Column("due_on", Date, index=True),  # the open re-review's due date, else the next scheduled one
    Column("committee", Text, nullable=False),
    Column("check_request_id", Text, unique=True),
)


def derived_columns(r: ReReview) -> dict:
    return {"status": r.status.value, "due_on": r.due_on, "committee": r.committee,
            "check_request_id": r.current.check_request_id if r.current else None}


RE_REVIEWS = CaseKind(re_reviews, ReReview, version=1, columns=derived_columns, held="re-reviewed here")

ACTIVE = (ReReviewStatus.SCHEDULED.value, ReReviewStatus.OPEN.value)


async def work_list(store: CaseStore[ReReview], *, due_before: dt.date | None, today: dt.date,
                    limit: int) -> list[ReReview]:
    """Re-reviews under way and those scheduled by ``due_before`` (without it: every one under way and
    those already due), the nearest date first."""
    t = re_reviews.c
    if due_before is None:
        criteria = [(t.status == ReReviewStatus.OPEN.value)
                    | ((t.status == ReReviewStatus.SCHEDULED.value) & (t.due_on <= today))]
    else:
        criteria = [t.status.in_(ACTIVE), t.due_on <= due_before]
    return await store.where(*criteria, order_by=(t.due_on.asc(), t.case_id), limit=limit)


async def fallen_due(store: CaseStore[ReReview], today: dt.date, limit: int = 200) -> list[ReReview]:
    """Scheduled re-reviews whose day has come, locked (another instance's ticker skips them)."""
    t = re_reviews.c
    return await store.where(t.status == ReReviewStatus.SCHEDULED.value, t.due_on <= today,
                             order_by=(t.due_on, t.case_id), limit=limit, lock=True)


async def household_for_request(session: AsyncSession, request_id: str) -> str | None:
    return (await session.execute(select(re_reviews.c.case_id)
                                  .where(re_reviews.c.check_request_id == request_id))).scalar()
