"""Publicity's handlers: open notices from signed reviews, take objections, close windows on the
business clock, keep the long-term list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ulid import ULID

from jiuzhu_contracts import Envelope
from jiuzhu_contracts.base import Category
from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events import ObjectionRaised, PublicityClosed, PublicityOpened
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.case_store import CaseStore
from jiuzhu_runtime.consumer import NotYet
from jiuzhu_runtime.stage_context import StageContext
from jiuzhu_runtime.unit_of_work import UnitOfWork

from jiuzhu_publicity.adapters import notices
from jiuzhu_publicity.adapters.notices import NOTICES
from jiuzhu_publicity.adapters.repository import PublicityRepository
from jiuzhu_publicity.domain import window
from jiuzhu_publicity.domain.notice import Notice


@dataclass
class Publicity(StageContext):

    def days(self, name: str, category: Category) -> int:
        return self.config.deadline(name, jurisdiction=self.jurisdiction, category=category)



# --- events ------------------------------------------------------------------------------------

async def on_review_signed(ctx: Publicity, env: Envelope, uow: UnitOfWork) -> None:
    """An eligible review is posted on the committee's board for 7 working days."""
    review = env.payload
    if not review.eligible:
        return  # the decision service takes an ineligible review to a refusal
    if await notices.open_notice_no(uow.session, env.case_id):
        return
    # Posted on the day the review was signed — dated by the event, not by when we processed it,
    # so a lagging consumer (or a restart) never shifts the window.
    opens_on = review.signed_on
    round_no = await notices.rounds(uow.session, env.case_id) + 1
    notice = Notice.post(env.case_id, round_no, committee=review.committee,
                         public_name=review.applicant_name, household_size=review.household_size,
                         category=review.category, amount_fen=review.proposed_amount_fen, opens_on=opens_on,
                         closes=window.window(ctx.calendar, opens_on, ctx.days("publicity", review.category)))
    await CaseStore(NOTICES, uow.session).add(notice)
    await uow.emit(ctx.wrap(PublicityOpened(notice_no=notice.notice_no, round=notice.round, committee=notice.committee,
                                            opens_on=notice.opens_on, closes=notice.closes,
                                            public_name=notice.public_name, household_size=notice.household_size,
                                            category=notice.category, proposed_amount_fen=notice.amount_fen),
                            case_id=env.case_id, caused_by=env))


async def on_case_approved(ctx: Publicity, env: Envelope, uow: UnitOfWork) -> None:
    """长期公示: an approved household joins the long-term list (name, size, category, amount only)."""
    p = env.payload
    await PublicityRepository(uow.session).list_household(
        case_id=env.case_id, committee=p.committee, public_name=p.public_name, household_size=p.household_size,
        category=p.category.value, amount_fen=p.amount_fen, since=p.decided_on)


async def on_support_ended(ctx: Publicity, env: Envelope, uow: UnitOfWork) -> None:
    repo = PublicityRepository(uow.session)
    if await repo.listing(env.case_id) is None:
        raise NotYet(f"support_ended for {env.case_id} before its case_approved")
    await repo.delist(env.case_id)


async def on_case_closed_early(ctx: Publicity, env: Envelope, uow: UnitOfWork) -> None:
    """A withdrawn application comes off the board at once."""
    notice_no = await notices.open_notice_no(uow.session, env.case_id)
    if notice_no:
        async with ctx.record(NOTICES, notice_no, uow=uow, caused_by=env) as notice:
            notice.state = notice.state.withdrawn()  # already closed by the ticker meanwhile: unchanged


def event_handlers(ctx: Publicity) -> dict:
    def bind(fn):
        async def handler(env, uow):
            await fn(ctx, env, uow)
        return handler

    return {"review_signed": bind(on_review_signed), "case_approved": bind(on_case_approved),
            "support_ended": bind(on_support_ended), "application_withdrawn": bind(on_case_closed_early),
            "application_deemed_withdrawn": bind(on_case_closed_early)}


# --- objections --------------------------------------------------------------------------------

async def record_objection(ctx: Publicity, *, notice_no: str, summary: str, channel: str, anonymous: bool,
                           contact: str | None, actor: Actor) -> str:
    today = ctx.clock.today()
    async with ctx.unit_of_work() as uow:
        # Locked, not changed: an objection is its own record, taken only while the notice is open —
        # the lock keeps the ticker from closing the window under it.
        notice = await CaseStore(NOTICES, uow.session).get(notice_no)
        if notice is None:
            raise DomainRefusal(f"本辖区公示栏上没有编号为{notice_no}的公示 / "
                                f"no notice {notice_no} on this jurisdiction's boards", rule="exists", status=404,
                                field="notice_no")
        objection = notice.objection(f"YY-{ULID()}", received_on=today, channel=channel, anonymous=anonymous,
                                     summary=summary, contact=contact, recorded_by=actor.id)
        await PublicityRepository(uow.session).add_objection(objection)
        await uow.emit(ctx.wrap(ObjectionRaised(objection_id=objection.objection_id, notice_no=notice_no,
                                                received_on=today, channel=channel, anonymous=anonymous,
                                                summary=summary), case_id=notice.case_id, actor=actor))
        return objection.objection_id


# --- the business clock ------------------------------------------------------------------------

async def close_ended_windows(ctx: Publicity, now: dt.datetime) -> int:
    """Every notice whose window has passed goes to decision: clean, or objected (on the business
    clock; runs on every tick, idempotent by the notice's status)."""
    closed = 0
    async with ctx.unit_of_work() as uow:
        repo, store = PublicityRepository(uow.session), CaseStore(NOTICES, uow.session)
        for notice in await notices.ended(uow.session, now.date()):
            objections = await repo.objections_of(notice.notice_no)
            binding = await repo.binding_due(notice.case_id)
            due = window.decision_due(ctx.calendar, notice.closes_on, bool(objections),
                                      ctx.days("decision", notice.category),
                                      ctx.days("decision_after_objection", notice.category), binding,
                                      tekun=notice.category == "tekun")
            if objections and binding is None:
                await repo.set_binding_due(notice.case_id, due)
            notice = notice.closed(objected=bool(objections))
            await store.save(notice)
            await uow.emit(ctx.wrap(PublicityClosed(notice_no=notice.notice_no, round=notice.round,
                                                    closed_on=notice.closes_on, outcome=notice.outcome.value,
                                                    objection_ids=tuple(o.objection_id for o in objections),
                                                    decision_due=due), case_id=notice.case_id))
            closed += 1
    return closed
