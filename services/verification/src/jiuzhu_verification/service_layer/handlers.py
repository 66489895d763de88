"""Command and event handlers of verification: open the case in the case store, let the domain
decide, and the store saves the new state and its events in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ulid import ULID

from jiuzhu_contracts import Envelope
from jiuzhu_contracts.base import Category, Due, Role, Signer
from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events import (
    ApplicationDeemedWithdrawn,
    DemocraticAppraisalHeld,
    EconomicCheckReported,
    EconomicCheckRequested,
    HomeVisitRecorded,
    HouseholdRecorded,
    ReinvestigationCompleted,
    ReinvestigationOpened,
    ReviewSigned,
)
from jiuzhu_contracts.events.temporary import ProposedTranche
from jiuzhu_kernel.district_config import MissingStandard
from jiuzhu_kernel.input_limits import amount_problem, birth_date_problem, date_problem, refuse
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.stage_context import StageContext
from jiuzhu_runtime.unit_of_work import UnitOfWork

from jiuzhu_verification.adapters.investigations import case_for_request
from jiuzhu_kernel import benefits
from jiuzhu_verification.domain import temporary_proposal
from jiuzhu_verification.domain.investigation import Household, Investigation, Person, Status, Visit
from jiuzhu_verification.service_layer import commands as cmd
from jiuzhu_verification.service_layer import tekun_persons

REVIEW_RULE = "乌尔禾区工作方案 五(二): 入户调查结束后{n}个工作日内审核并签署审核意见"
REINVESTIGATION_RULE = ("乌尔禾区工作方案 五(三): 公示有异议的，重新调查核实，{total}个工作日内作出审批决定；"
                        "拟批准的须重新公示{publicity}个工作日，再留{decision}个工作日作出决定")


@dataclass
class Verification(StageContext):

    def entered_date(self, field: str, value, inv: Investigation) -> dict | None:
        """A date staff enter for the case: not before its acceptance, not after the business day
        plus the configured tolerance."""
        return date_problem(field, value, today=self.clock.today(), limits=self.config.limits,
                            not_before=inv.accepted_on)

    def computed(self, inv: Investigation) -> benefits.BenefitResult:
        """The statute's result for this household on today's standard; for temporary assistance its
        reasons show the band the amount is chosen in (L18 §2(三))."""
        income, assets = inv.means()
        means = benefits.Means(inv.household.size, income, assets, inv.household.facts, inv.household.tekun_persons)
        try:
            result = benefits.assess(inv.category, inv.area, self.clock.today().year, self.jurisdiction, means,
                                     self.config)
            if inv.category == Category.TEMPORARY and result.eligible:
                result = replace(result, reasons=result.reasons + temporary_proposal.band_reasons(self.band(inv)))
            return result
        except MissingStandard as exc:
            raise DomainRefusal(str(exc), rule="SPEC §4: standards are configuration; the operator must add it",
                                status=409, details={"missing_standard": {
                                    "year": exc.year, "area": exc.area.value, "category": exc.category.value},
                                    "add_to_district_file": exc.lines}) from None


    def band(self, inv: Investigation):
        """临时救助: what one decision may grant this household (raises MissingStandard)."""
        standard = self.config.standard(Category.DIBAO, inv.area, self.clock.today().year, self.jurisdiction)
        return temporary_proposal.review_band(inv.temporary_kind, standard, inv.household.size, self.config.temporary)


def signer(person: Person, role: Role = Role.INVESTIGATOR) -> Signer:
    return Signer(id=person.id, name=person.name, role=role)


# --- commands from the HTTP API ----------------------------------------------------------------

async def record_home_visit(ctx: Verification, c: cmd.RecordHomeVisit) -> Due:
    async with ctx.case(c.case_id, c.actor) as case:
        refuse([ctx.entered_date("visited_on", c.visited_on, case.state)])
        me = Person(c.actor.id, c.actor.name)
        visit = Visit(c.visited_on, (me, c.partner), c.living_conditions, c.findings, c.household_signed)
        days = ctx.config.deadline("review", jurisdiction=ctx.jurisdiction, category=case.state.category)
        due = ctx.due("review", c.visited_on, days, REVIEW_RULE.format(n=days))
        case.state = case.state.record_visit(visit, due)
        await case.emit(HomeVisitRecorded(visited_on=c.visited_on, investigators=tuple(map(signer, visit.investigators)),
                                       living_conditions=c.living_conditions, findings=c.findings,
                                       household_signed=c.household_signed, review_due=due))
        return due


async def record_household(ctx: Verification, c: cmd.RecordHousehold) -> str:
    """Household data entry and, in the same step, the economic-status check (plan 五(二) 同步发起)."""
    async with ctx.case(c.case_id, c.actor) as case:
        refuse(household_problems(ctx, c))
        persons = tekun_persons.assess(c.tekun_persons, category=case.state.category,
                                       member_ids=[m.id_number for m in c.members], today=ctx.clock.today(),
                                       limits=ctx.config.limits, not_before=case.state.accepted_on)
        request_id = f"HD-{ULID()}"
        household = Household(size=len(c.members), monthly_income_fen=sum(i.monthly_fen for i in c.incomes),
                              countable_assets_fen=sum(a.value_fen for a in c.assets if not a.exempt),
                              facts=dict(c.facts), members=tuple(c.members),
                              income_kinds=tuple(sorted({i.kind for i in c.incomes})), tekun_persons=persons)
        case.state = case.state.record_household(household, request_id)
        await case.emit(HouseholdRecorded(members=c.members, incomes=c.incomes, assets=c.assets,
                                          category_facts=c.facts, tekun_persons=persons))
        await case.emit(EconomicCheckRequested(request_id=request_id,
                                            member_id_numbers=tuple(m.id_number for m in c.members),
                                            requested_on=ctx.clock.today()))
        return request_id


def household_problems(ctx: Verification, c: cmd.RecordHousehold) -> list[dict | None]:
    """Members' birth dates on the business day; each income and asset line, and their sums, within
    the district's limits."""
    limits, today = ctx.config.limits, ctx.clock.today()
    income_limit, asset_limit = limits.household_monthly_income_fen, limits.household_assets_fen
    problems = [birth_date_problem(f"members.{i}.id_number", m.id_number, today=today, limits=limits)
                for i, m in enumerate(c.members)]
    for i, line in enumerate(c.incomes):
        problems.append(amount_problem(f"incomes.{i}.monthly_fen", line.monthly_fen, limit=income_limit,
                                       name="household_monthly_income_fen", what_zh="月收入"))
        if line.member_id_number:
            problems.append(birth_date_problem(f"incomes.{i}.member_id_number", line.member_id_number, today=today,
                                               limits=limits))
    for i, line in enumerate(c.assets):
        problems.append(amount_problem(f"assets.{i}.value_fen", line.value_fen, limit=asset_limit,
                                       name="household_assets_fen", what_zh="财产"))
    if not any(problems):
        problems.append(amount_problem("incomes", sum(i.monthly_fen for i in c.incomes), limit=income_limit,
                                       name="household_monthly_income_fen", what_zh="家庭月收入合计"))
        problems.append(amount_problem("assets", sum(a.value_fen for a in c.assets), limit=asset_limit,
                                       name="household_assets_fen", what_zh="家庭财产合计"))
    return problems


