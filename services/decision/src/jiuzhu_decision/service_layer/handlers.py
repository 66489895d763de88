"""Decision handlers: follow the case through the other stages, take the signed decision, file it
with the district, and see the refusal notice delivered."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace

from ulid import ULID

from jiuzhu_contracts import Envelope
from jiuzhu_contracts.base import ApprovingBody, Category, Due, Role, Signer
from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events import (
    AuthorityGranted,
    CaseApproved,
    CaseFiled,
    CaseRefused,
    RefusalNoticeIssued,
    SupportEnded,
)
from jiuzhu_contracts.events.decision import FilingPerson
from jiuzhu_kernel.input_limits import date_problem, month_of, month_problem, refuse
from jiuzhu_runtime.stage_context import StageContext
from jiuzhu_runtime.unit_of_work import UnitOfWork

from jiuzhu_decision.domain.assist_first import ordinary_grant
from jiuzhu_decision.domain.authority import check_decider
from jiuzhu_decision.domain.decision_case import DecisionCase, Person, RefusalNotice, Review
from jiuzhu_decision.service_layer import commands as cmd
from jiuzhu_decision.service_layer.temporary_approval import approval_fields

INELIGIBLE_RULE = "乌尔禾区工作方案 五(三): 审核不符合条件的，{n}个工作日内作出不予批准决定"
NOTICE_RULE = "乌尔禾区工作方案 五(三): 不予批准的，{n}个工作日内书面通知居（村）民委员会"


@dataclass
class DecisionContext(StageContext):

    def due_for(self, clock: str, start: dt.date, name: str, category: Category, rule: str) -> Due:
        """The configured period ``name`` for this jurisdiction and category, from ``start``."""
        days = self.config.deadline(name, jurisdiction=self.jurisdiction, category=category)
        return self.due(clock, start, days, rule.format(n=days))


def _person(s: Signer) -> Person:
    return Person(s.id, s.name)


# --- following the case ------------------------------------------------------------------------

def event_handlers(ctx: DecisionContext) -> dict:
    def follow(change):
        """An event that changes the case: ``change(state, payload)`` is a domain method's call."""
        async def handler(env: Envelope, uow: UnitOfWork) -> None:
            async with ctx.case(env.case_id, uow=uow, caused_by=env) as case:
                case.state = change(case.state, env.payload)
        return handler

    async def accepted(env, uow):
        p = env.payload
        await ctx.store(uow).add(DecisionCase(
            case_id=env.case_id, category=p.category, committee=p.committee, applicant_name=p.applicant_name,
            household_size=len(p.members), accepted_on=p.accepted_on, materials=p.materials,
            member_id_numbers=tuple(m.id_number for m in p.members), payment_account=p.payment_account,
            area=p.area.value, temporary_kind=p.temporary_kind.value if p.temporary_kind else None,
            recused=frozenset(p.close_relative.staff_ids if p.close_relative else ())))

    def review(p) -> Review:
        return Review(p.round, p.signed_on, p.eligible, p.proposed_amount_fen, p.reasons, _person(p.reviewer),
                      tuple(map(_person, p.investigators)), monthly_income_fen=p.household_monthly_income_fen,
                      tekun_levels=tuple(t.level.value for t in p.tekun_persons) or None,
                      tranches=tuple((t.amount_fen, t.after_days) for t in p.tranches),
                      large_amount_reason=p.large_amount_reason)

    def ineligible_due(p) -> Due | None:
        return None if p.eligible else ctx.due_for("decision", p.signed_on, "decision", p.category, INELIGIBLE_RULE)

    withdrawn = follow(lambda c, p: c.withdrawn())
    return {
        "application_accepted": accepted,
        "home_visit_recorded": follow(lambda c, p: c.visited(p.visited_on, tuple(i.id for i in p.investigators))),
        "reinvestigation_completed": follow(lambda c, p: c.reinvestigated(tuple(i.id for i in p.investigators))),
        "review_signed": follow(lambda c, p: c.reviewed(review(p), ineligible_due(p))),
        "publicity_opened": follow(lambda c, p: c.publicity_opened()),
        "objection_raised": follow(lambda c, p: c.objection_raised()),
        "publicity_closed": follow(lambda c, p: c.publicity_closed(p.outcome, p.decision_due)),
        "close_relative_flagged": follow(lambda c, p: c.close_relative_flagged(p.close_relative.staff_ids)),
        "application_withdrawn": withdrawn,
        "application_deemed_withdrawn": withdrawn,
    }


# --- the decision ------------------------------------------------------------------------------

