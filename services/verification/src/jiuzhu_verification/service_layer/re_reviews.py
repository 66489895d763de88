"""The periodic re-review (定期核查, D21 art. 31; N22 §1.3): every supported household of this
jurisdiction gets a schedule when it goes on support; the business clock opens a re-review when it
falls due, staff open one on a reported change, a death, a spot-check finding or a petition; it is
investigated with a new case's steps (home visit, household data and economic check, review) and
the reviewer's proposal goes to the authority as ``re_review_completed``.

The household's row is the case store's (adapters/re_reviews.py ``RE_REVIEWS``), opened here with
the same ``Verification`` context as the investigations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ulid import ULID

from jiuzhu_contracts import Envelope
from jiuzhu_contracts.base import Area, Category, Due, Role, Signer
from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events import EconomicCheckReported, EconomicCheckRequested, ReReviewCompleted, ReReviewOpened
from jiuzhu_contracts.events.intake import Member
from jiuzhu_contracts.events.re_review import HouseholdProfile, ReReviewCause
from jiuzhu_kernel import tekun
from jiuzhu_kernel.district_config import MissingStandard
from jiuzhu_kernel.input_limits import amount_problem, date_problem, refuse
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_kernel.working_days import make_due
from jiuzhu_runtime.case_store import CaseStore, UnknownCase, open_case
from jiuzhu_runtime.unit_of_work import UnitOfWork

from jiuzhu_verification.adapters.investigations import INVESTIGATIONS
from jiuzhu_verification.adapters.re_reviews import RE_REVIEWS, fallen_due, household_for_request, work_list
from jiuzhu_kernel import benefits
from jiuzhu_verification.domain import re_review_schedule as schedule
from jiuzhu_verification.domain.investigation import CheckReport, Household, Person, Visit
from jiuzhu_verification.domain.re_review import Proposal, ReReview, ReReviewStatus, Round
from jiuzhu_verification.service_layer import commands as cmd
from jiuzhu_verification.service_layer import handlers, tekun_persons
from jiuzhu_verification.service_layer.handlers import Verification, signer

RE_REVIEW_RULE = ("定期核查完成时限：乌尔禾区工作方案未作规定，按新申请相同步骤的时限"
                  "（五(二)：入户调查及审核）{n}个工作日内完成")
SELF_CARE_ONLY_TEKUN_RULE = "T21 art. 23: a self-care re-assessment is for a tekun household"
STAFF_CAUSE_RULE = "D21 art. 31: a periodic re-review is opened by the schedule, not by hand"
DEATH_DATE_RULE = "N22 §1.3: a re-review after a death runs from the date of death (occurred_on)"


@dataclass(frozen=True)
class OpenReReview:
    case_id: str
    cause: ReReviewCause
    reasons: tuple[str, ...]
    occurred_on: dt.date | None
    actor: Actor


@dataclass(frozen=True)
class CompleteReReview:
    case_id: str
    proposal: Proposal
    actor: Actor


def store(uow: UnitOfWork) -> CaseStore[ReReview]:
    return CaseStore(RE_REVIEWS, uow.session)


def household_case(ctx: Verification, case_id: str, actor: Actor):
    return open_case(ctx, RE_REVIEWS, case_id, actor)


# --- the schedule --------------------------------------------------------------------------------

def first_date(ctx: Verification, profile: HouseholdProfile, since: dt.date, today: dt.date) -> dt.date:
    """The first periodic re-review on the household's cycle (``since`` + n intervals) after ``today``:
    one interval after an approval made today; for a household imported with an old approval date,
    its next anniversary, so that the whole imported caseload does not fall due on the first day."""
    months = schedule.interval_months(profile, ctx.config.re_review)
    n = 1
    while (day := schedule.add_months(since, n * months)) <= today:
        n += 1
    return day


async def put_on_schedule(ctx: Verification, uow: UnitOfWork, *, case_id: str, category, area: Area, committee: str,
                          public_name: str, since: dt.date, today: dt.date, members: tuple[Member, ...],
                          income_kinds: tuple[str, ...], facts: dict[str, str], recused: frozenset[str]) -> None:
    rules = ctx.config.re_review
    if category not in rules.categories:
        return
    profile = schedule.profile(category, members, income_kinds, facts, today, rules)
    await store(uow).add(ReReview.scheduled(
        case_id=case_id, category=category, area=area, committee=committee, public_name=public_name,
        supported_since=since, profile=profile, next_on=first_date(ctx, profile, since, today), recused=recused))


async def on_case_approved(ctx: Verification, env: Envelope, uow: UnitOfWork) -> None:
    """An approval here: the household as the investigation found it sets the interval (D21 art. 31)."""
    p = env.payload
    inv = await CaseStore(INVESTIGATIONS, uow.session).get(env.case_id, lock=False)
    household = inv.household if inv else None
    await put_on_schedule(
        ctx, uow, case_id=env.case_id, category=p.category, area=inv.area if inv else Area.URBAN,
        committee=p.committee, public_name=p.public_name, since=p.decided_on, today=p.decided_on,
        # Without the investigation's record of the members (an older state), presume the shorter interval.
        members=household.members if household else (),
        income_kinds=household.income_kinds if household else (),
        facts=household.facts if household and household.members else {"irregular_income": "yes"},
        recused=inv.recused if inv else frozenset())


async def on_recipient_migrated(ctx: Verification, env: Envelope, uow: UnitOfWork) -> None:
    """存量对象: its members set the interval, counted from the old system's approval date."""
    p = env.payload
    await put_on_schedule(ctx, uow, case_id=env.case_id, category=p.category, area=p.area, committee=p.committee,
                          public_name=p.public_name, since=p.approved_on,
                          today=env.occurred_at.astimezone(ZoneInfo(ctx.config.district.timezone)).date(),
                          members=p.members, income_kinds=(), facts={}, recused=frozenset())


