"""信访件的转办督办 (plan 六(三)): register, transfer with a deadline, answer, escalate when
overdue (once), close. Every step is one unit of work with its event."""

from __future__ import annotations

import datetime as dt

from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events import (
    PetitionAnswered,
    PetitionClosed,
    PetitionEscalated,
    PetitionRegistered,
    PetitionTransferred,
)
from jiuzhu_kernel.input_limits import date_problem, refuse
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_oversight.adapters import case_register, petition_register
from jiuzhu_oversight.adapters.petition_register import PETITIONS
from jiuzhu_oversight.adapters.numbering import next_number
from jiuzhu_oversight.domain.petitions import PERIOD_RULE, RE_REVIEW_RULE, Channel, Kind, Petition, Status, petition_no
from jiuzhu_oversight.domain.register import Stage
from jiuzhu_oversight.service_layer.context import Oversight


def _jurisdiction_known(ctx: Oversight, code: str, field: str) -> None:
    try:
        ctx.config.jurisdiction(code)
    except KeyError:
        raise DomainRefusal(f"{code} 不是本区的街道（乡镇）/ {code} is not a jurisdiction of this district",
                            rule="exists", status=422, field=field) from None


async def register(ctx: Oversight, *, channel: Channel, kind: Kind, received_on: dt.date, summary: str,
                   petitioner: str, contact: str, concerning_case: str | None, actor: Actor) -> Petition:
    today = ctx.clock.today()
    refuse([date_problem("received_on", received_on, today=today, limits=ctx.config.limits)])
    async with ctx.unit_of_work() as uow:
        number = petition_no(ctx.district, today, await next_number(uow.session, "petition", today.year))
        p = Petition(number, channel, kind, received_on, summary, petitioner or "匿名", contact,
                     concerning_case=concerning_case)
        await petition_register.store(uow.session).add(p)
        await uow.emit(ctx.wrap(PetitionRegistered(petition_no=number, channel=channel.value, kind=kind.value,
                                                   received_on=received_on, concerning_case=concerning_case),
                                actor=actor))
        return p


async def transfer(ctx: Oversight, number: str, *, to: str, instructions: str, actor: Actor) -> Petition:
    _jurisdiction_known(ctx, to, "to_jurisdiction")
    today = ctx.clock.today()
    days = ctx.config.deadline("petition", jurisdiction=to)
    due = ctx.due("petition", today, days, PERIOD_RULE.format(n=days))
    async with ctx.record(PETITIONS, number, actor) as petition:
        p = petition.state = petition.state.transferred(to, instructions, today, due.due_on)
        if p.concerning_case and not p.concerning_case.startswith(f"{to}-"):
            raise DomainRefusal(f"信访件涉及的案件 {p.concerning_case} 不属于 {to} / the case concerned is not "
                                f"{to}'s", rule="转办给案件所在的街道（乡镇）", status=422, field="to_jurisdiction")
        await petition.uow.emit(ctx.wrap(PetitionTransferred(
            petition_no=number, to_jurisdiction=to, concerning_case=p.concerning_case, instructions=instructions,
            due=due), jurisdiction=to, actor=actor))
    return p


async def answer(ctx: Oversight, number: str, *, text: str, re_review: bool | None, jurisdiction: str,
                 actor: Actor, substantiated: bool | None = None) -> Petition:
    """The answer; when it opens a re-review, the event carries the case to the jurisdiction's
    verification, which opens it (cause: petition) — only for a household on support."""
    today = ctx.clock.today()
    async with ctx.record(PETITIONS, number, actor) as petition:
        p = petition.state = petition.state.answered(text, today, actor.name, jurisdiction, re_review, substantiated)
        if p.re_review_requested:
            await _ensure_supported(petition.uow, p.concerning_case)
        await petition.uow.emit(ctx.wrap(PetitionAnswered(
            petition_no=number, answered_on=today, on_time=p.answered_on_time,
            re_review_requested=p.re_review_requested, concerning_case=p.concerning_case,
            substantiated=substantiated), jurisdiction=jurisdiction, actor=actor))
    return p


async def _ensure_supported(uow, case_id: str) -> None:
    row = await case_register.one(uow.session, case_id)
    if row is None or row["stage"] != Stage.APPROVED.value:
        zh, en = (row["stage"], row["stage"]) if row else ("未登记", "not in the register")
        raise DomainRefusal(f"案件 {case_id} 不是在保家庭（{zh}），无从复核 / case {case_id} is not a household "
                            f"on support ({en}): nothing to re-review", rule=RE_REVIEW_RULE, status=422,
                            field="re_review")


async def close(ctx: Oversight, number: str, *, conclusion: str, actor: Actor) -> Petition:
    today = ctx.clock.today()
    async with ctx.record(PETITIONS, number, actor) as petition:
        p = petition.state = petition.state.closed(conclusion, today)
        await petition.uow.emit(ctx.wrap(PetitionClosed(petition_no=number, closed_on=today, conclusion=conclusion),
                                          jurisdiction=p.jurisdiction or ctx.district, actor=actor))
    return p


async def escalate_overdue(ctx: Oversight, now: dt.datetime) -> int:
    """督办: every transferred petition past its due date without an answer, once (the business
    clock's tick; two ticks at once skip each other's rows)."""
    today = now.date()
    async with ctx.unit_of_work() as uow:
        petitions = petition_register.store(uow.session)
        overdue = await petition_register.overdue(uow.session, today)
        for p in overdue:
            await petitions.save(p.escalated(today))
            await uow.emit(ctx.wrap(PetitionEscalated(petition_no=p.petition_no, escalated_on=today,
                                                      overdue_since=p.due_on), jurisdiction=p.jurisdiction))
    return len(overdue)


async def listing(ctx: Oversight, *, jurisdiction: str | None, status: Status | None, limit: int) -> list[Petition]:
    async with ctx.unit_of_work() as uow:
        return await petition_register.listing(uow.session, jurisdiction=jurisdiction, status=status, limit=limit)


async def one(ctx: Oversight, number: str) -> Petition:
    async with ctx.unit_of_work() as uow:
        return await petition_register.one(uow.session, number)
