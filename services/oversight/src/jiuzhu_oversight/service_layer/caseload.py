"""Oversight follows the standing caseload (issue 15; domain/caseload.py): the register marks an
imported household, every decision on a supported household is filed, the written notices'
clocks open and are met by their delivery; a household moved to another jurisdiction is registered
there, and the index of residents follows the household's members.

``also`` runs these in front of the handlers of the same event types (service_layer/handlers.py:
the register's stage, the clocks they close, the audit chain), in the same unit of work. Dated by
the events, never by the clock."""

from __future__ import annotations

import datetime as dt
import json

from jiuzhu_contracts import Envelope
from jiuzhu_contracts.events import DuplicateBeneficiaryDetected
from jiuzhu_runtime.consumer import NotYet
from jiuzhu_runtime.unit_of_work import UnitOfWork

from jiuzhu_oversight.adapters import beneficiary_index, caseload_register
from jiuzhu_oversight.domain.beneficiaries import duplicates, residents
from jiuzhu_oversight.domain.caseload import NOTICE_CLOCK, filing_record
from jiuzhu_oversight.domain.clocks import responsible
from jiuzhu_oversight.service_layer.context import Oversight
from jiuzhu_oversight.service_layer.handlers import event_day


async def _file(ctx: Oversight, env: Envelope, uow: UnitOfWork, day: dt.date) -> None:
    record = filing_record(env.event_type, json.loads(env.payload.model_dump_json()))
    await caseload_register.file(uow.session, event_id=env.event_id, case_id=env.case_id,
                                 jurisdiction=env.jurisdiction, month=day.strftime("%Y-%m"), kind=env.event_type,
                                 record=record)


async def _decided(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """A decision on a supported household: filed in the month it was decided; its written notice
    (none for a standard raise) starts the notice clock, owed by the one who signed."""
    p = env.payload
    if not env.case_id:
        return  # none of ours: a decision is always about a household
    if not await caseload_register.registered(uow.session, env.case_id):
        raise NotYet(f"{env.event_type} for {env.case_id} before the household is in the register")
    await _file(ctx, env, uow, p.decided_on or event_day(ctx, env))
    if p.notice_no and p.notice_due:
        await caseload_register.open_notice_clock(
            uow.session, notice_no=p.notice_no, case_id=env.case_id, jurisdiction=env.jurisdiction,
            spec=NOTICE_CLOCK, due=p.notice_due, opened_by_event=env.event_id,
            responsible=responsible(NOTICE_CLOCK.responsible_role, env.jurisdiction, (p.signer.id,)))


async def recipient_migrated(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """In the register as supported, marked migrated with its source; no procedure clock. Its
    residents join the index: one already in an open case of another jurisdiction, or applying
    there later, raises the alert (issue 6)."""
    p = env.payload
    if not env.case_id:
        return
    await caseload_register.register_migrated(
        uow.session, case_id=env.case_id, jurisdiction=env.jurisdiction, category=p.category.value,
        applicant_name=p.public_name, committee=p.committee, accepted_on=p.approved_on, decided_on=p.approved_on,
        amount_fen=p.amount_fen, first_month_paid=p.first_month_paid,
        migrated=json.loads(p.source.model_dump_json()) | {"imported_by": p.imported_by.id})
    await _index(ctx, env, uow, residents(m.id_number for m in p.members))
    await _file(ctx, env, uow, event_day(ctx, env))


async def _index(ctx: Oversight, env: Envelope, uow: UnitOfWork, hashes: list[str],
                 leaving: str | None = None) -> None:
    """The residents join the index under the event's case (``leaving``: the case they move from
    leaves it first, under the same locks); each one open in another jurisdiction's case raises the
    alert (issue 6)."""
    await beneficiary_index.add(uow.session, env.case_id, env.jurisdiction, hashes)
    if leaving:
        await beneficiary_index.close_case(uow.session, leaving)
    elsewhere = await beneficiary_index.open_elsewhere(uow.session, hashes, env.jurisdiction)
    for duplicate in duplicates(env.case_id, env.jurisdiction, hashes, elsewhere):
        if await beneficiary_index.raise_alert(uow.session, duplicate):
            await uow.emit(ctx.wrap(DuplicateBeneficiaryDetected(id_number_hash=duplicate.id_hash,
                                                                  cases=duplicate.cases,
                                                                  jurisdictions=duplicate.jurisdictions),
                                    jurisdiction=ctx.district, caused_by=env))


async def household_transfer_accepted(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """Jurisdiction B took on a household of A (issue 15 item 6): B's new case is in the register as
    supported from its first month paid there, linked both ways with A's case, and its residents
    move to it in the index — the move is not a double assistance (A's support ends the month
    before B's first), but a resident open in a third case still raises the alert."""
    p = env.payload
    if not env.case_id:
        return
    if not await caseload_register.registered(uow.session, p.from_case_id):
        raise NotYet(f"{env.event_type} of {p.from_case_id} before that household is in the register")
    await caseload_register.link_moved(
        uow.session, p.from_case_id, env.case_id, jurisdiction=env.jurisdiction, category=p.category.value,
        applicant_name=p.public_name, committee=p.committee, accepted_on=p.accepted_on, decided_on=p.accepted_on,
        amount_fen=p.amount_fen, first_month_paid=p.first_month_paid,
        moved_from={"jurisdiction": p.from_jurisdiction, "case_id": p.from_case_id, "transfer_id": p.transfer_id})
    hashes = residents(p.member_id_numbers) or await beneficiary_index.open_of(uow.session, p.from_case_id)
    await _index(ctx, env, uow, hashes, leaving=p.from_case_id)


async def household_changed(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    """Members added join the index (one open in another jurisdiction's case raises the alert),
    members removed leave it; a new committee is the register's."""
    p = env.payload
    if not env.case_id:
        return
    if not await caseload_register.registered(uow.session, env.case_id):
        raise NotYet(f"{env.event_type} for {env.case_id} before the household is in the register")
    await beneficiary_index.leave(uow.session, env.case_id, residents(m.id_number for m in p.members_removed))
    added = residents(m.member.id_number for m in p.members_added)
    await _index(ctx, env, uow, added)
    await beneficiary_index.rejoin(uow.session, env.case_id, added)
    if p.committee:
        await caseload_register.set_committee(uow.session, env.case_id, p.committee)


async def support_changed(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    await _decided(ctx, env, uow)
    await caseload_register.set_amount(uow.session, env.case_id, env.payload.amount_fen)


async def support_notice_delivered(ctx: Oversight, env: Envelope, uow: UnitOfWork) -> None:
    p = env.payload
    await caseload_register.deliver(uow.session, notice_no=p.notice_no, case_id=env.case_id,
                                    delivered_on=p.delivered_on, received_by=p.received_by, seen=env.event_type)


HANDLERS = {"recipient_migrated": recipient_migrated, "support_changed": support_changed,
            "gradual_exit_started": _decided, "support_ended": _decided,
            "support_notice_delivered": support_notice_delivered,
            "household_transfer_accepted": household_transfer_accepted, "household_changed": household_changed}


def also(ctx: Oversight, handlers: dict) -> dict:
    """``handlers`` with the caseload's work done first, in the same unit of work, for its event
    types."""
    def both(caseload, then):
        async def handler(env, uow):
            await caseload(ctx, env, uow)
            await then(env, uow)
        return handler

    return handlers | {t: both(fn, handlers[t]) for t, fn in HANDLERS.items() if t in handlers}
