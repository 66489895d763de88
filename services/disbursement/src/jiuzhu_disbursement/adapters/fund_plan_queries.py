"""The register's figures the fund plan projects from (domain/fund_plan.py): per jurisdiction and
category, what is in force in a month, and what the trend window saw."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_disbursement.adapters.amount_history import AMOUNT_IN_MONTH, AMOUNT_JOIN
from jiuzhu_disbursement.domain.fund_plan import MONTHLY, TEMPORARY, InForce, Trend

Key = tuple[str, str]
_MONTHLY = ", ".join(f"'{c}'" for c in MONTHLY)
_SCOPE = "AND (CAST(:jurisdiction AS text) IS NULL OR r.jurisdiction = :jurisdiction)"


async def in_force(s: AsyncSession, month: str, current: str, current_first_day, jurisdiction: str | None
                   ) -> dict[Key, InForce]:
    """Households paid in ``month`` as the roster pays them (amount in force > 0), with those approved
    since ``current`` began, those already raised for a standard after ``current``, and the ends
    known for ``current`` … the month before."""
    params = {"month": month, "current": current, "first": current_first_day, "jurisdiction": jurisdiction}
    rows = await s.execute(text(
        f"SELECT r.jurisdiction, r.category, count(*) AS households, sum(r.household_size) AS persons, "
        f"sum({AMOUNT_IN_MONTH}) AS amount, count(*) FILTER (WHERE r.approved_on >= :first) AS starts, "
        "coalesce(sum(r.household_size) FILTER (WHERE EXISTS (SELECT 1 FROM recipient_amounts ra "
        "WHERE ra.case_id = r.case_id AND ra.cause = 'standard_raise' AND ra.from_month > :current "
        "AND ra.from_month <= :month)), 0) AS raised "
        f"FROM recipients r {AMOUNT_JOIN} WHERE r.category IN ({_MONTHLY}) AND {AMOUNT_IN_MONTH} > 0 "
        f"AND r.from_month <= :month AND (r.until_month IS NULL OR r.until_month >= :month) {_SCOPE} "
        "GROUP BY r.jurisdiction, r.category"), params)
    out = {(r.jurisdiction, r.category): InForce(r.households, int(r.persons), int(r.amount), r.starts, 0,
                                                 int(r.raised)) for r in rows}
    ends = await s.execute(text(
        f"SELECT r.jurisdiction, r.category, count(*) AS n FROM recipients r WHERE r.category IN ({_MONTHLY}) "
        f"AND r.until_month >= :current AND r.until_month < :month {_SCOPE} GROUP BY r.jurisdiction, r.category"),
        params)
    for r in ends:
        known = out.get((r.jurisdiction, r.category), InForce())
        out[(r.jurisdiction, r.category)] = InForce(known.households, known.persons, known.amount_fen,
                                                    known.known_starts, r.n, known.raised_persons)
    return out


async def trend(s: AsyncSession, first: str, last: str, months: int, jurisdiction: str | None) -> dict[Key, Trend]:
    """The window ``first`` … ``last``: households approved (by the month decided; temporary
    assistance with its one-off amounts — the decisions' approved amounts, whatever pays them) and
    households whose last month paid fell in it."""
    params = {"first": first, "last": last, "jurisdiction": jurisdiction}
    approved = await s.execute(text(
        f"SELECT r.jurisdiction, r.category, count(*) AS n, sum(r.household_size) AS persons, "
        f"sum(r.amount_fen) AS amount FROM recipients r WHERE r.category IN ({_MONTHLY}, '{TEMPORARY}') "
        f"AND to_char(r.approved_on, 'YYYY-MM') BETWEEN :first AND :last {_SCOPE} "
        "GROUP BY r.jurisdiction, r.category"), params)
    out = {(r.jurisdiction, r.category): Trend(months, r.n, int(r.persons), int(r.amount)) for r in approved}
    exits = await s.execute(text(
        f"SELECT r.jurisdiction, r.category, count(*) AS n FROM recipients r WHERE r.category IN ({_MONTHLY}) "
        f"AND r.until_month BETWEEN :first AND :last {_SCOPE} GROUP BY r.jurisdiction, r.category"), params)
    for r in exits:
        t = out.get((r.jurisdiction, r.category), Trend(months))
        out[(r.jurisdiction, r.category)] = Trend(months, t.approvals, t.approved_persons, t.approved_amount_fen, r.n)
    return out
