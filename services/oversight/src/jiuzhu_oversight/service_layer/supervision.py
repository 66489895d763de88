"""The district's supervision duties: breaches, spot checks, rectification (plan 五(四), 六(二))."""

from __future__ import annotations

import datetime as dt
import secrets
from fractions import Fraction

from jiuzhu_contracts.base import Due
from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events import (
    DeadlineBreached,
    RectificationAnswered,
    RectificationEscalated,
    RectificationOrdered,
    SpotCheckCompleted,
    SpotCheckSelected,
)
from jiuzhu_contracts.events.oversight import SpotCheckFindings
from jiuzhu_kernel.input_limits import month_problem, refuse
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.unit_of_work import UnitOfWork

from jiuzhu_oversight.adapters import (
    case_register,
    clock_register,
    filing_register,
    rectification_register,
    spot_check_register,
)
from jiuzhu_oversight.adapters.numbering import next_number
from jiuzhu_oversight.adapters.rectification_register import RECTIFICATIONS
from jiuzhu_oversight.adapters.spot_check_register import SPOT_CHECKS
from jiuzhu_oversight.domain.rectification import (
    RECTIFICATION_RULE,
    OrderKind,
    RectificationOrder,
    faults,
    order_findings,
    order_no,
    spot_check_document_no,
)
from jiuzhu_oversight.domain.sampling import Filing, draw, previous_month, sample_size
from jiuzhu_oversight.service_layer.context import Oversight


def _configured_share(ctx: Oversight) -> Fraction:
    return Fraction(ctx.config.spot_check_share).limit_denominator(1000)


async def raise_breaches(ctx: Oversight, now: dt.datetime) -> int:
    """A clock past its due date, unsatisfied and not provisional, raises `deadline breached` once."""
    today = now.date()
    raised = 0
    async with ctx.unit_of_work() as uow:
        store = clock_register.store(uow.session)
        for case in await clock_register.overdue_unraised(uow.session, today):
            overdue = case.overdue_unraised(today)
            for clock in overdue:
                case = case.breached(clock.opened_by_event, today)
                await uow.emit(ctx.wrap(DeadlineBreached(clock=clock.clock, due_on=clock.due_on, detected_on=today,
                                                         started_by_event=clock.opened_by_event,
                                                         responsible=clock.responsible),
                                        jurisdiction=case.jurisdiction, case_id=case.case_id))
            await store.save(case)
            raised += len(overdue)
    return raised


async def escalate_rectifications(ctx: Oversight, now: dt.datetime) -> int:
    today = now.date()
    async with ctx.unit_of_work() as uow:
        orders = rectification_register.store(uow.session)
        overdue = await rectification_register.overdue_unanswered(uow.session, today)
        for o in overdue:
            await orders.save(o.escalated(today))
            await uow.emit(ctx.wrap(RectificationEscalated(order_no=o.order_no, escalated_on=today,
                                                           overdue_since=o.due_on), jurisdiction=o.jurisdiction))
    return len(overdue)


async def draw_month(ctx: Oversight, month: str, actor: Actor | None = None) -> list[dict]:
    """Draw every jurisdiction's sample for ``month``; a jurisdiction drawn before is not drawn again
    and its recorded sample is returned as it stands, marked ``already_drawn`` (with its seed,
    drawn_at and drawn cases), so a repeated request never looks like an empty month."""
    refuse([month_problem("month", month, today=ctx.clock.today(), limits=ctx.config.limits)])
    out = []
    share = _configured_share(ctx)
    async with ctx.unit_of_work() as uow:
        s = uow.session
        for jurisdiction in [j.code for j in ctx.config.jurisdictions]:
            if recorded := await _recorded_sample(ctx, uow, jurisdiction, month):
                out.append(recorded)
                continue
            population = await filing_register.of_month(s, jurisdiction, month)
            if not population:
                continue
            seed = f"{jurisdiction}:{month}:{secrets.token_hex(4)}"
            drawn_at = await spot_check_register.claim(s, jurisdiction=jurisdiction, month=month, seed=seed,
                                                       population=population, share=str(share))
            if drawn_at is None:  # drawn at the same moment by another request: theirs stands
                out.append(await _recorded_sample(ctx, uow, jurisdiction, month))
                continue
            drawn = draw(population, share, seed)
            await spot_check_register.add_drawn(s, jurisdiction, month, drawn)
            kwargs = {"actor": actor} if actor else {}
            for d in drawn:
                await uow.emit(ctx.wrap(SpotCheckSelected(month=month, seed=seed, drawn_because=d.because.value),
                                        jurisdiction=jurisdiction, case_id=d.case_id, **kwargs))
            out.append({"jurisdiction": jurisdiction, "month": month, "already_drawn": False, "seed": seed,
                        "drawn_at": drawn_at, "filings": len(population),
                        "required": sample_size(len(population), share),
                        "drawn": [{"case_id": d.case_id, "because": d.because.value} for d in drawn]})
    return out


async def _recorded_sample(ctx: Oversight, uow: UnitOfWork, jurisdiction: str, month: str) -> dict | None:
    sample = await spot_check_register.sample(uow.session, jurisdiction, month)
    if sample is None:
        return None
    checks = await spot_check_register.drawn_cases(uow.session, jurisdiction, month)
    share = Fraction(sample.share) if sample.share else _configured_share(ctx)
    return {"jurisdiction": jurisdiction, "month": month, "already_drawn": True, "seed": sample.seed,
            "drawn_at": sample.drawn_at, "filings": sample.filings, "required": sample_size(sample.filings, share),
            "drawn": [{"case_id": case_id, "because": because} for case_id, because in checks]}


