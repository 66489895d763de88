"""The district's supervision duties: breaches, spot checks, rectification (plan 五(四), 六(二))."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import asdict
from fractions import Fraction

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

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

from jiuzhu_oversight.adapters.numbering import next_number
from jiuzhu_oversight.adapters.tables import clocks, filings, rectifications, register, samples, spot_checks
from jiuzhu_oversight.domain.sampling import Filing, draw, sample_size
from jiuzhu_oversight.service_layer.context import Oversight

RECTIFICATION_RULE = "乌尔禾区工作方案 六(二): 对“漏保”或审批不规范行为书面限期进行整改（{n}个工作日）"


def _configured_share(ctx: Oversight) -> Fraction:
    return Fraction(ctx.config.spot_check_share).limit_denominator(1000)


def previous_month(day: dt.date) -> str:
    first = day.replace(day=1) - dt.timedelta(days=1)
    return first.strftime("%Y-%m")


async def raise_breaches(ctx: Oversight, now: dt.datetime) -> int:
    """A clock past its due date, unsatisfied and not provisional, raises `deadline breached` once."""
    today, raised = now.date(), 0
    async with ctx.unit_of_work() as uow:
        rows = (await uow.session.execute(
            # A provisional due date is never breached (domain/clocks.py ``breached``).
            select(clocks).where(clocks.c.state == "open", clocks.c.breached_on.is_(None), clocks.c.due_on < today,
                                 clocks.c.provisional.is_(False))
            .order_by(clocks.c.due_on).limit(500).with_for_update(skip_locked=True))).all()
        for row in rows:
            await uow.session.execute(update(clocks).where(clocks.c.id == row.id).values(breached_on=today))
            await uow.emit(ctx.wrap(DeadlineBreached(clock=row.clock, due_on=row.due_on, detected_on=today,
                                                     started_by_event=row.opened_by_event,
                                                     responsible=tuple(row.responsible)),
                                    jurisdiction=row.jurisdiction, case_id=row.case_id))
            raised += 1
    return raised


async def escalate_rectifications(ctx: Oversight, now: dt.datetime) -> int:
    today, escalated = now.date(), 0
    async with ctx.unit_of_work() as uow:
        rows = (await uow.session.execute(
            select(rectifications).where(rectifications.c.answered_on.is_(None),
                                         rectifications.c.escalated_on.is_(None), rectifications.c.due_on < today)
            .with_for_update(skip_locked=True))).all()
        for row in rows:
            await uow.session.execute(update(rectifications).where(rectifications.c.order_no == row.order_no)
                                      .values(escalated_on=today))
            await uow.emit(ctx.wrap(RectificationEscalated(order_no=row.order_no, escalated_on=today,
                                                           overdue_since=row.due_on), jurisdiction=row.jurisdiction))
            escalated += 1
    return escalated


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
            if recorded := await _recorded_sample(ctx, s, jurisdiction, month):
                out.append(recorded)
                continue
            rows = (await s.execute(select(filings.c.case_id, filings.c.record, register.c.reported,
                                           register.c.close_relative)
                                    .select_from(filings.outerjoin(register, register.c.case_id == filings.c.case_id))
                                    .where(filings.c.jurisdiction == jurisdiction, filings.c.month == month))).all()
            if not rows:
                continue
            seed = f"{jurisdiction}:{month}:{secrets.token_hex(4)}"
            # A close relative registered after the filing flags the case in the register (close_relative_flagged).
            population = sorted((Filing(r.case_id, bool(r.record["close_relative"] or r.close_relative),
                                        r.record["objections"], bool(r.reported)) for r in rows),
                                key=lambda f: f.case_id)
            claimed = (await s.execute(pg_insert(samples).values(
                jurisdiction=jurisdiction, month=month, seed=seed, filings=len(rows), drawn=0,
                population=[asdict(f) for f in population], share=str(share))
                .on_conflict_do_nothing().returning(samples.c.drawn_at))).first()
            if claimed is None:  # drawn at the same moment by another request: theirs stands
                out.append(await _recorded_sample(ctx, s, jurisdiction, month))
                continue
            drawn = draw(population, share, seed)
            await s.execute(update(samples).where(samples.c.jurisdiction == jurisdiction, samples.c.month == month)
                            .values(drawn=len(drawn)))
            for d in drawn:
                await s.execute(insert(spot_checks).values(case_id=d.case_id, jurisdiction=jurisdiction, month=month,
                                                           because=d.because))
                kwargs = {"actor": actor} if actor else {}
                await uow.emit(ctx.wrap(SpotCheckSelected(month=month, seed=seed, drawn_because=d.because),
                                        jurisdiction=jurisdiction, case_id=d.case_id, **kwargs))
            out.append({"jurisdiction": jurisdiction, "month": month, "already_drawn": False, "seed": seed,
                        "drawn_at": claimed.drawn_at, "filings": len(rows),
                        "required": sample_size(len(rows), share), "drawn": [d.__dict__ for d in drawn]})
    return out


async def _recorded_sample(ctx: Oversight, s, jurisdiction: str, month: str) -> dict | None:
    sample = (await s.execute(select(samples).where(samples.c.jurisdiction == jurisdiction,
                                                    samples.c.month == month))).first()
    if sample is None:
        return None
    checks = (await s.execute(select(spot_checks.c.case_id, spot_checks.c.because)
                              .where(spot_checks.c.jurisdiction == jurisdiction, spot_checks.c.month == month)
                              .order_by(spot_checks.c.case_id))).all()
    share = Fraction(sample.share) if sample.share else _configured_share(ctx)
    return {"jurisdiction": jurisdiction, "month": month, "already_drawn": True, "seed": sample.seed,
            "drawn_at": sample.drawn_at, "filings": sample.filings, "required": sample_size(sample.filings, share),
            "drawn": [{"case_id": c.case_id, "because": c.because} for c in checks]}


async def auto_draw(ctx: Oversight, now: dt.datetime) -> None:
    """Once a month has ended, its filings are drawn without waiting for anyone."""
    await draw_month(ctx, previous_month(now.date()))


async def redraw(ctx: Oversight, jurisdiction: str, month: str) -> dict:
    """An auditor redraws from the recorded seed and compares with what was drawn."""
    async with ctx.unit_of_work() as uow:
        s = uow.session
        sample = (await s.execute(select(samples).where(samples.c.jurisdiction == jurisdiction,
                                                        samples.c.month == month))).first()
        if sample is None:
            raise DomainRefusal(f"no sample drawn for {jurisdiction} {month}", rule="exists", status=404)
        recorded = sorted((r.case_id, r.because) for r in (await s.execute(
            select(spot_checks).where(spot_checks.c.jurisdiction == jurisdiction, spot_checks.c.month == month))).all())
    # Exactly the population the draw saw, with the flags it had then, and the share it was drawn with
    # (today's configuration may differ). Samples drawn before the share was kept fall back to it.
    population = [Filing(**f) for f in sample.population]
    share = Fraction(sample.share) if sample.share else _configured_share(ctx)
    again = sorted((d.case_id, d.because) for d in draw(population, share, sample.seed))
    return {"jurisdiction": jurisdiction, "month": month, "seed": sample.seed, "share": str(share),
            "share_recorded": sample.share is not None, "same": again == recorded, "recorded": recorded,
            "redrawn": again}


async def record_findings(ctx: Oversight, case_id: str, findings: SpotCheckFindings, feedback: str,
                          actor: Actor) -> dict:
    today = ctx.clock.today()
    async with ctx.unit_of_work() as uow:
        s = uow.session
        check = (await s.execute(select(spot_checks).where(spot_checks.c.case_id == case_id)
                                 .with_for_update())).first()
        if check is None:
            raise DomainRefusal(f"case {case_id} was not drawn for a spot check", rule="plan 五(四)", status=404)
        if check.completed_on:
            raise DomainRefusal(f"the spot check of {case_id} was completed on {check.completed_on}",
                                rule="plan 五(四): one written feedback per check", status=409)
        number = await next_number(s, "spot-check", today.year)
        document_no = f"CC-{ctx.district}-{today.year}-{number:05d}"
        await s.execute(update(spot_checks).where(spot_checks.c.case_id == case_id).values(
            findings=findings.model_dump(), feedback=feedback, document_no=document_no, inspector=actor.id,
            completed_on=today))
        await uow.emit(ctx.wrap(SpotCheckCompleted(findings=findings, feedback=feedback, document_no=document_no,
                                                   completed_on=today),
                                jurisdiction=check.jurisdiction, case_id=case_id, actor=actor))
        order_no = None
        if not (findings.target_correct and findings.procedure_followed and findings.materials_complete):
            wrong = [label for ok, label in ((findings.target_correct, "对象认定不准确"),
                                             (findings.procedure_followed, "办理程序不规范"),
                                             (findings.materials_complete, "审批材料不齐全")) if not ok]
            order_no = await _order(ctx, uow, jurisdiction=check.jurisdiction, case_id=case_id,
                                    kind="irregular_approval", findings="；".join(wrong) + f"。{feedback}",
                                    actor=actor)
        return {"case_id": case_id, "document_no": document_no, "rectification_order": order_no}


async def _order(ctx: Oversight, uow, *, jurisdiction: str, case_id: str | None, kind: str, findings: str,
                 actor: Actor) -> str:
    today = ctx.clock.today()
    days = ctx.config.deadline("rectification", jurisdiction=jurisdiction)
    due: Due = ctx.due("rectification", today, days, RECTIFICATION_RULE.format(n=days))
    number = await next_number(uow.session, "rectification", today.year)
    order_no = f"ZG-{ctx.district}-{today.year}-{number:05d}"
    await uow.session.execute(insert(rectifications).values(
        order_no=order_no, jurisdiction=jurisdiction, concerning_case=case_id, kind=kind, findings=findings,
        due=due.model_dump(mode="json"), due_on=due.due_on, ordered_on=today))
    if case_id and kind == "missed_coverage":  # a report: the case is always drawn for a spot check
        await uow.session.execute(update(register).where(register.c.case_id == case_id).values(reported=True))
    await uow.emit(ctx.wrap(RectificationOrdered(order_no=order_no, concerning_case=case_id, kind=kind,
                                                 findings=findings, due=due), jurisdiction=jurisdiction, actor=actor))
    return order_no


async def order_rectification(ctx: Oversight, *, jurisdiction: str, case_id: str | None, kind: str, findings: str,
                              actor: Actor) -> str:
    ctx.config.jurisdiction(jurisdiction)
    async with ctx.unit_of_work() as uow:
        return await _order(ctx, uow, jurisdiction=jurisdiction, case_id=case_id, kind=kind, findings=findings,
                            actor=actor)


async def answer_rectification(ctx: Oversight, order_no: str, answer: str, actor: Actor,
                               jurisdiction: str) -> dict:
    today = ctx.clock.today()
    async with ctx.unit_of_work() as uow:
        row = (await uow.session.execute(select(rectifications).where(rectifications.c.order_no == order_no)
                                         .with_for_update())).first()
        if row is None:
            raise DomainRefusal(f"no rectification order {order_no}", rule="exists", status=404)
        if row.jurisdiction != jurisdiction:
            raise DomainRefusal(f"order {order_no} is addressed to jurisdiction {row.jurisdiction}",
                                rule="only the addressed jurisdiction answers its order", status=403)
        if row.answered_on:
            raise DomainRefusal(f"order {order_no} was answered on {row.answered_on}", rule="one answer", status=409)
        await uow.session.execute(update(rectifications).where(rectifications.c.order_no == order_no)
                                  .values(answered_on=today, answer=answer))
        await uow.emit(ctx.wrap(RectificationAnswered(order_no=order_no, answered_on=today, answer=answer),
                                jurisdiction=row.jurisdiction, actor=actor))
        return {"order_no": order_no, "answered_on": today, "on_time": today <= row.due_on}
