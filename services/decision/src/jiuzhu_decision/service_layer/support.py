"""The supported households of this jurisdiction (the standing caseload, issue 15): each approval
made here puts its household on support; the lists and the household read by staff."""

from __future__ import annotations

from dataclasses import dataclass

from jiuzhu_contracts.base import Area
from jiuzhu_runtime.case_store import CaseStore, UnknownCase
from jiuzhu_runtime.consumer import NotYet
from jiuzhu_runtime.stage_context import StageContext

from jiuzhu_decision.adapters.support_tables import supported_households
from jiuzhu_decision.adapters.cases import DECISION_CASES
from jiuzhu_decision.domain.supported_household import AmountFrom, SupportedHousehold, SupportStatus


@dataclass
class SupportContext(StageContext):
    """The decision service's context for its supported households (``cases``: SUPPORTED_HOUSEHOLDS)."""


def event_handlers(ctx: SupportContext) -> dict:

    async def approved(env, uow):
        """An approval made here (this service's own event): the household is on support from the
        first month paid, with the approved amount, its members, area and the income counted."""
        p = env.payload
        procedure = await CaseStore(DECISION_CASES, uow.session).get(env.case_id, lock=False)
        if procedure is None:
            raise NotYet(f"case_approved for {env.case_id} before its case is here")
        await ctx.store(uow).add(SupportedHousehold(
            case_id=env.case_id, category=p.category, area=Area(procedure.area) if procedure.area else None, committee=p.committee,
            public_name=p.public_name, household_size=p.household_size,
            member_id_numbers=procedure.member_id_numbers, payment_account=p.payment_account,
            approved_on=p.decided_on, amounts=(AmountFrom(p.first_month_paid, p.amount_fen),),
            recused=procedure.recused,
            monthly_income_fen=procedure.review.monthly_income_fen if procedure.review else None,
            tekun_levels=procedure.review.tekun_levels if procedure.review else None))

    async def ended(env, uow):
        """Support ended through the procedure's end-support (the decision case): the household too."""
        async with ctx.case(env.case_id, uow=uow, caused_by=env) as case:
            if case.state.status is not SupportStatus.ENDED:
                case.state = case.state.ended(env.payload.last_month_paid, env.payload.notice_no)

    return {"case_approved": approved, "support_ended": ended}


async def households(ctx: SupportContext, *, status: SupportStatus | None, committee: str | None,
                     limit: int) -> list[SupportedHousehold]:
    t = supported_households
    criteria = [t.c.status == status.value] if status else []
    if committee:
        criteria.append(t.c.committee == committee)
    async with ctx.unit_of_work() as uow:
        return await ctx.store(uow).where(*criteria, order_by=(t.c.committee, t.c.case_id), limit=limit)


async def household(ctx: SupportContext, case_id: str) -> SupportedHousehold:
    async with ctx.unit_of_work() as uow:
        found = await ctx.store(uow).get(case_id, lock=False)
    if found is None:
        raise UnknownCase(case_id, "on support here")
    return found
