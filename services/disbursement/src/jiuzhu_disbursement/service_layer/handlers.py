"""Disbursement: the register of who is supported, monthly rosters, payments (plan 五(五))."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from jiuzhu_contracts.base import Category
from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events import PaymentConfirmed, RosterCompiled, RosterSubmitted
from jiuzhu_contracts.events.disbursement import CategoryTotal, PaymentLine
from jiuzhu_runtime.case_store import CaseStore
from jiuzhu_runtime.consumer import NotYet
from jiuzhu_kernel.input_limits import month_problem, refuse
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.stage_context import StageContext

from jiuzhu_disbursement.adapters import roster_headers, roster_sql
from jiuzhu_disbursement.adapters.roster_headers import ROSTERS
from jiuzhu_disbursement.adapters.roster_sql import NOT_PAID_CATEGORIES
from jiuzhu_disbursement.adapters.amount_history import AMOUNT_IN_MONTH, AMOUNT_JOIN
from jiuzhu_disbursement.adapters.tables import recipients
from jiuzhu_disbursement.service_layer.temporary_tranches import register_tranches
from jiuzhu_disbursement.domain.roster import describe, months
from jiuzhu_disbursement.domain.roster_header import RosterHeader

NO_DOUBLE_PAYMENT = "no household is paid twice for the same month and category (payment_claims primary key)"
CONFIRM_CHUNK = 1000


@dataclass
class Disbursement(StageContext):
    """The district's funds; its events carry the roster's scope as their jurisdiction."""


# --- the register ------------------------------------------------------------------------------

def event_handlers(ctx: Disbursement) -> dict:
    async def approved(env, uow):
        """Registered in the event's own span, so the case's trace shows disbursement's own work (a
        batched insert at the commit served many cases and belonged to none of their traces)."""
        p = env.payload
        await uow.session.execute(pg_insert(recipients).values(
            case_id=env.case_id, jurisdiction=env.jurisdiction, category=p.category.value, public_name=p.public_name,
            household_size=p.household_size, amount_fen=p.amount_fen, from_month=p.first_month_paid,
            payment_account=p.payment_account, approved_on=p.decided_on).on_conflict_do_nothing())
        await register_tranches(env, uow)  # temporary assistance: paid by one-off batches (issue 16 item 1)

    async def ended(env, uow):
        await uow.flush()  # an approval earlier in the same batch is registered first
        result = await uow.session.execute(update(recipients).where(recipients.c.case_id == env.case_id)
                                           .values(until_month=env.payload.last_month_paid))
        if result.rowcount == 0:
            raise NotYet(f"support_ended for {env.case_id} before its case_approved")

    return {"case_approved": approved, "support_ended": ended}


# --- rosters -----------------------------------------------------------------------------------

def summary(row: RosterHeader) -> dict:
    return {"roster_id": row.roster_id, "scope": row.scope, "month": row.month, "version": row.version,
            "status": row.status, "lines": row.lines, "totals": row.totals, "checksum": row.checksum,
            "difference": row.difference, "compiled_on": row.compiled_on, "submitted_on": row.submitted_on}


async def compile_roster(ctx: Disbursement, month: str, jurisdiction: str | None, actor: Actor) -> dict:
    """Compiling twice gives the same roster; a change makes a new version with its difference."""
    scope = jurisdiction or ctx.district
    if jurisdiction and jurisdiction not in {j.code for j in ctx.config.jurisdictions}:
        raise DomainRefusal(f"{jurisdiction} is not a jurisdiction of district {ctx.district}",
                            rule="a roster is compiled for one of the district's jurisdictions, or the district",
                            status=422, field="jurisdiction")
    today = ctx.clock.today()
    # A roster for a far month would put every active recipient's payment for it on a submission.
    refuse([month_problem("month", month, today=today, limits=ctx.config.limits)])
    async with ctx.unit_of_work() as uow:
        s = uow.session
        await s.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"roster:{scope}:{month}"})
        latest = await roster_headers.latest(s, scope, month)
        version = (latest.version + 1) if latest else 1
        rid = f"R-{scope}-{month}-v{version}"
        count = await roster_sql.insert_lines(s, rid, month, jurisdiction)
        checksum = await roster_sql.checksum(s, rid)
        if latest and latest.status != "submitted" and latest.checksum == checksum:
            await roster_sql.delete_lines(s, rid)
            return summary(latest) | {"unchanged": True}
        if latest and latest.status == "submitted" and count == 0:
            await roster_sql.delete_lines(s, rid)
            return summary(latest) | {"unchanged": True}
        totals = await roster_sql.totals(s, rid)
        difference = None
        if latest:
            counts, pairs = await roster_sql.difference_rows(s, latest.roster_id, rid, 1000)
            difference = counts | {"against": latest.roster_id, "lines": [describe(b, a) for b, a in pairs]}
            async with ctx.record(ROSTERS, latest.roster_id, uow=uow) as before:  # locked: not if submitted meanwhile
                before.state = before.state.superseded()
        uow.trace_cases(await roster_sql.cases_entering_rosters(s, rid), f"on roster {rid}", **{"jiuzhu.roster_id": rid})
        header = RosterHeader(roster_id=rid, scope=scope, month=month, version=version, lines=count, totals=totals,
                              checksum=checksum, compiled_on=today, difference=difference)
        await CaseStore(ROSTERS, s).add(header)
        await uow.emit(ctx.wrap(RosterCompiled(
            roster_id=rid, month=month, roster_jurisdiction=scope, roster_version=version, lines=count,
            totals=tuple(CategoryTotal(category=Category(c), households=v[0], amount_fen=v[1])
                         for c, v in totals.items()), checksum=checksum, compiled_on=today), jurisdiction=scope, actor=actor))
        return summary(header) | {"unchanged": False}


async def submit_roster(ctx: Disbursement, rid: str, actor: Actor) -> dict:
    today = ctx.clock.today()
    async with ctx.record(ROSTERS, rid, actor) as roster:  # locked; 404 if there is none
        submitted = roster.state.submitted(today)  # only the current compiled version
        s = roster.uow.session
        new_expected, new_made, carried_expected, carried_made = await roster_sql.claim(s, rid)
        if (new_expected, carried_expected) != (new_made, carried_made):
            clash = await roster_sql.conflicting(s, rid)
            raise DomainRefusal(f"{new_expected - new_made + carried_expected - carried_made} line(s) of {rid} "
                                "are already claimed by another submitted roster", rule=NO_DOUBLE_PAYMENT,
                                status=409, details={"conflicts": clash})
        roster.state = submitted
        # Emitted here, not by ``roster.emit``: disbursement's events carry the roster's scope as
        # their jurisdiction, which the case store's emit does not set.
        await roster.uow.emit(ctx.wrap(RosterSubmitted(roster_id=rid, roster_version=submitted.version,
                                                       month=submitted.month, checksum=submitted.checksum,
                                                       submitted_on=today), jurisdiction=submitted.scope, actor=actor))
        return summary(submitted)


async def confirm_payments(ctx: Disbursement, rid: str, *, all_status: str | None,
                           lines: list[tuple[str, str, str, str, str | None]] | None, actor: Actor) -> dict:
    today = ctx.clock.today()
    async with ctx.unit_of_work() as uow:
        s = uow.session
        row = await roster_headers.get(s, rid)  # not locked, as before: the claims serialise confirmations
        if row is None:
            raise DomainRefusal(f"no roster {rid}", rule="exists", status=404)
        row.ensure_confirmable()
        confirmed = await roster_sql.confirm(s, rid, lines, all_status)
        for start in range(0, len(confirmed), CONFIRM_CHUNK):
            chunk = confirmed[start:start + CONFIRM_CHUNK]
            await uow.emit(ctx.wrap(PaymentConfirmed(roster_id=rid, confirmed_on=today, lines=tuple(
                PaymentLine(case_id=c, category=Category(cat), month=m, amount_fen=int(a), status=st,
                            failure_reason=reason) for c, cat, m, a, st, reason in chunk)), jurisdiction=row.scope,
                actor=actor))
    return {"roster_id": rid, "confirmed": len(confirmed),
            "paid": sum(1 for c in confirmed if c[4] == "paid"), "failed": sum(1 for c in confirmed if c[4] == "failed")}


async def fund_plan(ctx: Disbursement, start: str, count: int) -> list[dict]:
    """Projected monthly need per category from the register (plan 四(一)3 资金需求计划): what is
    paid — a low-income household is registered, not paid (domain.roster.REGISTERED_ONLY_RULE)."""
    out = []
    async with ctx.unit_of_work() as uow:
        for month in months(start, count):
            rows = await uow.session.execute(text(
                f"SELECT r.category, count(*), coalesce(sum({AMOUNT_IN_MONTH}), 0) FROM recipients r {AMOUNT_JOIN} "
                f"WHERE r.category NOT IN ('temporary', {NOT_PAID_CATEGORIES}) AND {AMOUNT_IN_MONTH} > 0 "
                "AND r.from_month <= :month "
                "AND (r.until_month IS NULL OR r.until_month >= :month) "
                "GROUP BY r.category ORDER BY r.category"), {"month": month})
            out.append({"month": month, "categories": {r[0]: {"households": r[1], "amount_fen": int(r[2])}
                                                        for r in rows}})
    return out