async def receive_check_report(ctx: Verification, c: cmd.ReceiveCheckReport) -> str:
    async with ctx.unit_of_work() as uow:
        case_id = await case_for_request(uow.session, c.report.request_id)
    if case_id is None:
        raise DomainRefusal(f"no open economic-check request {c.report.request_id} here", rule="exists",
                            status=404, field="request_id")
    async with ctx.case(case_id, c.actor) as case:
        if case.state.already_reported(c.report):
            return case_id  # a repeat: changes nothing, emits nothing
        limits, r = ctx.config.limits, c.report
        refuse([ctx.entered_date("reported_on", r.reported_on, case.state),
                amount_problem("monthly_income_fen", r.monthly_income_fen, limit=limits.household_monthly_income_fen,
                               name="household_monthly_income_fen", what_zh="家庭月收入"),
                amount_problem("countable_assets_fen", r.countable_assets_fen, limit=limits.household_assets_fen,
                               name="household_assets_fen", what_zh="应计财产")])
        case.state = case.state.record_check_report(c.report)
        await case.emit(EconomicCheckReported(request_id=r.request_id, report_no=r.report_no, reported_on=r.reported_on,
                                           monthly_income_fen=r.monthly_income_fen,
                                           countable_assets_fen=r.countable_assets_fen, findings=r.findings))
        return case_id