async def on_support_ended(ctx: Verification, env: Envelope, uow: UnitOfWork) -> None:
    r = store(uow)
    household = await r.get(env.case_id)
    if household is not None and household.status is not ReReviewStatus.LAPSED:
        await r.save(household.lapsed())


async def on_close_relative_flagged(ctx: Verification, env: Envelope, uow: UnitOfWork) -> None:
    r = store(uow)
    household = await r.get(env.case_id)
    if household is not None:
        await r.save(household.close_relative_flagged(env.payload.close_relative.staff_ids))


async def on_household_changed(ctx: Verification, env: Envelope, uow: UnitOfWork) -> None:
    """A member's death (recorded by the window as a household change) opens the household's
    re-review at once, due within three months of the death (N22 §1.3) — dated by the event, not
    by when it is applied. One already under way covers it; a household no longer on support has none."""
    if env.payload.condition_changes:
        await reassess_on_reported_change(ctx, env, uow)
    deaths = [m for m in env.payload.members_removed if m.cause == "death"]
    if not deaths:
        return
    households = store(uow)
    household = await households.get(env.case_id)
    if household is None or household.status is not ReReviewStatus.SCHEDULED:
        return
    day = env.occurred_at.astimezone(ZoneInfo(ctx.config.district.timezone)).date()
    died_on = min(m.since for m in deaths)
    due = completion_due(ctx, household, day)
    limit = schedule.death_limit(died_on, ctx.config.re_review)
    if limit < due.due_on:  # recorded late: N22 §1.3's three months come first
        due = make_due(ctx.calendar, "re_review", day, ctx.calendar.between(day, max(limit, day)), schedule.DEATH_RULE)
    names = "、".join(m.name for m in deaths)
    household = household.open(cause=ReReviewCause.DEATH, opened_on=day, due_on=due.due_on, occurred_on=died_on,
                               reasons=(f"家庭成员{names}于{died_on}死亡，3个月内复核（N22 §1.3）",))
    await households.save(household)
    await uow.emit(ctx.wrap(opened_event(household, household.current, due), case_id=household.case_id,
                            caused_by=env))


async def reassess_on_reported_change(ctx: Verification, env: Envelope, uow: UnitOfWork) -> None:
    """特困: a household change reporting a tekun person's changed condition opens the self-care
    re-assessment at once, due within 10 days of the report (T21 art. 23) — dated by the event. One
    already under way covers it (its steps re-assess the person); a household no longer on support has none."""
    households = store(uow)
    household = await households.get(env.case_id)
    if household is None or household.status is not ReReviewStatus.SCHEDULED or household.category != Category.TEKUN:
        return
    day = env.occurred_at.astimezone(ZoneInfo(ctx.config.district.timezone)).date()
    due = reassessment_due(ctx, household, day)
    changes = env.payload.condition_changes
    household = household.open(
        cause=ReReviewCause.SELF_CARE_CHANGE, opened_on=day, due_on=due.due_on,
        occurred_on=min(c.noticed_on for c in changes),
        reasons=tuple(f"{c.name}身体状况变化：{c.description}，{ctx.config.tekun.reassessment_days}日内重新评估"
                      f"生活自理能力（T21第23条）" for c in changes))
    await households.save(household)
    await uow.emit(ctx.wrap(opened_event(household, household.current, due), case_id=household.case_id,
                            caused_by=env))


