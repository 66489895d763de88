"""A re-review's proposal awaiting the authority (定期核查, D21 art. 31–32): verification proposes,
whoever holds the authority for the jurisdiction and category on the day decides. A proposal to
change or stop support is acted on with the supported household's change / end / gradual-exit
commands (their events resolve it here); "continue" is recorded here as the re-review done, and
continuing against a proposal to change or stop must give its reasons (D21 art. 32)."""

from __future__ import annotations

from dataclasses import replace

from jiuzhu_contracts import Envelope
from jiuzhu_contracts.envelope import Actor
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.case_store import CaseStore
from jiuzhu_runtime.unit_of_work import UnitOfWork

from jiuzhu_decision.adapters import re_review_outcomes as outcomes
from jiuzhu_decision.adapters.re_review_outcomes import RE_REVIEW_OUTCOMES
from jiuzhu_decision.domain.authority import check_decider
from jiuzhu_decision.domain.re_review_outcome import ReReviewOutcome
from jiuzhu_decision.service_layer.support import SupportContext

NOTHING_PENDING_RULE = "D21 art. 31: only a completed re-review awaits the authority's decision"
# The changes that act on a proposal (the supported household's commands emit them).
ACTING = ("support_changed", "gradual_exit_started", "support_ended")
# Changes of amount decided on something other than the household's re-review: they leave its
# proposal pending (a January raise by the district's new standard, a member born or gone).
NOT_ON_THE_RE_REVIEW = frozenset({"standard_raise", "household_change"})


def acts_on_proposal(event_type: str, cause: str | None) -> bool:
    """A gradual exit or an end always settles the proposal; a change of amount does when it was
    decided on the household's facts (the re-review, or what opened it: a reported change, a death,
    a spot check, a petition), never a standard raise applied to every household alike."""
    return event_type != "support_changed" or (cause or "") not in NOT_ON_THE_RE_REVIEW


async def on_re_review_completed(ctx: SupportContext, env: Envelope, uow: UnitOfWork) -> None:
    p = env.payload
    await CaseStore(RE_REVIEW_OUTCOMES, uow.session).add(ReReviewOutcome(  # once: a redelivery adds nothing
        case_id=env.case_id, round=p.round, outcome=p.outcome.value, completed_on=p.completed_on,
        proposal=p.model_dump(mode="json")))


async def on_support_decided(ctx: SupportContext, env: Envelope, uow: UnitOfWork) -> None:
    """A change, a gradual exit or an end of the household's support decided while a proposal was
    pending: the proposal is acted on (not by a standard raise: ``acts_on_proposal``)."""
    p = env.payload
    cause = getattr(p, "cause", None)
    if not acts_on_proposal(env.event_type, getattr(cause, "value", cause)):
        return
    pending = await outcomes.pending_of(uow.session, env.case_id)
    if pending is None:
        return
    if env.event_type == "support_changed":
        await _reassessed(ctx, uow, env.case_id, pending.proposal)
    await CaseStore(RE_REVIEW_OUTCOMES, uow.session).save(pending.acted(
        getattr(p, "decided_on", None) or env.occurred_at.date(),
        {"event_id": env.event_id, "id": env.actor.id, "name": env.actor.name},
        {"event_type": env.event_type, "cause": str(getattr(p, "cause", "") or ""),
         "notice_no": getattr(p, "notice_no", None)}))


async def _reassessed(ctx: SupportContext, uow: UnitOfWork, case_id: str, proposal: dict) -> None:
    """特困: the amount changed on a re-review that re-assessed the tekun persons — the household now
    holds their new levels (T21 art. 23), from which the next standard raise computes."""
    persons = proposal.get("tekun_persons") or []
    if not persons:
        return
    store = ctx.store(uow)
    household = await store.get(case_id)
    if household is not None:
        await store.save(replace(household, tekun_levels=tuple(p["level"] for p in persons)))


def event_handlers(ctx: SupportContext, handlers_before: dict) -> dict:
    """These event types' handlers, each run after the one already registered for it."""

    def then(event_type: str, mine):
        before = handlers_before.get(event_type)

        async def handle(env, uow):
            if before is not None:
                await before(env, uow)
            await mine(ctx, env, uow)
        return handle

    return {"re_review_completed": then("re_review_completed", on_re_review_completed),
            **{t: then(t, on_support_decided) for t in ACTING}}


async def continue_support(ctx: SupportContext, case_id: str, reasons: tuple[str, ...], actor: Actor, *,
                           at_district: bool) -> dict:
    today = ctx.clock.today()
    async with ctx.case(case_id, actor) as case:  # the household, locked; recusal checked
        household = case.state
        household.ensure_on_support()
        check_decider(ctx.config, ctx.jurisdiction, household.category, today, caller_at_district=at_district)
        pending = await outcomes.pending_of(case.uow.session, case_id)
        if pending is None:
            raise DomainRefusal(f"户 {case_id} 没有待决定的核查结果 / no re-review of household {case_id} awaits "
                                f"a decision", rule=NOTHING_PENDING_RULE, status=409)
        await CaseStore(RE_REVIEW_OUTCOMES, case.uow.session).save(pending.continued(
            today, {"id": actor.id, "name": actor.name, "role": str(actor.role)}, reasons, household.amount_fen))
    return {"case_id": case_id, "round": pending.round, "status": "continued", "amount_fen": household.amount_fen}


async def listing(ctx: SupportContext, *, case_id: str | None = None, status: str | None = None,
                  limit: int = 1000) -> list[dict]:
    async with ctx.unit_of_work() as uow:
        return await outcomes.listing(uow.session, case_id=case_id, status=status, limit=limit)