async def mark_disputed(ctx: Verification, c: cmd.MarkDisputed) -> None:
    async with ctx.case(c.case_id, c.actor) as case:
        case.state = case.state.mark_disputed()


async def record_appraisal(ctx: Verification, c: cmd.RecordAppraisal) -> None:
    async with ctx.case(c.case_id, c.actor) as case:
        refuse([ctx.entered_date("held_on", c.appraisal.held_on, case.state)])
        case.state = case.state.record_appraisal(c.appraisal)
        a = c.appraisal
        await case.emit(DemocraticAppraisalHeld(held_on=a.held_on, participants=a.participants, result=a.result,
                                             minutes=a.minutes))


async def record_refusal_to_cooperate(ctx: Verification, c: cmd.RecordRefusalToCooperate) -> None:
    async with ctx.case(c.case_id, c.actor) as case:
        case.state = case.state.deem_withdrawn()
        await case.emit(ApplicationDeemedWithdrawn(recorded_on=ctx.clock.today(), circumstances=c.circumstances))


async def preview(ctx: Verification, case_id: str, actor: Actor) -> tuple[Investigation, benefits.BenefitResult]:
    async with ctx.case(case_id, actor) as case:
        case.state.ensure_reviewable(actor.id)
        return case.state, ctx.computed(case.state)


async def sign_review(ctx: Verification, c: cmd.SignReview) -> ReviewSigned:
    async with ctx.case(c.case_id, c.actor) as case:
        refuse([amount_problem("proposed_amount_fen", c.opinion.amount_fen,
                               limit=ctx.config.limits.amount_per_month_fen, name="amount_per_month_fen",
                               what_zh="拟保障金额")])
        case.state.ensure_reviewable(c.actor.id)
        computed = ctx.computed(case.state)
        opinion = c.opinion
        if case.state.category == Category.TEMPORARY:  # amount by need, tranches (L18 §2(三)–(四))
            opinion = temporary_proposal.checked(opinion, ctx.band(case.state), ctx.config.temporary)
        elif opinion.tranches or opinion.large_amount_reason:
            raise DomainRefusal("only a temporary-assistance review proposes tranches or a large-amount reason",
                                rule=temporary_proposal.TRANCHE_RULE, status=422, field="tranches")
        today = ctx.clock.today()
        case.state = inv = case.state.sign_review(c.actor.id, opinion, computed.eligible, computed.amount_fen,
                                                  today)
        income, _ = inv.means()
        event = ReviewSigned(
            round=inv.review_round, signed_on=today, category=inv.category, eligible=c.opinion.eligible,
            computed_eligible=computed.eligible, household_size=inv.household.size,
            household_monthly_income_fen=income, computed_amount_fen=computed.amount_fen,
            proposed_amount_fen=c.opinion.amount_fen, reasons=c.opinion.reasons or computed.reasons,
            override_reason=c.opinion.override_reason,
            investigators=tuple(map(signer, inv.investigators)),
            reviewer=Signer(id=c.actor.id, name=c.actor.name, role=Role.REVIEWER),
            applicant_name=inv.applicant_name, committee=inv.committee,
            tekun_persons=inv.household.tekun_persons,
            tranches=tuple(ProposedTranche(amount_fen=a, after_days=d) for a, d in opinion.tranches),
            large_amount_reason=opinion.large_amount_reason)
        await case.emit(event)
        return event