async def on_petition_answered(ctx: Verification, env: Envelope, uow: UnitOfWork) -> None:
    """举报属实 (issue 16 item 6): the jurisdiction answered a report about one of its supported
    households as substantiated — oversight sends the case with the answer — and the household's
    re-review opens at once (cause: petition), dated by the answer. One already under way covers it;
    a household no longer on support has none (oversight refuses such an answer before it is sent)."""
    p = env.payload
    if not p.re_review_requested or not p.concerning_case:
        return
    households = store(uow)
    household = await households.get(p.concerning_case)
    if household is None or household.status is not ReReviewStatus.SCHEDULED:
        return
    day = env.occurred_at.astimezone(ZoneInfo(ctx.config.district.timezone)).date()
    due = completion_due(ctx, household, day)
    household = household.open(cause=ReReviewCause.PETITION, opened_on=day, due_on=due.due_on,
                               reasons=(f"信访件{p.petition_no}经核实举报属实，启动复核（D21 art. 31；"
                                        "乌尔禾区工作方案 六(三)）",))
    await households.save(household)
    await uow.emit(ctx.wrap(opened_event(household, household.current, due), case_id=household.case_id,
                            caused_by=env))


def event_handlers(ctx: Verification, investigation_handlers: dict) -> dict:
    """Verification's handlers of these event types, each followed by the re-review's."""

    def then(event_type: str, mine):
        before = investigation_handlers.get(event_type)

        async def handle(env, uow):
            if before is not None:
                await before(env, uow)
            await mine(ctx, env, uow)
        return handle

    return {t: then(t, h) for t, h in (("case_approved", on_case_approved),
                                       ("recipient_migrated", on_recipient_migrated),
                                       ("support_ended", on_support_ended),
                                       ("household_changed", on_household_changed),
                                       ("close_relative_flagged", on_close_relative_flagged),
                                       ("petition_answered", on_petition_answered))}


# --- opening ---------------------------------------------------------------------------------------

def reassessment_due(ctx: Verification, household: ReReview, reported_on: dt.date) -> Due:
    """T21 art. 23: a tekun person whose condition changed is re-assessed within 10 days of the report
    (calendar days; the due date is the last working day on or before the tenth)."""
    if household.category != Category.TEKUN:
        raise DomainRefusal(f"household {household.case_id} is {household.category.value}, not tekun",
                            rule=SELF_CARE_ONLY_TEKUN_RULE, status=422, field="cause")
    limit = tekun.reassessment_due(reported_on, ctx.config)
    days = ctx.config.tekun.reassessment_days
    return make_due(ctx.calendar, "re_review", reported_on, ctx.calendar.between(reported_on, limit),
                    tekun.REASSESSMENT_RULE.format(n=days) + f"（特困人员生活自理能力变化，{days}日内重新评估）")


def completion_due(ctx: Verification, household: ReReview, today: dt.date) -> Due:
    days = ctx.config.deadline("re_review", jurisdiction=ctx.jurisdiction, category=household.category)
    return ctx.due("re_review", today, days, RE_REVIEW_RULE.format(n=days))


async def open_fallen_due(ctx: Verification, now: dt.datetime) -> int:
    """Every scheduled re-review whose day has come on the business clock is opened (runs on every
    tick; idempotent by the household's status)."""
    today, opened = now.date(), 0
    async with ctx.unit_of_work() as uow:
        households = store(uow)
        for household in await fallen_due(households, today):
            due = completion_due(ctx, household, today)
            reason = schedule.SCHEDULE_RULE[household.profile]
            scheduled_on = household.next_on
            household = household.open(cause=ReReviewCause.PERIODIC, opened_on=today, due_on=due.due_on,
                                       reasons=(reason,))
            await households.save(household)
            await uow.emit(ctx.wrap(opened_event(household, household.current, due, scheduled_on),
                                    case_id=household.case_id))
            opened += 1
    return opened


