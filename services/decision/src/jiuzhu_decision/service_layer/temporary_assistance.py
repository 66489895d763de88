"""Temporary assistance at the decision stage (issue 16 item 1): the assist-first decision (先行救助),
and the tranches every temporary approval carries to disbursement's one-off batches."""

from __future__ import annotations

import datetime as dt

from jiuzhu_contracts.base import ApprovingBody, Area, Category, Signer
from jiuzhu_contracts.events import CaseApproved
from jiuzhu_kernel.district_config import MissingStandard
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_decision.domain.assist_first import assist_first as decide_at_once
from jiuzhu_decision.domain.assist_first import ensure_may_assist_first
from jiuzhu_decision.domain.decision_case import DecisionCase, Person
from jiuzhu_decision.domain.authority import check_decider
from jiuzhu_decision.service_layer import commands as cmd
from jiuzhu_decision.service_layer.handlers import DecisionContext, filing
from jiuzhu_decision.service_layer.temporary_approval import approval_fields

FOLLOW_UP_RULE = ("L18 §2(二)2 先行救助后补齐审核审批手续: 入户调查、审核、公示在决定后{n}个工作日内完成 / the means check "
                  "and publicity are completed within {n} working days of the decision ([deadlines] assist_follow_up)")


def dibao_standard(ctx: DecisionContext, case: DecisionCase, on: dt.date) -> int:
    if case.area is None:
        raise DomainRefusal(f"case {case.case_id} has no recorded area: its band cannot be computed",
                            rule="L18 §2(三)", status=409)
    try:
        return ctx.config.standard(Category.DIBAO, Area(case.area), on.year, ctx.jurisdiction)
    except MissingStandard as exc:
        raise DomainRefusal(str(exc), rule="SPEC §4: standards are configuration; the operator must add it",
                            status=409, details={"add_to_district_file": exc.lines}) from None


async def assist_first(ctx: DecisionContext, c: cmd.AssistFirst) -> DecisionCase:
    today = ctx.clock.today()
    async with ctx.case(c.case_id, c.actor) as case:
        category = case.state.category
        ensure_may_assist_first(case.state)  # a dibao case is refused as such, before whose authority it is
        rule = check_decider(ctx.config, ctx.jurisdiction, category, today, caller_at_district=c.at_district)
        days = ctx.config.deadline("assist_follow_up", jurisdiction=ctx.jurisdiction, category=category)
        due = ctx.due("assist_follow_up", today, days, FOLLOW_UP_RULE.format(n=days))
        case.state = decided = decide_at_once(
            case.state, on=today, signer=Person(c.actor.id, c.actor.name), body=rule.body.value,
            amount_fen=c.amount_fen, tranches=c.tranches, reasons=c.reasons, large_amount_reason=c.large_amount_reason,
            standard_fen=dibao_standard(ctx, case.state, today), cfg=ctx.config.temporary, follow_up_due=due,
            separate_duties=ctx.config.separation_of_duties)
        await case.emit(CaseApproved(
            decided_on=today, category=category, amount_fen=decided.decision.amount_fen,
            household_size=decided.household_size, first_month_paid=decided.decision.first_month_paid,
            approving_body=ApprovingBody(rule.body), signer=Signer(id=c.actor.id, name=c.actor.name, role=c.actor.role),
            public_name=decided.applicant_name, committee=decided.committee, payment_account=decided.payment_account,
            **approval_fields(decided.grant)))
        await case.emit(filing(decided, today).model_copy(update={"assist_first": True}))
    return decided
