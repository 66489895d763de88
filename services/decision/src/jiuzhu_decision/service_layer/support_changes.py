"""Changes after approval (issue 15 items 3–4): 增发 / 减发, 停发 and 渐退期 of a household on support,
each decided by the body holding the authority on the date (the registry, ``check_decider``), with
its reasons in a written notice delivered via the committee (D21 art. 32), effective from the month
the district configuration says (``[support_changes] takes_effect``); tekun termination after 7 days'
notice, from the next month (T21 art. 26). A gradual exit ends by itself after its last month."""

from __future__ import annotations

import datetime as dt
import hashlib

from ulid import ULID

from jiuzhu_contracts.base import ApprovingBody, Category, Due, Signer
from jiuzhu_contracts.envelope import SYSTEM_ACTOR, Actor
from jiuzhu_contracts.events import SupportEnded
from jiuzhu_contracts.events.support import ChangeCause, GradualExitStarted, SupportChanged, SupportNoticeDelivered
from jiuzhu_kernel.input_limits import date_problem, month_of, month_problem, refuse
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.case_store import UnknownCase

from jiuzhu_decision.adapters.support_tables import supported_households
from jiuzhu_decision.domain.authority import check_decider
from jiuzhu_decision.domain.supported_household import (
    GRADUAL_EXIT_RULE,
    NoticeKind,
    SupportedHousehold,
    SupportNotice,
    SupportStatus,
    case_of_notice,
    next_month,
)
from jiuzhu_decision.service_layer.support import SupportContext

NOTICE_DUE_RULE = "D21 art. 32: 书面告知 via the committee within {n} working days ([deadlines] support_notice)"
TAKES_EFFECT_RULE = "[support_changes] takes_effect: a change or an end takes effect from {month} at the earliest"
TEKUN_RULE = ("T21 art. 26: 终止特困供养 — {days} days' notice, effective from the next month "
              "([support_changes] tekun_termination_notice_days)")
CAUSE_RULE = "D21 art. 31–32: the cause of a change is a decision's (standard raises and gradual exits end by rule)"
# What a person may give as the cause; a standard raise and the end of a gradual exit are the system's.
DECIDED_CAUSES = frozenset(ChangeCause) - {ChangeCause.STANDARD_RAISE, ChangeCause.GRADUAL_EXIT}
GRADUAL_EXIT_CAUSES = frozenset({ChangeCause.RE_REVIEW, ChangeCause.REPORTED_CHANGE, ChangeCause.SPOT_CHECK,
                                 ChangeCause.PETITION, ChangeCause.HOUSEHOLD_CHANGE})


def _check_cause(cause: ChangeCause, allowed: frozenset[ChangeCause], rule: str) -> None:
    if cause not in allowed:
        raise DomainRefusal(f"原因 {cause.value} 不能用于此决定 / cause {cause.value} is not one of "
                            f"{sorted(c.value for c in allowed)}", rule=rule, status=422, field="cause")


def earliest_effective(ctx: SupportContext, today: dt.date) -> str:
    """The first month a change decided ``today`` may take effect."""
    this = month_of(today)
    return next_month(this) if ctx.config.support_changes.takes_effect == "next_month" else this


def _signer(actor: Actor) -> Signer:
    return Signer(id=actor.id, name=actor.name, role=actor.role)


def _notice(ctx: SupportContext, h: SupportedHousehold, kind: NoticeKind, *, cause: ChangeCause, today: dt.date,
            reasons: tuple[str, ...], actor: Actor, body: ApprovingBody, amount_fen: int, effective_month: str,
            last_month_paid: str | None = None) -> SupportNotice:
    days = ctx.config.deadline("support_notice", jurisdiction=ctx.jurisdiction, category=h.category)
    due = ctx.due("support_notice", today, days, NOTICE_DUE_RULE.format(n=days))
    return SupportNotice(h.next_notice_no(kind), kind, cause.value, today, reasons, _signer(actor), body.value,
                         due, h.amount_in(effective_month), amount_fen, effective_month, last_month_paid)


def _decider(ctx: SupportContext, category: Category, today: dt.date, at_district: bool) -> ApprovingBody:
    return ApprovingBody(check_decider(ctx.config, ctx.jurisdiction, category, today,
                                       caller_at_district=at_district).body)