def opened_event(household: ReReview, r: Round, due: Due, scheduled_on: dt.date | None = None) -> ReReviewOpened:
    return ReReviewOpened(round=r.round, opened_on=r.opened_on, cause=r.cause, category=household.category,
                          committee=household.committee, scheduled_on=scheduled_on, occurred_on=r.occurred_on,
                          reasons=r.reasons, due=due)


async def open_re_review(ctx: Verification, c: OpenReReview) -> ReReviewOpened:
    """Staff open a re-review on a reported change, a death, a spot-check finding or a petition."""
    if c.cause is ReReviewCause.PERIODIC:
        raise DomainRefusal("周期性核查由系统按计划开启 / a periodic re-review is opened by the schedule",
                            rule=STAFF_CAUSE_RULE, status=422, field="cause")
    if c.cause is ReReviewCause.DEATH and c.occurred_on is None:
        raise DomainRefusal("请填写死亡日期 / the date of death is required", rule=DEATH_DATE_RULE, status=422,
                            field="occurred_on")
    today = ctx.clock.today()
    async with household_case(ctx, c.case_id, c.actor) as case:
        if c.occurred_on is not None:
            refuse([date_problem("occurred_on", c.occurred_on, today=today, limits=ctx.config.limits)])
        due = completion_due(ctx, case.state, today)
        if c.cause is ReReviewCause.SELF_CARE_CHANGE:
            due = reassessment_due(ctx, case.state, today)
        if c.cause is ReReviewCause.DEATH:
            limit = schedule.death_limit(c.occurred_on, ctx.config.re_review)
            if limit < due.due_on:  # reported late: N22 §1.3's three months come first
                due = make_due(ctx.calendar, "re_review", today, ctx.calendar.between(today, limit),
                               schedule.DEATH_RULE)
        case.state = case.state.open(cause=c.cause, opened_on=today, due_on=due.due_on, reasons=c.reasons,
                                     occurred_on=c.occurred_on)
        event = opened_event(case.state, case.state.current, due)
        await case.emit(event)
        return event


# --- the steps of a new case -----------------------------------------------------------------------

async def record_home_visit(ctx: Verification, c: cmd.RecordHomeVisit) -> None:
    async with household_case(ctx, c.case_id, c.actor) as case:
        refuse([date_problem("visited_on", c.visited_on, today=ctx.clock.today(), limits=ctx.config.limits)])
        me = Person(c.actor.id, c.actor.name)
        case.state = case.state.record_visit(Visit(c.visited_on, (me, c.partner), c.living_conditions, c.findings,
                                                   c.household_signed))


async def record_household(ctx: Verification, c: cmd.RecordHousehold) -> str:
    """Household data and, in the same step, the economic check (plan 五(二) 同步发起), as for a new case."""
    async with household_case(ctx, c.case_id, c.actor) as case:
        refuse(handlers.household_problems(ctx, c))
        persons = tekun_persons.assess(c.tekun_persons, category=case.state.category,
                                       member_ids=[m.id_number for m in c.members], today=ctx.clock.today(),
                                       limits=ctx.config.limits, not_before=case.state.current and
                                       case.state.current.opened_on)
        request_id = f"HD-{ULID()}"
        household = Household(size=len(c.members), monthly_income_fen=sum(i.monthly_fen for i in c.incomes),
                              countable_assets_fen=sum(a.value_fen for a in c.assets if not a.exempt),
                              facts=dict(c.facts), members=tuple(c.members),
                              income_kinds=tuple(sorted({i.kind for i in c.incomes})), tekun_persons=persons)
        case.state = case.state.record_household(household, request_id)
        await case.emit(EconomicCheckRequested(request_id=request_id,
                                               member_id_numbers=tuple(m.id_number for m in c.members),
                                               requested_on=ctx.clock.today()))
        return request_id