async def decide(ctx: DecisionContext, c: cmd.DecideCase) -> DecisionCase:
    today = ctx.clock.today()
    async with ctx.case(c.case_id, c.actor) as case:
        category = case.state.category
        rule = check_decider(ctx.config, ctx.jurisdiction, category, today, caller_at_district=c.at_district)
        notice = None
        if not c.approve:
            year_no = ULID().hex[-6:].upper()
            notice = RefusalNotice(f"BY-{c.case_id}-{year_no}",
                                   ctx.due_for("refusal_notice", today, "refusal_notice", category, NOTICE_RULE))
        case.state = decided = case.state.decide(c.approve, today, Person(c.actor.id, c.actor.name),
                                                 rule.body.value, c.reasons, notice,
                                                 separate_duties=ctx.config.separation_of_duties)
        sig = Signer(id=c.actor.id, name=c.actor.name, role=c.actor.role)
        body = ApprovingBody(rule.body)
        if c.approve and category == Category.TEMPORARY:
            # Paid through disbursement's one-off batches (issue 16 item 1): the review's tranches, dated
            # from today (one tranche today when it proposed none).
            case.state = decided = replace(decided, grant=ordinary_grant(decided, ctx.config.temporary))
            await case.emit(CaseApproved(
                decided_on=today, category=category, amount_fen=decided.decision.amount_fen,
                household_size=decided.household_size, first_month_paid=decided.decision.first_month_paid,
                approving_body=body, signer=sig, public_name=decided.applicant_name, committee=decided.committee,
                payment_account=decided.payment_account, **approval_fields(decided.grant)))
        elif c.approve:
            await case.emit(CaseApproved(
                decided_on=today, category=category, amount_fen=decided.decision.amount_fen,
                household_size=decided.household_size, first_month_paid=decided.decision.first_month_paid,
                approving_body=body, signer=sig, public_name=decided.applicant_name, committee=decided.committee,
                payment_account=decided.payment_account))
        else:
            await case.emit(CaseRefused(decided_on=today, category=category, reasons=c.reasons,
                                        approving_body=body, signer=sig,
                                        refusal_notice_due=decided.refusal_notice.due))
        await case.emit(filing(decided, today))
    return decided


def filing(case: DecisionCase, today: dt.date) -> CaseFiled:
    """备案: what the district's filing review needs (plan 五(四))."""
    people = [FilingPerson(id=p.id, name=p.name, duty="investigated") for p in (case.review.investigators
                                                                               if case.review else ())]
    if case.review:
        people.append(FilingPerson(id=case.review.reviewer.id, name=case.review.reviewer.name, duty="reviewed"))
    people.append(FilingPerson(id=case.decision.signer.id, name=case.decision.signer.name, duty="decided"))
    return CaseFiled(filed_on=today, outcome="approved" if case.decision.approved else "refused",
                     category=case.category, amount_fen=case.decision.amount_fen, people=tuple(people),
                     accepted_on=case.accepted_on, visited_on=case.visited_on,
                     reviewed_on=case.review.signed_on if case.review else None, decided_on=case.decision.decided_on,
                     materials=case.materials, close_relative=bool(case.recused),
                     close_relative_staff_ids=tuple(sorted(case.recused)), objections=case.objections,
                     member_id_numbers=case.member_id_numbers)


async def record_notice_delivery(ctx: DecisionContext, c: cmd.RecordRefusalNoticeDelivery) -> DecisionCase:
    async with ctx.case(c.case_id, c.actor) as case:
        # A delivery "on 9999-12-31" would lock the notice as delivered and let oversight count the
        # clock as met; not after the business day (+ tolerance), not before the acceptance.
        refuse([date_problem("delivered_on", c.delivered_on, today=ctx.clock.today(), limits=ctx.config.limits,
                             not_before=case.state.accepted_on)])
        case.state = delivered = case.state.deliver_refusal_notice(c.delivered_on, c.received_by)
        n = delivered.refusal_notice
        await case.emit(RefusalNoticeIssued(notice_no=n.notice_no, issued_on=delivered.decision.decided_on,
                                            committee=delivered.committee, delivered_on=c.delivered_on,
                                            received_by=c.received_by))
    return delivered


async def end_support(ctx: DecisionContext, c: cmd.EndSupport) -> None:
    today = ctx.clock.today()
    async with ctx.case(c.case_id, c.actor) as case:
        check_decider(ctx.config, ctx.jurisdiction, case.state.category, today, caller_at_district=c.at_district)
        # The last month paid is at the earliest the decision's month (support ended before the first
        # payment) and within the configured months around the business month.
        decided = month_of(case.state.decision.decided_on) if case.state.decision else None
        refuse([month_problem("last_month_paid", c.last_month_paid, today=today, limits=ctx.config.limits,
                              not_before=decided, not_before_zh="决定月份", not_before_en="the decision's month")])
        case.state = case.state.end_support(Person(c.actor.id, c.actor.name))
        await case.emit(SupportEnded(category=case.state.category, last_month_paid=c.last_month_paid,
                                     reasons=c.reasons, signer=Signer(id=c.actor.id, name=c.actor.name,
                                                                      role=c.actor.role)))


async def announce_authority(ctx: DecisionContext) -> None:
    """Publishes the configured hand-overs of this jurisdiction once (deterministic event ids)."""
    async with ctx.unit_of_work() as uow:
        for rule in ctx.config.authority:
            if rule.jurisdiction != ctx.jurisdiction:
                continue
            for category in ([rule.category] if rule.category else list(Category)):
                key = f"{rule.jurisdiction}|{category.value}|{rule.body.value}|{rule.effective_from}"
                event_id = str(ULID.from_bytes(hashlib.sha256(key.encode()).digest()[:16]))
                await uow.emit(ctx.wrap(AuthorityGranted(
                    granted_to_jurisdiction=rule.jurisdiction, category=category, body=rule.body,
                    effective_from=rule.effective_from, instrument=rule.instrument or "configuration"),
                    case_id=None, event_id=event_id, jurisdiction=ctx.jurisdiction,
                    actor=Actor(id="configuration", role=Role.SYSTEM, name="authority registry")), once=True)
