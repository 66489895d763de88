"""Oversight follows every event of every jurisdiction (乌尔禾区…工作方案 六(二)): one handler per
event type, each doing in the event's one unit of work what the event means to the district — the
case register, the clocks, the filings, the index of beneficiaries — and appending the event to the
audit chain.

Dates are the event's: the business day it occurred on in the district's time zone, never the
clock's today (a redelivered or late event is dated as it happened)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable
from functools import partial

from jiuzhu_contracts import EVENT_TYPES, Envelope
from jiuzhu_contracts.base import Due
from jiuzhu_contracts.events import DuplicateBeneficiaryDetected
from jiuzhu_runtime.consumer import NotYet
from jiuzhu_runtime.unit_of_work import UnitOfWork

from jiuzhu_oversight.adapters import audit_log, beneficiary_index, case_register, clock_register, filing_register
from jiuzhu_oversight.adapters.case_register import Registered
from jiuzhu_oversight.domain.audit_chain import NOT_CHAINED
from jiuzhu_oversight.domain.beneficiaries import duplicates, residents
from jiuzhu_oversight.domain.clocks import (
    CANCELLERS,
    CLOSERS,
    DECISION_RULE,
    INELIGIBLE_REVIEW_CLOCK,
    OPENERS,
    CaseClocks,
    ClockSpec,
    responsible,
)
from jiuzhu_oversight.service_layer.context import Oversight

Handler = Callable[[Oversight, Envelope, UnitOfWork], Awaitable[None]]


def event_day(ctx: Oversight, env: Envelope) -> dt.date:
    return env.occurred_at.astimezone(ctx.tz).date()


def payload_category(env: Envelope) -> str | None:
    category = getattr(env.payload, "category", None)
    return category.value if hasattr(category, "value") else category


async def moved(env: Envelope, uow: UnitOfWork, **values) -> Registered:
    """The register row brought up to this event; the case's category (and whether it was decided)."""
    registered = await case_register.move(uow.session, env.case_id, env.event_type, **values)
    if registered is None:
        raise NotYet(f"{env.event_type} for {env.case_id} before its application_accepted")
    _categories(uow)[env.case_id] = registered.category
    return registered


def _categories(uow: UnitOfWork) -> dict[str, str]:
    """The categories of the cases this transaction has seen in the register (a case's category
    never changes once registered; ``uow.memo`` is cleared by any rollback)."""
    return uow.memo.setdefault("categories", {})


async def category_of(uow: UnitOfWork, case_id: str) -> str | None:
    """The case's category in the register, or None if it is not there (yet). The first asked in a
    transaction reads those of every case of the consumer's batch in one statement."""
    known = _categories(uow)
    if case_id not in known and not uow.memo.get("categories_read"):
        uow.memo["categories_read"] = True
        known.update(await case_register.categories(uow.session, [*uow.batch_keys, case_id]))
    if case_id not in known:  # not in the register when the batch's were read: added since?
        category = await case_register.category_of(uow.session, case_id)
        if category is None:
            return None
        known[case_id] = category
    return known[case_id]


# --- the clocks (domain/clocks.py) -----------------------------------------------------------------

async def follow_clocks(ctx: Oversight, env: Envelope, uow: UnitOfWork, people: tuple[str, ...] = (),
                        opens: bool = True, also: tuple[ClockSpec, Due] | None = None, cancel: bool = False) -> None:
    """The case's clocks (one record of the case store, created by the first clock it opens) after
    the event: a withdrawal cancels the open ones; an event a clock waits for is seen by it (and may
    meet it); an event that starts a clock opens it with the due date the event carries, owed by
    ``people`` when they are known (else by the role, domain/clocks.py ``responsible``). ``also``: a
    clock the handler opens itself; ``cancel``: nothing is owed any more. One row written."""
    t, day = env.event_type, event_day(ctx, env)
    spec = OPENERS.get(t) if opens else None
    due = getattr(env.payload, spec.due_field) if spec is not None else None
    openings = [(spec, due, people)] if due is not None else []
    if also is not None:
        openings.append((*also, ()))
    if t not in CANCELLERS and t not in CLOSERS and not openings and not cancel:
        return  # nothing here for a clock: the case's clocks are not even read

    def after(clocks: CaseClocks) -> CaseClocks:
        if t in CANCELLERS:
            clocks = clocks.cancelled(day)
        elif t in CLOSERS:  # satisfy open clocks first: an event may close one clock and open the next
            clocks = clocks.saw(t, day)
        for opening_spec, opening_due, owed_by in openings:
            clocks = clocks.opened(opening_spec, opening_due, env.event_id,
                                   responsible(opening_spec.responsible_role, env.jurisdiction, owed_by))
        return clocks.cancelled(day) if cancel else clocks

    await clock_register.change(uow.session, env.case_id, env.jurisdiction, after, create=bool(openings))


