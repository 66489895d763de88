from __future__ import annotations

from pydantic import TypeAdapter
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_decision.adapters.tables import decision_cases
from jiuzhu_decision.domain.decision_case import DecisionCase

STATE = TypeAdapter(DecisionCase)


class DecisionRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, case: DecisionCase) -> None:
        await self.session.execute(pg_insert(decision_cases).values(
            case_id=case.case_id, state=STATE.dump_python(case, mode="json"), status=case.status)
            .on_conflict_do_nothing())

    async def get(self, case_id: str) -> DecisionCase | None:
        row = (await self.session.execute(select(decision_cases.c.state).where(decision_cases.c.case_id == case_id)
                                          .with_for_update())).first()
        return STATE.validate_python(row.state) if row else None

    async def get_or_refuse(self, case_id: str) -> DecisionCase:
        """The case, locked for this transaction; a 404 naming it when this decision service has none."""
        case = await self.get(case_id)
        if case is None:
            raise DomainRefusal(f"no case {case_id} here", rule="exists", status=404)
        return case

    async def save(self, case: DecisionCase) -> None:
        await self.session.execute(update(decision_cases).where(decision_cases.c.case_id == case.case_id).values(
            state=STATE.dump_python(case, mode="json"), status=case.status,
            decision_due=case.decision_due.due_on if case.decision_due and case.status == "in_procedure" else None,
            updated_at=func.now()))

    async def pending(self, limit: int):
        rows = (await self.session.execute(
            select(decision_cases.c.state).where(decision_cases.c.status == "in_procedure")
            .order_by(decision_cases.c.decision_due.asc().nulls_last(), decision_cases.c.case_id)
            .limit(limit))).all()
        return [STATE.validate_python(r.state) for r in rows]