async def change(ctx: SupportContext, case_id: str, *, amount_fen: int, cause: ChangeCause, reasons: tuple[str, ...],
                 effective_month: str | None, actor: Actor, at_district: bool) -> SupportNotice:
    """增发 / 减发 (D21 art. 32)."""
    today = ctx.clock.today()
    _check_cause(cause, DECIDED_CAUSES, CAUSE_RULE)
    earliest = earliest_effective(ctx, today)
    month = effective_month or earliest
    refuse([month_problem("effective_month", month, today=today, limits=ctx.config.limits, not_before=earliest,
                          not_before_zh="配置的最早生效月份", not_before_en="the earliest month the configuration "
                          f"allows ({TAKES_EFFECT_RULE.format(month=earliest)})")])
    if amount_fen > ctx.config.limits.amount_per_month_fen:
        refuse([{"field": "amount_fen", "rule": f"金额不得超过{ctx.config.limits.amount_per_month_fen}分 / at most "
                                                f"{ctx.config.limits.amount_per_month_fen} fen a month "
                                                "([limits] amount_per_month_fen)"}])
    async with ctx.case(case_id, actor) as case:
        h: SupportedHousehold = case.state
        body = _decider(ctx, h.category, today, at_district)
        h.ensure_on_support()
        notice = _notice(ctx, h, NoticeKind.CHANGE, cause=cause, today=today, reasons=reasons, actor=actor,
                         body=body, amount_fen=amount_fen, effective_month=month)
        case.state = h.changed(amount_fen, month, notice)
        await case.emit(SupportChanged(
            category=h.category, cause=cause, decided_on=today, amount_before_fen=notice.amount_before_fen,
            amount_fen=amount_fen, household_size=h.household_size, effective_month=month, reasons=reasons,
            approving_body=body, signer=notice.signer, notice_no=notice.notice_no, notice_due=notice.due))
        return notice


def earliest_last_month(ctx: SupportContext, category: Category, today: dt.date) -> tuple[str, str]:
    """The earliest last month paid of an end decided ``today``, and the rule that sets it."""
    last = next_month(earliest_effective(ctx, today), -1)
    rule = TAKES_EFFECT_RULE.format(month=next_month(last))
    if category == Category.TEKUN:
        days = ctx.config.support_changes.tekun_termination_notice_days
        notice_ends = month_of(today + dt.timedelta(days=days))  # it runs out in this month: paid for it
        if notice_ends > last:
            last, rule = notice_ends, TEKUN_RULE.format(days=days)
    return last, rule


async def end(ctx: SupportContext, case_id: str, *, last_month_paid: str | None, cause: ChangeCause,
              reasons: tuple[str, ...], actor: Actor, at_district: bool) -> SupportNotice:
    """停发 (D21 art. 32); tekun: 7 days' notice, effective the next month (T21 art. 26)."""
    today = ctx.clock.today()
    _check_cause(cause, DECIDED_CAUSES, CAUSE_RULE)
    async with ctx.case(case_id, actor) as case:
        h: SupportedHousehold = case.state
        body = _decider(ctx, h.category, today, at_district)
        h.ensure_on_support()
        earliest, rule = earliest_last_month(ctx, h.category, today)
        last = last_month_paid or earliest
        if last < earliest:
            raise DomainRefusal(f"最后发放月份不得早于{earliest} / the last month paid cannot be before {earliest}",
                                rule=rule, status=422, field="last_month_paid")
        refuse([month_problem("last_month_paid", last, today=today, limits=ctx.config.limits)])
        if h.last_month_paid and last > h.last_month_paid:
            raise DomainRefusal(f"渐退期至{h.last_month_paid}止 / its gradual exit already ends with "
                                f"{h.last_month_paid}", rule=GRADUAL_EXIT_RULE, status=409, field="last_month_paid")
        notice = _notice(ctx, h, NoticeKind.END, cause=cause, today=today, reasons=reasons, actor=actor, body=body,
                         amount_fen=0, effective_month=next_month(last), last_month_paid=last)
        case.state = h.ended(last, notice=notice)
        await case.emit(SupportEnded(category=h.category, last_month_paid=last, reasons=reasons, signer=notice.signer,
                                     cause=cause.value, decided_on=today, approving_body=body,
                                     notice_no=notice.notice_no, notice_due=notice.due))
        return notice