# --- one handler per event type ----------------------------------------------------------------------

async def application_accepted(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """Registers the case, starts its investigation clock, indexes its residents and raises an alert
    for each one already in an open case of another jurisdiction (issue 6)."""
    p = env.payload
    await case_register.accept(uow.session, case_id=env.case_id, jurisdiction=env.jurisdiction,
                               category=p.category.value, applicant_name=p.applicant_name, committee=p.committee,
                               accepted_on=p.accepted_on, close_relative=p.close_relative is not None)
    await follow_clocks(ctx, env, uow)
    await audit_log.append(uow, env, p.category.value)
    hashes = residents(member.id_number for member in p.members)
    await beneficiary_index.add(uow.session, env.case_id, env.jurisdiction, hashes)
    elsewhere = await beneficiary_index.open_elsewhere(uow.session, hashes, env.jurisdiction)
    for duplicate in duplicates(env.case_id, env.jurisdiction, hashes, elsewhere):
        if await beneficiary_index.raise_alert(uow.session, duplicate):
            await uow.emit(ctx.wrap(DuplicateBeneficiaryDetected(id_number_hash=duplicate.id_hash,
                                                                  cases=duplicate.cases,
                                                                  jurisdictions=duplicate.jurisdictions),
                                    jurisdiction=ctx.district, caused_by=env))


async def home_visit_recorded(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    registered = await moved(env, uow, visited_on=env.payload.visited_on)
    await follow_clocks(ctx, env, uow)
    await audit_log.append(uow, env, registered.category)


async def review_signed(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """Meets the review clock; a review that finds the household not eligible starts the decision
    clock itself, with the configured working days (plan 五(三))."""
    p = env.payload
    registered = await moved(env, uow, reviewed_on=p.signed_on)
    also = None
    if not p.eligible and not registered.decided:  # not after 先行救助
        days = ctx.config.deadline("decision", jurisdiction=env.jurisdiction, category=p.category)
        also = INELIGIBLE_REVIEW_CLOCK, ctx.due("decision", p.signed_on, days, DECISION_RULE.format(n=days))
    await follow_clocks(ctx, env, uow, also=also)
    await audit_log.append(uow, env, registered.category)


async def objection_raised(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """Counts the objection: a case with one is always drawn for a spot check."""
    category = await case_register.count_objection(uow.session, env.case_id)
    if category is None:
        raise NotYet(f"objection_raised for {env.case_id} before its application_accepted")
    await audit_log.append(uow, env, category)


async def close_relative_flagged(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """A close relative registered after acceptance: the case is always drawn for a spot check."""
    category = await case_register.flag_close_relative(uow.session, env.case_id)
    if category is None:
        raise NotYet(f"close_relative_flagged for {env.case_id} before its application_accepted")
    await audit_log.append(uow, env, category)


async def case_approved(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """An approval; for 先行救助 (issue 16 item 1) its follow-up clock opens from the date it carries
    (``ASSIST_FOLLOW_UP_CLOCK``), and a small amount whose means check and publicity are skipped
    (``follow_up: skipped``) ends the investigation clock: nothing is owed there any more."""
    p = env.payload
    registered = await moved(env, uow, decided_on=p.decided_on, amount_fen=p.amount_fen,
                             first_month_paid=p.first_month_paid)
    await follow_clocks(ctx, env, uow, cancel=getattr(p, "follow_up", None) == "skipped")
    await audit_log.append(uow, env, registered.category)


async def publicity_closed(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """The window closed: the decision clock starts — unless the case was decided first (先行救助),
    whose publicity completed afterwards meets its follow-up clock and owes no decision. Deciding
    before publicity is then no breach: it is what the rule (L18 §2(二)2) asks."""
    registered = await moved(env, uow)
    await follow_clocks(ctx, env, uow, opens=not registered.decided)
    await audit_log.append(uow, env, registered.category)


async def temporary_assistance_paid(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """Paid in full: the case is closed and its residents leave the index (the household's next
    emergency raises no duplicate alert). Its follow-up clock, if open, stays supervised."""
    registered = await moved(env, uow)
    await follow_clocks(ctx, env, uow)
    await audit_log.append(uow, env, registered.category)
    await beneficiary_index.close_case(uow.session, env.case_id)


async def case_refused(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """Meets the decision clock and starts the refusal notice's, owed by the leader who signed."""
    p = env.payload
    registered = await moved(env, uow, decided_on=p.decided_on)
    await follow_clocks(ctx, env, uow, people=(p.signer.id,))
    await audit_log.append(uow, env, registered.category)
    await beneficiary_index.close_case(uow.session, env.case_id)


async def support_ended(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    registered = await moved(env, uow, ended=True)
    await follow_clocks(ctx, env, uow)
    await audit_log.append(uow, env, registered.category)
    await beneficiary_index.close_case(uow.session, env.case_id)


async def application_closed(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """Withdrawn, or deemed withdrawn: the case's clocks are cancelled and its residents leave the index."""
    registered = await moved(env, uow)
    await follow_clocks(ctx, env, uow)
    await audit_log.append(uow, env, registered.category)
    await beneficiary_index.close_case(uow.session, env.case_id)


async def stage_moved(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """Publicity opened or closed, a reinvestigation opened: the stage moves, a clock may start."""
    registered = await moved(env, uow)
    await follow_clocks(ctx, env, uow)
    await audit_log.append(uow, env, registered.category)


async def case_filed(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """The filing joins its month's population for the spot checks (plan 五(四))."""
    p = env.payload
    category = await category_of(uow, env.case_id) or payload_category(env)
    await audit_log.append(uow, env, category)
    await filing_register.record(uow.session, case_id=env.case_id, jurisdiction=env.jurisdiction,
                                 month=p.filed_on.strftime("%Y-%m"), record=json.loads(p.model_dump_json()))


async def case_event(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """Any other event about a case: the clocks waiting for it see it; it joins the chain under the
    case's category (the register's, or the event's own before the case is registered)."""
    category = await category_of(uow, env.case_id) or payload_category(env)
    await follow_clocks(ctx, env, uow)
    await audit_log.append(uow, env, category)


async def district_event(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """An event about no case (rosters, orders, grants, calendars): on the chain, nothing else."""
    await audit_log.append(uow, env, payload_category(env))


HANDLERS: dict[str, Handler] = {
    "application_accepted": application_accepted,
    "home_visit_recorded": home_visit_recorded,
    "review_signed": review_signed,
    "objection_raised": objection_raised,
    "close_relative_flagged": close_relative_flagged,
    "publicity_opened": stage_moved,
    "publicity_closed": publicity_closed,
    "reinvestigation_opened": stage_moved,
    "case_approved": case_approved,
    "temporary_assistance_paid": temporary_assistance_paid,
    "case_refused": case_refused,
    "support_ended": support_ended,
    "application_withdrawn": application_closed,
    "application_deemed_withdrawn": application_closed,
    "case_filed": case_filed,
    # 定期核查 (issue 15): the re-review's clock opens with the due date it carries and is met by its
    # completion (domain/clocks.py RE_REVIEW_CLOCK); both join the chain under the event's category.
    "re_review_opened": case_event,
    "re_review_completed": case_event,
    # 主动发现 (issue 16): the report opens the discovery_follow_up clock with the due date it carries,
    # the follow-up meets it (domain/clocks.py DISCOVERY_CLOCK); the report is no case of the register.
    "household_in_difficulty_reported": case_event,
    "discovery_followed_up": case_event,
}


async def _about_a_case_or_not(handler: Handler, ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """An event of a case type sent without a case (none of ours) is only chained."""
    await (handler if env.case_id else district_event)(ctx, env, uow)


def event_handlers(ctx: Oversight) -> dict:
    """Every event type of the contracts, each with its handler. Oversight's own checkpoints
    describe the chain; appended to it they would vouch for themselves (service_layer/audit.py):
    without a handler they are acknowledged and left out."""
    return {t: partial(_about_a_case_or_not, HANDLERS.get(t, case_event), ctx)
            for t in EVENT_TYPES if t not in NOT_CHAINED}
