"""The re-reviews' proposals awaiting the authority (定期核查, D21 art. 31–32) in the case store's
shape: one row per household and round (domain/re_review_outcome.py), keyed by ``case_id/round``,
from re_review_completed until the authority continues support, changes or ends it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Date, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.case_store import CaseKind, CaseStore, case_table

from jiuzhu_decision.adapters.tables import metadata
from jiuzhu_decision.domain.re_review_outcome import OutcomeStatus, ReReviewOutcome

# The case store's table, keyed by a number longer than a case id ("<case id>/<round>").
re_review_outcomes = case_table(
    "re_review_outcomes", metadata,
    Column("case_id", String(40), nullable=False),
    Column("round", Integer, nullable=False),
    Column("status", Text, nullable=False, index=True),  # pending | continued | acted
    Column("completed_on", Date, nullable=False),
    UniqueConstraint("case_id", "round", name="re_review_outcomes_case_id_round_key"),
    key="outcome_no", key_length=60,
)

t = re_review_outcomes.c


def derived_columns(o: ReReviewOutcome) -> dict[str, Any]:
    return {"case_id": o.case_id, "round": o.round, "status": o.status.value, "completed_on": o.completed_on}


# Version 1: the shape migration 0011 built from the columns a proposal was kept in before.
RE_REVIEW_OUTCOMES = CaseKind(re_review_outcomes, ReReviewOutcome, columns=derived_columns, key="outcome_no",
                              noun="re-review outcome", noun_zh="复核结果", held="here")


async def pending_of(session: AsyncSession, case_id: str) -> ReReviewOutcome | None:
    """The household's proposal awaiting the authority (its latest round), locked; None if none is
    pending (or it was resolved while this waited for its lock)."""
    number = (await session.execute(select(t.outcome_no).where(t.case_id == case_id, t.status == "pending")
                                    .order_by(t.round.desc()).limit(1))).scalar()
    if number is None:
        return None
    found = await CaseStore(RE_REVIEW_OUTCOMES, session).get(number)
    return found if found is not None and found.status == OutcomeStatus.PENDING else None


async def listing(session: AsyncSession, *, case_id: str | None = None, status: str | None = None,
                  limit: int = 1000) -> list[dict]:
    criteria = [c for c in ((t.case_id == case_id) if case_id else None, (t.status == status) if status else None)
                if c is not None]
    found = await CaseStore(RE_REVIEW_OUTCOMES, session).where(
        *criteria, order_by=(t.completed_on, t.case_id, t.round), limit=limit)
    return [o.listed() for o in found]
