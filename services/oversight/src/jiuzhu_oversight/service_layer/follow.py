"""Oversight follows every event of every jurisdiction: the audit trail, the register, the clocks,
the filings and the beneficiary index — all in the event's one unit of work."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import case, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from jiuzhu_contracts import EVENT_TYPES, Envelope, encode
from jiuzhu_contracts.base import Due
from jiuzhu_contracts.events import AuditCheckpointRecorded, DuplicateBeneficiaryDetected
from jiuzhu_runtime.consumer import NotYet
from jiuzhu_runtime.unit_of_work import UnitOfWork

from jiuzhu_oversight.adapters.tables import alerts, audit_log, beneficiaries, clocks, filings, register
from jiuzhu_oversight.domain.audit_chain import GENESIS, chain_hash
from jiuzhu_oversight.domain.clocks import CANCELLERS, CLOSERS, INELIGIBLE_REVIEW_CLOCK, OPENERS, closes, responsible
from jiuzhu_oversight.service_layer.context import Oversight

AUDIT_LOCK = 7_020_205  # serialises appends to the hash chain
DECISION_RULE = "乌尔禾区工作方案 五(三): 审核不符合条件的，{n}个工作日内作出决定"

STAGE = {"application_accepted": "investigating", "home_visit_recorded": "under_review",
         "review_signed": "reviewed", "publicity_opened": "in_publicity", "publicity_closed": "awaiting_decision",
         "reinvestigation_opened": "reinvestigating", "case_approved": "approved", "case_refused": "refused",
         "application_withdrawn": "withdrawn", "application_deemed_withdrawn": "deemed_withdrawn",
         "support_ended": "ended"}
CLOSED_STAGES = ("refused", "withdrawn", "deemed_withdrawn", "ended")


def id_hash(number: str) -> str:
    return hashlib.sha256(number.encode()).hexdigest()


async def append_audit(uow: UnitOfWork, env: Envelope, category: str | None) -> None:
    """Append to the hash chain. The head is read once per transaction, under the lock that keeps
    a second writer out, and then followed in memory (``uow.memo`` is cleared by any rollback)."""
    session = uow.session
    previous = uow.memo.get("audit_head")
    if previous is None:
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK})
        previous = (await session.execute(select(audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1))
                    ).scalar() or GENESIS
    body = json.loads(encode(env))
    entry_hash = chain_hash(previous, body)
    await session.execute(insert(audit_log).values(
        event_id=env.event_id, case_id=env.case_id, jurisdiction=env.jurisdiction, category=category,
        event_type=env.event_type, occurred_at=env.occurred_at, body=body, prev_hash=previous, hash=entry_hash))
    uow.memo["audit_head"] = entry_hash


async def follow(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    session = uow.session
    p = env.payload
    category = getattr(p, "category", None)
    category = category.value if hasattr(category, "value") else category
    if env.case_id:
        category = await _register(env, uow) or category
        await _clocks(ctx, env, uow)
    await append_audit(uow, env, category)
    if env.case_id and env.event_type == "case_filed":
        await session.execute(pg_insert(filings).values(
            case_id=env.case_id, jurisdiction=env.jurisdiction, month=p.filed_on.strftime("%Y-%m"),
            record=json.loads(p.model_dump_json())).on_conflict_do_nothing())
    await _beneficiaries(ctx, env, uow)


async def _register(env: Envelope, uow: UnitOfWork) -> str | None:
    """Bring the case's register row up to this event; returns the case's category."""
    p, t = env.payload, env.event_type
    session = uow.session
    if t == "application_accepted":
        await session.execute(pg_insert(register).values(
            case_id=env.case_id, jurisdiction=env.jurisdiction, category=p.category.value, stage="investigating",
            applicant_name=p.applicant_name, committee=p.committee, accepted_on=p.accepted_on,
            close_relative=p.close_relative is not None).on_conflict_do_nothing())
        return p.category.value
    values: dict[str, Any] = {}
    if t in STAGE:
        # A late event never reopens a closed case's stage (only the end of support follows one).
        values["stage"] = (STAGE[t] if t == "support_ended" else
                           case((register.c.stage.in_(CLOSED_STAGES), register.c.stage), else_=STAGE[t]))
    if t == "home_visit_recorded":
        values["visited_on"] = p.visited_on
    elif t == "review_signed":
        values["reviewed_on"] = p.signed_on
    elif t == "objection_raised":
        values["objections"] = register.c.objections + 1
    elif t == "case_approved":
        values |= {"decided_on": p.decided_on, "amount_fen": p.amount_fen, "first_month_paid": p.first_month_paid}
    elif t == "case_refused":
        values["decided_on"] = p.decided_on
    elif t == "support_ended":
        values["ended"] = True
    elif t == "close_relative_flagged":  # registered after acceptance: always drawn for a spot check
        values["close_relative"] = True
    if not values:
        return (await session.execute(select(register.c.category).where(register.c.case_id == env.case_id))).scalar()
    updated = (await session.execute(update(register).where(register.c.case_id == env.case_id).values(**values)
                                     .returning(register.c.category))).first()
    if updated is None:
        raise NotYet(f"{t} for {env.case_id} before its application_accepted")
    return updated.category


async def _clocks(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    session, t, p = uow.session, env.event_type, env.payload
    today = ctx.clock.today()
    if t in CANCELLERS:
        await session.execute(update(clocks).where(clocks.c.case_id == env.case_id, clocks.c.state == "open")
                              .values(state="cancelled", met_on=today))
        return
    # Satisfy open clocks first (an event may close one clock and open the next).
    open_rows = (await session.execute(select(clocks).where(clocks.c.case_id == env.case_id, clocks.c.state == "open")
                                       .with_for_update())).all() if t in CLOSERS else []
    for row in open_rows:
        if t in row.closed_by:
            seen = sorted(set(row.seen) | {t})
            met = closes(frozenset(row.closed_by), set(seen), row.closes_when)
            await session.execute(update(clocks).where(clocks.c.id == row.id).values(
                seen=seen, state="met" if met else "open", met_on=today if met else None))
    spec = OPENERS.get(t)
    due: Due | None = getattr(p, spec.due_field) if spec else None
    if t == "review_signed" and not p.eligible:
        spec = INELIGIBLE_REVIEW_CLOCK
        days = ctx.config.deadline("decision", jurisdiction=env.jurisdiction, category=p.category)
        due = ctx.due("decision", p.signed_on, days, DECISION_RULE.format(n=days))
    if spec is None or due is None:
        return
    people: tuple[str, ...] = ()
    if t == "case_refused":
        people = (p.signer.id,)
    await session.execute(pg_insert(clocks).values(
        case_id=env.case_id, jurisdiction=env.jurisdiction, clock=spec.name, due_on=due.due_on,
        provisional=due.provisional, starts_after=due.starts_after, working_days=due.working_days, rule=due.rule,
        opened_by_event=env.event_id, closed_by=sorted(spec.closed_by),
        closes_when=spec.closes_when,
        responsible=list(responsible(spec.responsible_role, env.jurisdiction, people))).on_conflict_do_nothing())


async def _beneficiaries(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """The same resident in open or active cases of two jurisdictions raises an alert (issue 6)."""
    session, t = uow.session, env.event_type
    if t == "application_accepted":
        hashes = list(dict.fromkeys(id_hash(member.id_number) for member in env.payload.members))
        await session.execute(pg_insert(beneficiaries).values(
            [{"id_hash": h, "case_id": env.case_id, "jurisdiction": env.jurisdiction} for h in hashes])
            .on_conflict_do_nothing())
        elsewhere: dict[str, list] = {}
        for other in (await session.execute(select(beneficiaries).where(
                beneficiaries.c.id_hash.in_(hashes), beneficiaries.c.open.is_(True),
                beneficiaries.c.jurisdiction != env.jurisdiction))).all():
            elsewhere.setdefault(other.id_hash, []).append(other)
        for h in hashes:
            others = elsewhere.get(h)
            if not others:
                continue
            cases = sorted({env.case_id, *(o.case_id for o in others)})
            jurisdictions = sorted({env.jurisdiction, *(o.jurisdiction for o in others)})
            new = await session.execute(pg_insert(alerts).values(id_hash=h, cases=cases, jurisdictions=jurisdictions)
                                        .on_conflict_do_nothing().returning(alerts.c.id))
            if new.first():
                await uow.emit(ctx.wrap(DuplicateBeneficiaryDetected(id_number_hash=h, cases=tuple(cases),
                                                                      jurisdictions=tuple(jurisdictions)),
                                        jurisdiction=ctx.district, caused_by=env))
    elif t in ("case_refused", "application_withdrawn", "application_deemed_withdrawn", "support_ended"):
        await session.execute(update(beneficiaries).where(beneficiaries.c.case_id == env.case_id).values(open=False))


def event_handlers(ctx: Oversight) -> dict:
    async def handler(env, uow):
        await follow(ctx, env, uow)

    # Oversight's own checkpoints describe the chain; appended to it they would vouch for
    # themselves (service_layer/audit.py). Without a handler they are acknowledged and left out.
    return {event_type: handler for event_type in EVENT_TYPES if event_type != AuditCheckpointRecorded.event_type}


async def count(session, table, *where) -> int:
    return (await session.execute(select(func.count()).select_from(table).where(*where))).scalar_one()