async def receive_check_report(ctx: Verification, c: cmd.ReceiveCheckReport) -> str:
    """The check centre's report answers a re-review's request or, failing that, an investigation's."""
    async with ctx.unit_of_work() as uow:
        case_id = await household_for_request(uow.session, c.report.request_id)
    if case_id is None:
        return await handlers.receive_check_report(ctx, c)
    async with household_case(ctx, case_id, c.actor) as case:
        if case.state.already_reported(c.report):
            return case_id
        limits, r = ctx.config.limits, c.report
        refuse([date_problem("reported_on", r.reported_on, today=ctx.clock.today(), limits=limits),
                amount_problem("monthly_income_fen", r.monthly_income_fen, limit=limits.household_monthly_income_fen,
                               name="household_monthly_income_fen", what_zh="家庭月收入"),
                amount_problem("countable_assets_fen", r.countable_assets_fen, limit=limits.household_assets_fen,
                               name="household_assets_fen", what_zh="应计财产")])
        case.state = case.state.record_check_report(r)
        await case.emit(EconomicCheckReported(request_id=r.request_id, report_no=r.report_no,
                                              reported_on=r.reported_on, monthly_income_fen=r.monthly_income_fen,
                                              countable_assets_fen=r.countable_assets_fen, findings=r.findings))
        return case_id


def computed(ctx: Verification, household: ReReview, r: Round) -> benefits.BenefitResult:
    income, assets = r.means()
    means = benefits.Means(r.household.size, income, assets, r.household.facts, r.household.tekun_persons)
    try:
        return benefits.assess(household.category, household.area, ctx.clock.today().year, ctx.jurisdiction, means,
                               ctx.config)
    except MissingStandard as exc:
        raise DomainRefusal(str(exc), rule="SPEC §4: standards are configuration; the operator must add it",
                            status=409, details={"add_to_district_file": exc.lines}) from None


async def preview(ctx: Verification, case_id: str, actor: Actor) -> tuple[Round, benefits.BenefitResult]:
    async with household_case(ctx, case_id, actor) as case:
        r = case.state.ensure_reviewable(actor.id)
        return r, computed(ctx, case.state, r)


async def complete(ctx: Verification, c: CompleteReReview) -> ReReviewCompleted:
    async with household_case(ctx, c.case_id, c.actor) as case:
        refuse([amount_problem("proposed_amount_fen", c.proposal.amount_fen,
                               limit=ctx.config.limits.amount_per_month_fen, name="amount_per_month_fen",
                               what_zh="拟保障金额")])
        r = case.state.ensure_reviewable(c.actor.id)
        result = computed(ctx, case.state, r)
        today, rules = ctx.clock.today(), ctx.config.re_review
        profile = schedule.profile(case.state.category, r.household.members, r.household.income_kinds,
                                   r.household.facts, today, rules)
        next_on = schedule.next_on(today, profile, rules)
        case.state = case.state.complete(c.actor.id, c.proposal, result.eligible, result.amount_fen, today, profile,
                                         next_on)
        income, assets = r.means()
        event = ReReviewCompleted(
            round=r.round, cause=r.cause, completed_on=today, category=case.state.category,
            outcome=c.proposal.outcome, household_size=r.household.size, household_monthly_income_fen=income,
            countable_assets_fen=assets, computed_eligible=result.eligible, computed_amount_fen=result.amount_fen,
            proposed_amount_fen=c.proposal.amount_fen, reasons=c.proposal.reasons or result.reasons,
            override_reason=c.proposal.override_reason, investigators=tuple(map(signer, r.investigators)),
            reviewer=Signer(id=c.actor.id, name=c.actor.name, role=Role.REVIEWER), profile=profile, next_on=next_on,
            tekun_persons=r.household.tekun_persons)
        await case.emit(event)
        return event


# --- reads -------------------------------------------------------------------------------------------

async def worklist(ctx: Verification, due_before: dt.date | None, limit: int) -> list[tuple[ReReview, int | None]]:
    """Re-reviews with the working days left to their date (negative: overdue)."""
    today = ctx.clock.today()
    async with ctx.unit_of_work() as uow:
        households = await work_list(store(uow), due_before=due_before, today=today, limit=limit)
    return [(h, working_days_left(ctx, h.due_on, today)) for h in households]


def working_days_left(ctx: Verification, due_on: dt.date | None, today: dt.date) -> int | None:
    if due_on is None:
        return None
    return ctx.calendar.between(today, due_on) if due_on >= today else -ctx.calendar.between(due_on, today)


async def household(ctx: Verification, case_id: str) -> ReReview:
    async with ctx.unit_of_work() as uow:
        found = await store(uow).get(case_id, lock=False)
    if found is None:
        raise UnknownCase(case_id, RE_REVIEWS.held)
    return found