async def start_gradual_exit(ctx: SupportContext, case_id: str, *, months: int | None, cause: ChangeCause,
                             reasons: tuple[str, ...], actor: Actor, at_district: bool) -> SupportNotice:
    """渐退期 (N22 §1.3): income rose above the standard; paid as now for ``months`` more months."""
    today = ctx.clock.today()
    _check_cause(cause, GRADUAL_EXIT_CAUSES, GRADUAL_EXIT_RULE)
    most = ctx.config.support_changes.gradual_exit_months
    months = months or most
    if not 1 <= months <= most:
        raise DomainRefusal(f"渐退期为1至{most}个月 / a gradual exit lasts 1 to {most} months",
                            rule=f"{GRADUAL_EXIT_RULE} ([support_changes] gradual_exit_months = {most})",
                            status=422, field="months")
    first = earliest_effective(ctx, today)
    last = next_month(first, months - 1)
    async with ctx.case(case_id, actor) as case:
        h: SupportedHousehold = case.state
        body = _decider(ctx, h.category, today, at_district)
        h.ensure_on_support()
        notice = _notice(ctx, h, NoticeKind.GRADUAL_EXIT, cause=cause, today=today, reasons=reasons, actor=actor,
                         body=body, amount_fen=h.amount_in(first), effective_month=first, last_month_paid=last)
        case.state = h.gradual_exit(last, notice)
        await case.emit(GradualExitStarted(
            category=h.category, cause=cause, decided_on=today, months=months, last_month_paid=last, reasons=reasons,
            approving_body=body, signer=notice.signer, notice_no=notice.notice_no, notice_due=notice.due))
        return notice


def _gradual_exit_over_id(jurisdiction: str, case_id: str, last_month_paid: str) -> str:
    key = f"{jurisdiction}|{case_id}|gradual_exit_over|{last_month_paid}"
    return str(ULID.from_bytes(hashlib.sha256(key.encode()).digest()[:16]))


async def end_finished_gradual_exits(ctx: SupportContext, now: dt.datetime) -> int:
    """Every gradual exit whose last month has passed on the business clock ends, once: the row is
    locked (a concurrent tick skips it), its state says ended (a later tick finds nothing) and the
    event's id is derived from the household and its last month."""
    month = month_of(now.date())
    ended = 0
    async with ctx.unit_of_work() as uow:
        store = ctx.store(uow)
        for h in await store.where(supported_households.c.status == SupportStatus.GRADUAL_EXIT.value,
                                   order_by=(supported_households.c.case_id,), lock=True):
            if not h.gradual_exit_over(month):
                continue
            started = next(n for n in reversed(h.written) if n.kind is NoticeKind.GRADUAL_EXIT)
            await store.save(h.ended(h.last_month_paid))
            reasons = (f"渐退期已于{h.last_month_paid}期满，自{next_month(h.last_month_paid)}起停发（N22 §1.3）/ the "
                       f"gradual exit ended with {h.last_month_paid}",) + started.reasons
            await uow.emit(ctx.wrap(SupportEnded(
                category=h.category, last_month_paid=h.last_month_paid, reasons=reasons, signer=started.signer,
                cause=ChangeCause.GRADUAL_EXIT.value, decided_on=started.decided_on,
                approving_body=ApprovingBody(started.body), notice_no=started.notice_no, notice_due=started.due),
                case_id=h.case_id, actor=SYSTEM_ACTOR,
                event_id=_gradual_exit_over_id(ctx.jurisdiction, h.case_id, h.last_month_paid)), once=True)
            ended += 1
    return ended


# --- the written notices -----------------------------------------------------------------------

def _household_of(notice_no: str) -> str:
    case_id = case_of_notice(notice_no)
    if case_id is None:
        raise DomainRefusal(f"没有通知书 {notice_no} / no notice {notice_no} here", rule="exists", status=404)
    return case_id


async def notice(ctx: SupportContext, notice_no: str) -> tuple[SupportedHousehold, SupportNotice]:
    case_id = _household_of(notice_no)
    async with ctx.unit_of_work() as uow:
        h = await ctx.store(uow).get(case_id, lock=False)
    if h is None:
        raise UnknownCase(case_id, "on support here")
    return h, h.notice(notice_no)


async def deliver_notice(ctx: SupportContext, notice_no: str, *, delivered_on: dt.date, received_by: str,
                         actor: Actor) -> tuple[SupportNotice, Due]:
    async with ctx.case(_household_of(notice_no), actor) as case:
        h: SupportedHousehold = case.state
        issued = h.notice(notice_no)
        refuse([date_problem("delivered_on", delivered_on, today=ctx.clock.today(), limits=ctx.config.limits,
                             not_before=issued.decided_on, not_before_zh="决定日期", not_before_en="the decision")])
        case.state = h.deliver(notice_no, delivered_on, received_by)
        await case.emit(SupportNoticeDelivered(notice_no=notice_no, committee=h.committee, delivered_on=delivered_on,
                                               received_by=received_by))
        return case.state.notice(notice_no), issued.due
