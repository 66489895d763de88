"""A supported household moving to another jurisdiction of the district (issue 15 item 6): the
case is handed over when the receiving jurisdiction accepts it.

    A: POST /supported-households/{case}/transfer  ─▶ household_transfer_requested   (A's subject)
    B: consumes it (its "-transfers-in" consumer)  ─▶ an incoming transfer, waiting for B's decider
    B: POST /transfers/{id}/acceptance             ─▶ household_transfer_accepted    (B's subject,
                                                       B's new case: on support from its first month)
    A: consumes it ("-transfers-accepted")         ─▶ support_ended, cause moved_out, last month =
                                                       the month before B's first
    B: POST /transfers/{id}/refusal                ─▶ household_transfer_refused; A consumes it
                                                       ("-transfers-refused"): stays on support in A

Who may: on each side whoever holds the authority for that jurisdiction and category on the date
(``check_decider``: the leader where devolved, the district bureau where not). Each jurisdiction
publishes only on its own subjects; the cross-jurisdiction consumers are
``jiuzhu_contracts.cross_jurisdiction`` (and the NATS permissions derived from it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiuzhu_contracts.base import ApprovingBody, Area, Category, Signer
from jiuzhu_contracts.cross_jurisdiction import cross_jurisdiction_consumers
from jiuzhu_contracts.envelope import SYSTEM_ACTOR, Actor
from jiuzhu_contracts.events import SupportEnded
from jiuzhu_contracts.events.household import (
    HouseholdTransferAccepted,
    HouseholdTransferRefused,
    HouseholdTransferRequested,
)
from jiuzhu_contracts.events.support import ChangeCause
from jiuzhu_kernel.input_limits import month_of, month_problem, refuse
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.case_store import CaseStore, UnknownCase
from jiuzhu_runtime.stage_context import StageContext

from jiuzhu_decision.adapters.support_tables import SUPPORTED_HOUSEHOLDS
from jiuzhu_decision.adapters.transfer_tables import incoming_transfers
from jiuzhu_decision.domain.authority import check_decider
from jiuzhu_decision.domain.household_changes import (
    COMMITTEE_RULE,
    FIRST_MONTH_RULE,
    HouseholdLink,
    IncomingTransfer,
    PendingTransfer,
    TransferStatus,
    check_target,
    earliest_first_month,
    next_month,
    transfer_id_for,
)
from jiuzhu_decision.domain.supported_household import AmountFrom, SupportedHousehold
from jiuzhu_decision.service_layer.support import SupportContext


@dataclass
class TransferContext(StageContext):
    """The incoming transfers of this jurisdiction (``cases``: INCOMING_TRANSFERS)."""


def _signer(actor: Actor) -> Signer:
    return Signer(id=actor.id, name=actor.name, role=actor.role)


def _decider(ctx: StageContext, category: Category, today: dt.date, at_district: bool) -> ApprovingBody:
    return ApprovingBody(check_decider(ctx.config, ctx.jurisdiction, category, today,
                                       caller_at_district=at_district).body)


# --- A: the household moves away ------------------------------------------------------------------

async def request_transfer(ctx: SupportContext, case_id: str, *, to_jurisdiction: str, address: str,
                           from_month: str | None, reasons: tuple[str, ...], actor: Actor,
                           at_district: bool) -> PendingTransfer:
    today = ctx.clock.today()
    check_target(ctx.jurisdiction, to_jurisdiction, {j.code for j in ctx.config.jurisdictions})
    earliest = next_month(month_of(today))
    month = from_month or earliest
    refuse([month_problem("from_month", month, today=today, limits=ctx.config.limits, not_before=earliest,
                          not_before_zh="下月", not_before_en=f"next month ({FIRST_MONTH_RULE})")])
    async with ctx.case(case_id, actor) as case:
        h: SupportedHousehold = case.state
        body = _decider(ctx, h.category, today, at_district)
        transfer = PendingTransfer(transfer_id=transfer_id_for(case_id, h.transfers_asked + 1),
                                   to_jurisdiction=to_jurisdiction, address=address, from_month=month,
                                   requested_on=today, reasons=reasons, signer=_signer(actor), body=body.value)
        case.state = h.transfer_requested(transfer)
        await case.emit(HouseholdTransferRequested(
            transfer_id=transfer.transfer_id, to_jurisdiction=to_jurisdiction, category=h.category, area=h.area,
            address=address, public_name=h.public_name, household_size=h.household_size,
            member_id_numbers=h.member_id_numbers, payment_account=h.payment_account,
            amount_fen=h.amount_in(month) or h.amount_fen, monthly_income_fen=h.monthly_income_fen,
            approved_on=h.approved_on, from_month=month, requested_on=today, reasons=reasons, approving_body=body,
            signer=transfer.signer))
        return transfer


def sending_handlers(ctx: SupportContext) -> dict:
    """A's side: the answers of every jurisdiction, kept where they answer one of A's households."""

    async def accepted(env, uow):
        p: HouseholdTransferAccepted = env.payload
        if p.from_jurisdiction != ctx.jurisdiction:
            return
        async with ctx.case(p.from_case_id, uow=uow, caused_by=env) as case:
            h: SupportedHousehold = case.state
            if h.transfer is None or h.transfer.transfer_id != p.transfer_id:
                return  # answered already (a redelivery after the state was saved)
            asked = h.transfer
            case.state = h.moved_out(HouseholdLink(env.jurisdiction, env.case_id, p.transfer_id), p.first_month_paid)
            last = case.state.last_month_paid
            await case.emit(SupportEnded(
                category=h.category, last_month_paid=last, signer=asked.signer, cause=ChangeCause.MOVED_OUT.value,
                decided_on=asked.requested_on, approving_body=ApprovingBody(asked.body),
                reasons=(f"全户迁往 {env.jurisdiction}，由其自{p.first_month_paid}起保障（{env.case_id}）/ the household "
                         f"moved to {env.jurisdiction}, supported there from {p.first_month_paid} as {env.case_id}",)
                + asked.reasons), actor=SYSTEM_ACTOR)

    async def refused(env, uow):
        p: HouseholdTransferRefused = env.payload
        if p.from_jurisdiction != ctx.jurisdiction:
            return
        async with ctx.case(env.case_id, uow=uow, caused_by=env) as case:
            case.state = case.state.transfer_refused(p.transfer_id)

    return {"household_transfer_accepted": accepted, "household_transfer_refused": refused}


# --- B: a household asks to move here ------------------------------------------------------------

def receiving_handlers(ctx: TransferContext) -> dict:

    async def requested(env, uow):
        p: HouseholdTransferRequested = env.payload
        if p.to_jurisdiction != ctx.jurisdiction:
            return
        await ctx.store(uow).add(IncomingTransfer(
            case_id=p.transfer_id, from_jurisdiction=env.jurisdiction, from_case_id=env.case_id,
            category=p.category, area=p.area, address=p.address, public_name=p.public_name,
            household_size=p.household_size, member_id_numbers=p.member_id_numbers,
            payment_account=p.payment_account, amount_fen=p.amount_fen, monthly_income_fen=p.monthly_income_fen,
            approved_on=p.approved_on, from_month=p.from_month, requested_on=p.requested_on, reasons=p.reasons,
            requested_by=p.signer))

    return {"household_transfer_requested": requested}


async def accept_transfer(ctx: TransferContext, transfer_id: str, *, committee: str, first_month_paid: str | None,
                          address: str | None, area: Area | None, actor: Actor, at_district: bool) -> SupportedHousehold:
    """B takes the household on: a new supported household here, from its first month paid."""
    today = ctx.clock.today()
    if committee not in ctx.config.jurisdiction(ctx.jurisdiction).committees:
        raise DomainRefusal(f"{committee} 不是本辖区的居（村）委会 / {committee} is not a committee of this jurisdiction",
                            rule=COMMITTEE_RULE, status=422, field="committee")
    async with ctx.case(transfer_id, actor) as case:
        t: IncomingTransfer = case.state
        body = _decider(ctx, t.category, today, at_district)
        if (area or t.area) is None:
            raise DomainRefusal("迁出地未记载城乡类别，接收时须填写 area（城市/农村）/ the sending jurisdiction did not know "
                                "the household's area: give it on acceptance", rule="城乡保障标准分别确定 (the district file's [[standards]] by area)",
                                status=422, field="area")
        month = first_month_paid or earliest_first_month(t.from_month, today)
        refuse([month_problem("first_month_paid", month, today=today, limits=ctx.config.limits)])
        case.state = t.accepted(committee=committee, first_month_paid=month, on=today, by=_signer(actor),
                                jurisdiction=ctx.jurisdiction)
        household = SupportedHousehold(
            case_id=case.state.new_case_id, category=t.category, area=area or t.area, committee=committee,
            public_name=t.public_name, household_size=t.household_size, member_id_numbers=t.member_id_numbers,
            payment_account=t.payment_account, approved_on=t.approved_on,
            amounts=(AmountFrom(month, t.amount_fen),), address=address or t.address,
            monthly_income_fen=t.monthly_income_fen,
            moved_from=HouseholdLink(t.from_jurisdiction, t.from_case_id, transfer_id))
        await CaseStore(SUPPORTED_HOUSEHOLDS, case.uow.session).add(household)
        await case.uow.emit(ctx.wrap(HouseholdTransferAccepted(
            transfer_id=transfer_id, from_jurisdiction=t.from_jurisdiction, from_case_id=t.from_case_id,
            category=t.category, area=household.area, committee=committee, address=household.address,
            public_name=t.public_name, household_size=t.household_size, member_id_numbers=t.member_id_numbers,
            payment_account=t.payment_account, amount_fen=t.amount_fen, first_month_paid=month, accepted_on=today, approving_body=body,
            signer=_signer(actor)), case_id=household.case_id, actor=actor))
        return household


async def refuse_transfer(ctx: TransferContext, transfer_id: str, *, reasons: tuple[str, ...], actor: Actor,
                          at_district: bool) -> IncomingTransfer:
    today = ctx.clock.today()
    async with ctx.case(transfer_id, actor) as case:
        t: IncomingTransfer = case.state
        body = _decider(ctx, t.category, today, at_district)
        case.state = t.refused(reasons=reasons, on=today, by=_signer(actor))
        await case.uow.emit(ctx.wrap(HouseholdTransferRefused(
            transfer_id=transfer_id, from_jurisdiction=t.from_jurisdiction, category=t.category, refused_on=today,
            reasons=reasons, approving_body=body, signer=_signer(actor)), case_id=t.from_case_id, actor=actor))
        return case.state


def consume_across_jurisdictions(kit, households: SupportContext, transfers: TransferContext) -> None:
    """One durable consumer per cross-jurisdiction event type, as the NATS permissions allow."""
    handlers = sending_handlers(households) | receiving_handlers(transfers)
    for suffix, event_type, subject in cross_jurisdiction_consumers("decision", kit.district, kit.settings.bus_prefix):
        kit.consume({event_type: handlers[event_type]}, suffix=suffix, subject=subject)


async def incoming(ctx: TransferContext, *, status: TransferStatus | None, limit: int) -> list[IncomingTransfer]:
    t = incoming_transfers
    async with ctx.unit_of_work() as uow:
        return await ctx.store(uow).where(*([t.c.status == status.value] if status else []),
                                          order_by=(t.c.requested_on, t.c.case_id), limit=limit)


async def transfer(ctx: TransferContext, transfer_id: str) -> IncomingTransfer:
    async with ctx.unit_of_work() as uow:
        found = await ctx.store(uow).get(transfer_id, lock=False)
    if found is None:
        raise UnknownCase(transfer_id, "asked to move here")
    return found