async def auto_draw(ctx: Oversight, now: dt.datetime) -> None:
    """Once a month has ended, its filings are drawn without waiting for anyone."""
    await draw_month(ctx, previous_month(now.date()))


async def redraw(ctx: Oversight, jurisdiction: str, month: str) -> dict:
    """An auditor redraws from the recorded seed and compares with what was drawn."""
    async with ctx.unit_of_work() as uow:
        sample = await spot_check_register.sample(uow.session, jurisdiction, month)
        if sample is None:
            raise DomainRefusal(f"no sample drawn for {jurisdiction} {month}", rule="exists", status=404)
        recorded = sorted(await spot_check_register.drawn_cases(uow.session, jurisdiction, month))
    # Exactly the population the draw saw, with the flags it had then, and the share it was drawn with
    # (today's configuration may differ). Samples drawn before the share was kept fall back to it.
    population = [Filing(**f) for f in sample.population]
    share = Fraction(sample.share) if sample.share else _configured_share(ctx)
    again = sorted((d.case_id, d.because.value) for d in draw(population, share, sample.seed))
    return {"jurisdiction": jurisdiction, "month": month, "seed": sample.seed, "share": str(share),
            "share_recorded": sample.share is not None, "same": again == recorded, "recorded": recorded,
            "redrawn": again}


async def record_findings(ctx: Oversight, case_id: str, findings: SpotCheckFindings, feedback: str,
                          actor: Actor) -> dict:
    today = ctx.clock.today()
    async with ctx.record(SPOT_CHECKS, case_id, actor) as check:
        # A number taken for a check refused below is given back with the transaction.
        document_no = spot_check_document_no(ctx.district, today,
                                             await next_number(check.uow.session, "spot-check", today.year))
        c = check.state = check.state.completed(findings, feedback, document_no, actor.id, today)
        await check.uow.emit(ctx.wrap(SpotCheckCompleted(findings=findings, feedback=feedback,
                                                         document_no=document_no, completed_on=today),
                                      jurisdiction=c.jurisdiction, case_id=case_id, actor=actor))
        order = None
        if wrong := faults(findings):
            order = await _order(ctx, check.uow, jurisdiction=c.jurisdiction, case_id=case_id,
                                 kind=OrderKind.IRREGULAR_APPROVAL, findings=order_findings(wrong, feedback),
                                 actor=actor)
    return {"case_id": case_id, "document_no": document_no, "rectification_order": order}


async def _order(ctx: Oversight, uow: UnitOfWork, *, jurisdiction: str, case_id: str | None, kind: str,
                 findings: str, actor: Actor) -> str:
    today = ctx.clock.today()
    days = ctx.config.deadline("rectification", jurisdiction=jurisdiction)
    due: Due = ctx.due("rectification", today, days, RECTIFICATION_RULE.format(n=days))
    number = order_no(ctx.district, today, await next_number(uow.session, "rectification", today.year))
    kind = OrderKind(kind)
    await rectification_register.store(uow.session).add(RectificationOrder(
        number, jurisdiction, case_id, kind, findings, due, ordered_on=today))
    if case_id and kind is OrderKind.MISSED_COVERAGE:  # a report: the case is always drawn for a spot check
        await case_register.mark_reported(uow.session, case_id)
    await uow.emit(ctx.wrap(RectificationOrdered(order_no=number, concerning_case=case_id, kind=kind.value,
                                                 findings=findings, due=due), jurisdiction=jurisdiction, actor=actor))
    return number


async def order_within(ctx: Oversight, uow: UnitOfWork, *, jurisdiction: str, case_id: str | None, kind: str,
                       findings: str, actor: Actor) -> str:
    """The order inside the caller's unit of work (an inspection's finding and its order together)."""
    return await _order(ctx, uow, jurisdiction=jurisdiction, case_id=case_id, kind=kind, findings=findings,
                        actor=actor)


async def order_rectification(ctx: Oversight, *, jurisdiction: str, case_id: str | None, kind: str, findings: str,
                              actor: Actor) -> str:
    try:
        ctx.config.jurisdiction(jurisdiction)
    except KeyError:
        raise DomainRefusal(f"{jurisdiction} is not a jurisdiction of this district", rule="exists",
                            status=422, field="jurisdiction") from None
    async with ctx.unit_of_work() as uow:
        return await _order(ctx, uow, jurisdiction=jurisdiction, case_id=case_id, kind=kind, findings=findings,
                            actor=actor)


async def answer_rectification(ctx: Oversight, order_no: str, answer: str, actor: Actor,
                               jurisdiction: str) -> dict:
    today = ctx.clock.today()
    async with ctx.record(RECTIFICATIONS, order_no, actor) as order:
        o = order.state = order.state.answered(answer, today, jurisdiction)
        await order.uow.emit(ctx.wrap(RectificationAnswered(order_no=order_no, answered_on=today, answer=answer),
                                      jurisdiction=o.jurisdiction, actor=actor))
    return {"order_no": order_no, "answered_on": today, "on_time": o.answered_on_time}