async def complete_reinvestigation(ctx: Verification, c: cmd.CompleteReinvestigation) -> None:
    async with ctx.case(c.case_id, c.actor) as case:
        team = (Person(c.actor.id, c.actor.name), c.partner)
        case.state = case.state.complete_reinvestigation(ctx.clock.today(), c.objection_upheld, team)
        await case.emit(ReinvestigationCompleted(completed_on=ctx.clock.today(), objection_upheld=c.objection_upheld,
                                              findings=c.findings, investigators=tuple(map(signer, team))))


# --- events from the bus -----------------------------------------------------------------------

async def on_application_accepted(ctx: Verification, env: Envelope, uow: UnitOfWork) -> None:
    """Opens the investigation task, due as the accepted event says (10 working days in Urho)."""
    p = env.payload
    await ctx.store(uow).add(Investigation.opened(
        case_id=env.case_id, category=p.category, area=p.area, committee=p.committee,
        applicant_name=p.applicant_name, accepted_on=p.accepted_on,
        member_id_numbers=tuple(m.id_number for m in p.members),
        recused=frozenset(p.close_relative.staff_ids if p.close_relative else ()),
        investigation_due=p.investigation_due, temporary_kind=p.temporary_kind.value if p.temporary_kind else None))


async def on_application_withdrawn(ctx: Verification, env: Envelope, uow: UnitOfWork) -> None:
    async with ctx.case(env.case_id, uow=uow, caused_by=env) as case:
        case.state = case.state.withdrawn()


async def on_case_decided(ctx: Verification, env: Envelope, uow: UnitOfWork) -> None:
    """The decision ends the investigation — except 先行救助's (L18 §2(二)2; issue 16 item 1): decided
    first, its means check (and then publicity) is completed afterwards, so the task stays open."""
    if getattr(env.payload, "assist_first", False) and env.payload.follow_up == "complete_afterwards":
        return
    async with ctx.case(env.case_id, uow=uow, caused_by=env) as case:
        case.state = case.state.decided()


async def on_close_relative_flagged(ctx: Verification, env: Envelope, uow: UnitOfWork) -> None:
    """A close relative registered after acceptance: the staff member recuses from here on, in any status."""
    async with ctx.case(env.case_id, uow=uow, caused_by=env) as case:
        case.state = case.state.close_relative_flagged(env.payload.close_relative.staff_ids)


async def on_publicity_closed(ctx: Verification, env: Envelope, uow: UnitOfWork) -> None:
    """An objection during publicity sends the case back for re-investigation (plan 五(三))."""
    if env.payload.outcome != "objected":
        return
    async with ctx.case(env.case_id, uow=uow, caused_by=env) as case:
        if case.state.status != Status.REVIEWED:
            return
        # 对拟批准的申请重新公示: a proposed approval is posted again before the decision, and all of it
        # must fit in the 15 working days, so the re-investigation gets what is left.
        days = {name: ctx.config.deadline(name, jurisdiction=ctx.jurisdiction, category=case.state.category)
                for name in ("decision_after_objection", "publicity", "decision")}
        window = max(1, days["decision_after_objection"] - days["publicity"] - days["decision"])
        due = ctx.due("reinvestigation", env.payload.closed_on, window,
                      REINVESTIGATION_RULE.format(total=days["decision_after_objection"],
                                                  publicity=days["publicity"], decision=days["decision"]))
        case.state = case.state.open_reinvestigation(env.payload.closed_on, env.payload.objection_ids, due)
        await case.emit(ReinvestigationOpened(opened_on=env.payload.closed_on,
                                              objection_ids=env.payload.objection_ids, due=due))


def event_handlers(ctx: Verification) -> dict:
    async def accepted(env, uow):
        await on_application_accepted(ctx, env, uow)

    async def publicity_closed(env, uow):
        await on_publicity_closed(ctx, env, uow)

    async def withdrawn(env, uow):
        await on_application_withdrawn(ctx, env, uow)

    async def decided(env, uow):
        await on_case_decided(ctx, env, uow)

    async def close_relative_flagged(env, uow):
        await on_close_relative_flagged(ctx, env, uow)

    return {"application_accepted": accepted, "publicity_closed": publicity_closed,
            "application_withdrawn": withdrawn, "case_approved": decided, "case_refused": decided,
            "close_relative_flagged": close_relative_flagged}
