"""Decision handlers: follow the case through the other stages, take the signed decision, file it
with the district, and see the refusal notice delivered."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

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
from jiuzhu_runtime.consumer import NotYet
from jiuzhu_kernel.input_limits import date_problem, month_of, month_problem, refuse
from jiuzhu_runtime.stage_context import StageContext
from jiuzhu_runtime.unit_of_work import UnitOfWork

from jiuzhu_decision.adapters.repository import DecisionRepository
from jiuzhu_decision.domain.authority import check_decider
from jiuzhu_decision.domain.decision_case import DecisionCase, Person, RefusalNotice, Review

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

async def _update(env: Envelope, uow: UnitOfWork, change) -> None:
    repo = DecisionRepository(uow.session)
    case = await repo.get(env.case_id)
    if case is None:
        raise NotYet(f"{env.event_type} for {env.case_id} before its application_accepted")
    await repo.save(change(case))


def event_handlers(ctx: DecisionContext) -> dict:
    from dataclasses import replace

    async def accepted(env, uow):
        p = env.payload
        await DecisionRepository(uow.session).add(DecisionCase(
            case_id=env.case_id, category=p.category, committee=p.committee, applicant_name=p.applicant_name,
            household_size=len(p.members), accepted_on=p.accepted_on, materials=p.materials,
            member_id_numbers=tuple(m.id_number for m in p.members), payment_account=p.payment_account,
            area=p.area.value,
            recused=frozenset(p.close_relative.staff_ids if p.close_relative else ())))

    async def visited(env, uow):
        p = env.payload
        await _update(env, uow, lambda c: c.visited(p.visited_on, tuple(i.id for i in p.investigators)))

    async def reinvestigated(env, uow):
        await _update(env, uow, lambda c: c.reinvestigated(tuple(i.id for i in env.payload.investigators)))

    async def reviewed(env, uow):
        p = env.payload
        review = Review(p.round, p.signed_on, p.eligible, p.proposed_amount_fen, p.reasons, _person(p.reviewer),
                        tuple(map(_person, p.investigators)))
        review = replace(review, monthly_income_fen=p.household_monthly_income_fen)
        due = None if p.eligible else ctx.due_for("decision", p.signed_on, "decision", p.category, INELIGIBLE_RULE)
        await _update(env, uow, lambda c: c.reviewed(review, due))

    async def publicity_opened(env, uow):
        await _update(env, uow, lambda c: replace(c, publicity="open"))

    async def objection(env, uow):
        await _update(env, uow, lambda c: replace(c, objections=c.objections + 1))

    async def publicity_closed(env, uow):
        await _update(env, uow, lambda c: c.publicity_closed(env.payload.outcome, env.payload.decision_due))

    async def close_relative_flagged(env, uow):
        await _update(env, uow, lambda c: c.close_relative_flagged(env.payload.close_relative.staff_ids))

    async def withdrawn(env, uow):
        await _update(env, uow, lambda c: replace(c, status="withdrawn") if c.status == "in_procedure" else c)

    return {"application_accepted": accepted, "home_visit_recorded": visited, "review_signed": reviewed,
            "reinvestigation_completed": reinvestigated,
            "publicity_opened": publicity_opened, "objection_raised": objection,
            "publicity_closed": publicity_closed, "application_withdrawn": withdrawn,
            "application_deemed_withdrawn": withdrawn, "close_relative_flagged": close_relative_flagged}


# --- the decision ------------------------------------------------------------------------------

async def decide(ctx: DecisionContext, case_id: str, *, approve: bool, reasons: tuple[str, ...], actor: Actor,
                 at_district: bool) -> DecisionCase:
    today = ctx.clock.today()
    async with ctx.unit_of_work() as uow:
        repo = DecisionRepository(uow.session)
        case = await repo.get_or_refuse(case_id)
        rule = check_decider(ctx.config, ctx.jurisdiction, case.category, today, caller_at_district=at_district)
        signer = Person(actor.id, actor.name)
        notice = None
        if not approve:
            year_no = ULID().hex[-6:].upper()
            notice = RefusalNotice(f"BY-{case_id}-{year_no}",
                                   ctx.due_for("refusal_notice", today, "refusal_notice", case.category, NOTICE_RULE))
        case = case.decide(approve, today, signer, rule.body.value, reasons, notice,
                           separate_duties=ctx.config.separation_of_duties)
        await repo.save(case)
        sig = Signer(id=actor.id, name=actor.name, role=actor.role)
        body = ApprovingBody(rule.body)
        if approve:
            await uow.emit(ctx.wrap(CaseApproved(
                decided_on=today, category=case.category, amount_fen=case.decision.amount_fen,
                household_size=case.household_size, first_month_paid=case.decision.first_month_paid,
                approving_body=body, signer=sig, public_name=case.applicant_name, committee=case.committee,
                payment_account=case.payment_account), case_id=case_id, actor=actor))
        else:
            await uow.emit(ctx.wrap(CaseRefused(decided_on=today, category=case.category, reasons=reasons,
                                                approving_body=body, signer=sig,
                                                refusal_notice_due=case.refusal_notice.due),
                                    case_id=case_id, actor=actor))
        await uow.emit(ctx.wrap(filing(case, today), case_id=case_id, actor=actor))
        return case


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


async def record_notice_delivery(ctx: DecisionContext, case_id: str, *, delivered_on: dt.date, received_by: str,
                                 actor: Actor) -> DecisionCase:
    async with ctx.unit_of_work() as uow:
        repo = DecisionRepository(uow.session)
        case = await repo.get_or_refuse(case_id)
        # A delivery "on 9999-12-31" would lock the notice as delivered and let oversight count the
        # clock as met; not after the business day (+ tolerance), not before the acceptance.
        refuse([date_problem("delivered_on", delivered_on, today=ctx.clock.today(), limits=ctx.config.limits,
                             not_before=case.accepted_on)])
        case = case.deliver_refusal_notice(delivered_on, received_by)
        await repo.save(case)
        n = case.refusal_notice
        await uow.emit(ctx.wrap(RefusalNoticeIssued(notice_no=n.notice_no, issued_on=case.decision.decided_on,
                                                    committee=case.committee, delivered_on=delivered_on,
                                                    received_by=received_by), case_id=case_id, actor=actor))
        return case


async def end_support(ctx: DecisionContext, case_id: str, *, last_month_paid: str, reasons: tuple[str, ...],
                      actor: Actor, at_district: bool) -> None:
    today = ctx.clock.today()
    async with ctx.unit_of_work() as uow:
        repo = DecisionRepository(uow.session)
        case = await repo.get_or_refuse(case_id)
        check_decider(ctx.config, ctx.jurisdiction, case.category, today, caller_at_district=at_district)
        # The last month paid is at the earliest the decision's month (support ended before the first
        # payment) and within the configured months around the business month.
        decided = month_of(case.decision.decided_on) if case.decision else None
        refuse([month_problem("last_month_paid", last_month_paid, today=today, limits=ctx.config.limits,
                              not_before=decided, not_before_zh="决定月份", not_before_en="the decision's month")])
        case = case.end_support(Person(actor.id, actor.name))
        await repo.save(case)
        await uow.emit(ctx.wrap(SupportEnded(category=case.category, last_month_paid=last_month_paid,
                                             reasons=reasons, signer=Signer(id=actor.id, name=actor.name,
                                                                            role=actor.role)),
                                case_id=case_id, actor=actor))


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
