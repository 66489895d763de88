"""One-off payment batches (临时救助一次性发放; L18 §2(四), plan 五(五); issue 16 item 1): the bureau
issues a batch of every tranche payable by today and not yet paid (a failed one is carried again),
finance confirms it line by line or in bulk, and a case whose every tranche is paid is closed
(``temporary_assistance_paid``). A tranche is claimed once (``tranche_claims`` primary key): a
batch issued again, twice at once, or confirmed again pays nothing twice."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select, text, update

from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events.temporary import BatchLine as BatchLineOut
from jiuzhu_contracts.events.temporary import OneOffBatchConfirmed, OneOffBatchIssued, TemporaryAssistancePaid
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.case_store import CaseStore
from jiuzhu_runtime.stage_context import StageContext

from jiuzhu_disbursement.adapters import one_off_batch_headers as headers
from jiuzhu_disbursement.adapters.one_off_batch_headers import ONE_OFF_BATCHES
from jiuzhu_disbursement.adapters.one_off_tables import one_off_batch_lines, temporary_tranches, tranche_claims
from jiuzhu_disbursement.domain.one_off_batch import (
    NOTHING_PAYABLE_RULE,
    ONE_PAYMENT_RULE,
    BatchLine,
    OneOffBatch,
    batch_id,
    checksum,
    paid_in_full,
)

PAYABLE = text("""
SELECT t.case_id, t.tranche, t.jurisdiction, t.amount_fen, t.public_name, t.payment_account,
       c.status = 'failed' AS carried
  FROM temporary_tranches t LEFT JOIN tranche_claims c ON c.case_id = t.case_id AND c.tranche = t.tranche
 WHERE t.payable_on <= :today AND (c.case_id IS NULL OR c.status = 'failed')
   AND (CAST(:scope_jurisdiction AS text) IS NULL OR t.jurisdiction = CAST(:scope_jurisdiction AS text))
 ORDER BY t.jurisdiction, t.case_id, t.tranche""")


def summary(row: OneOffBatch) -> dict:
    return {"batch_id": row.batch_id, "scope": row.scope, "issued_on": row.issued_on, "status": row.status,
            "lines": row.lines, "total_fen": row.total_fen, "checksum": row.checksum}


async def issue_batch(ctx: StageContext, jurisdiction: str | None, actor: Actor) -> dict:
    scope = jurisdiction or ctx.district
    if jurisdiction and jurisdiction not in {j.code for j in ctx.config.jurisdictions}:
        raise DomainRefusal(f"{jurisdiction} is not a jurisdiction of district {ctx.district}",
                            rule="a batch is issued for one of the district's jurisdictions, or the district",
                            status=422, field="jurisdiction")
    today = ctx.clock.today()
    async with ctx.unit_of_work() as uow:
        s = uow.session
        await s.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"one-off:{scope}"})
        rows = (await s.execute(PAYABLE, {"today": today, "scope_jurisdiction": jurisdiction})).all()
        if not rows:
            raise DomainRefusal(f"截至{today}没有应发的临时救助 / no tranche of temporary assistance is payable in "
                                f"{scope} by {today}",
                                rule=NOTHING_PAYABLE_RULE, status=409)
        issued_today = await headers.issued_on(s, scope, today)
        bid = batch_id(scope, today, issued_today + 1)
        lines = [BatchLine(r.jurisdiction, r.case_id, r.tranche, int(r.amount_fen), r.public_name,
                           r.payment_account, bool(r.carried)) for r in rows]
        new = [l for l in lines if not l.carried]
        carried = [l for l in lines if l.carried]
        made = 0
        if new:
            made = (await s.execute(text(
                "INSERT INTO tranche_claims (case_id, tranche, amount_fen, batch_id, status) "
                "SELECT * FROM unnest(CAST(:cases AS text[]), CAST(:tranches AS int[]), CAST(:amounts AS bigint[]), "
                "CAST(:batches AS text[]), CAST(:statuses AS text[])) ON CONFLICT DO NOTHING"),
                {"cases": [l.case_id for l in new], "tranches": [l.tranche for l in new],
                 "amounts": [l.amount_fen for l in new], "batches": [bid] * len(new),
                 "statuses": ["submitted"] * len(new)})).rowcount
        moved = 0
        for l in carried:
            moved += (await s.execute(update(tranche_claims).where(
                tranche_claims.c.case_id == l.case_id, tranche_claims.c.tranche == l.tranche,
                tranche_claims.c.status == "failed").values(status="submitted", batch_id=bid,
                                                            failure_reason=None))).rowcount
        if (made, moved) != (len(new), len(carried)):
            raise DomainRefusal(f"有{len(new) - made + len(carried) - moved}笔已由其他批次报送 / "
                                f"{len(new) - made + len(carried) - moved} tranche(s) are already claimed by another "
                                "batch", rule=ONE_PAYMENT_RULE, status=409)
        await s.execute(one_off_batch_lines.insert(), [
            {"batch_id": bid, "case_id": l.case_id, "tranche": l.tranche, "jurisdiction": l.jurisdiction,
             "amount_fen": l.amount_fen, "name": l.name, "account": l.account, "carried": l.carried} for l in lines])
        total = sum(l.amount_fen for l in lines)
        digest = checksum(lines)
        issued = OneOffBatch(batch_id=bid, scope=scope, issued_on=today, lines=len(lines), total_fen=total,
                             checksum=digest)
        await CaseStore(ONE_OFF_BATCHES, s).add(issued)
        await uow.emit(ctx.wrap(OneOffBatchIssued(
            batch_id=bid, batch_jurisdiction=scope, issued_on=today, total_fen=total, checksum=digest,
            lines=tuple(BatchLineOut(case_id=l.case_id, jurisdiction=l.jurisdiction, tranche=l.tranche,
                                     amount_fen=l.amount_fen) for l in lines)), jurisdiction=ctx.district, actor=actor))
        return summary(issued)


async def confirm_batch(ctx: StageContext, bid: str, *, all_status: str | None,
                        lines: list[tuple[str, int, str, str | None]] | None, actor: Actor) -> dict:
    """Finance's confirmation. A line already confirmed is not confirmed again (a retry pays nothing)."""
    today = ctx.clock.today()
    async with ctx.record(ONE_OFF_BATCHES, bid, actor) as batch:  # locked; 404 if there is none
        uow = batch.uow
        s = uow.session
        claims = tranche_claims.c
        pending = (claims.batch_id == bid) & (claims.status == "submitted")
        confirmed = []
        returning = (claims.case_id, claims.tranche, claims.amount_fen, claims.status, claims.failure_reason)
        if all_status:
            confirmed = (await s.execute(update(tranche_claims).where(pending).values(status=all_status)
                                         .returning(*returning))).all()
        for case_id, tranche, status, reason in lines or []:
            row = (await s.execute(update(tranche_claims).where(pending, claims.case_id == case_id,
                                                               claims.tranche == tranche)
                                   .values(status=status, failure_reason=reason).returning(*returning))).first()
            if row:
                confirmed.append(row)
        if confirmed:
            where = {(r.case_id, r.tranche): r for r in (await s.execute(select(
                temporary_tranches.c.case_id, temporary_tranches.c.tranche, temporary_tranches.c.jurisdiction,
                temporary_tranches.c.tranches).where(temporary_tranches.c.case_id.in_({c.case_id for c in confirmed}))
            )).all()}
            await uow.emit(ctx.wrap(OneOffBatchConfirmed(batch_id=bid, confirmed_on=today, lines=tuple(
                BatchLineOut(case_id=c.case_id, jurisdiction=where[(c.case_id, c.tranche)].jurisdiction,
                             tranche=c.tranche, amount_fen=int(c.amount_fen), status=c.status,
                             failure_reason=c.failure_reason) for c in confirmed)), jurisdiction=ctx.district,
                actor=actor))
            await _close_cases_paid_in_full(ctx, uow, {c.case_id for c in confirmed if c.status == "paid"}, where,
                                            today, actor)
        left = (await s.execute(select(func.count()).select_from(tranche_claims).where(pending))).scalar_one()
        if left == 0:
            batch.state = batch.state.confirmed()  # saved only if it was not already
    return {"batch_id": bid, "confirmed": len(confirmed), "paid": sum(c.status == "paid" for c in confirmed),
            "failed": sum(c.status == "failed" for c in confirmed), "status": "confirmed" if left == 0 else "issued"}


async def _close_cases_paid_in_full(ctx, uow, case_ids: set[str], where: dict, today, actor: Actor) -> None:
    """A case is paid in full when its last tranche is: it happens once, as a paid claim is final."""
    if not case_ids:
        return
    paid = defaultdict(list)
    for r in (await uow.session.execute(select(tranche_claims).where(
            tranche_claims.c.case_id.in_(case_ids), tranche_claims.c.status == "paid"))).all():
        paid[r.case_id].append(r)
    for case_id in sorted(case_ids):
        first = next(v for k, v in where.items() if k[0] == case_id)
        if paid_in_full(first.tranches, len(paid[case_id])):
            await uow.emit(ctx.wrap(TemporaryAssistancePaid(
                paid_on=today, amount_fen=sum(int(r.amount_fen) for r in paid[case_id]), tranches=first.tranches,
                batches=tuple(sorted({r.batch_id for r in paid[case_id]}))), case_id=case_id,
                jurisdiction=first.jurisdiction, actor=actor))


async def batches(ctx: StageContext, status: str | None, limit: int) -> list[dict]:
    async with ctx.unit_of_work() as uow:
        return [summary(b) for b in await headers.newest_first(uow.session, status, limit)]


async def batch(ctx: StageContext, bid: str) -> dict:
    """A batch with its lines and where each stands now (a carried line's claim may have moved on)."""
    async with ctx.unit_of_work() as uow:
        s = uow.session
        row = await CaseStore(ONE_OFF_BATCHES, s).get(bid, lock=False)
        if row is None:
            raise DomainRefusal(f"no one-off batch {bid}", rule="exists", status=404)
        l, c = one_off_batch_lines.c, tranche_claims.c
        lines = (await s.execute(select(l.case_id, l.tranche, l.jurisdiction, l.amount_fen, l.name, l.carried,
                                        c.status, c.failure_reason, c.batch_id.label("claimed_by"))
                                 .join(tranche_claims, (c.case_id == l.case_id) & (c.tranche == l.tranche))
                                 .where(l.batch_id == bid).order_by(l.jurisdiction, l.case_id, l.tranche))).all()
    return summary(row) | {"lines_detail": [
        {"case_id": r.case_id, "tranche": r.tranche, "jurisdiction": r.jurisdiction, "amount_fen": int(r.amount_fen),
         "name": r.name, "carried": r.carried,
         # A line failed here and carried into a later batch shows as failed here.
         "status": r.status if r.claimed_by == bid else "failed", "failure_reason": r.failure_reason}
        for r in lines]}


async def accounts(ctx: StageContext, bid: str) -> dict[tuple[str, int], str]:
    """The accounts a batch pays to (internal: finance's file only, never an event or a list)."""
    async with ctx.unit_of_work() as uow:
        rows = (await uow.session.execute(select(one_off_batch_lines.c.case_id, one_off_batch_lines.c.tranche,
                                                 one_off_batch_lines.c.account)
                                          .where(one_off_batch_lines.c.batch_id == bid))).all()
    return {(r.case_id, r.tranche): r.account for r in rows}
