"""追责 (plan 六(二)): the bureau records who answers for a breach, a spot check's fault, an
inspection finding, a petition or a rectification order, by which procedure and with what measure;
a referral's outcome is entered when the body it went to has decided."""

from __future__ import annotations

import datetime as dt

from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events import AccountabilityConcluded, AccountabilityRecorded
from jiuzhu_contracts.events.oversight import SpotCheckFindings
from jiuzhu_kernel.input_limits import date_problem, refuse
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_oversight.adapters import (
    accountability_bases,
    accountability_register,
    inspection_register,
    petition_register,
)
from jiuzhu_oversight.adapters.accountability_register import ACCOUNTABILITY
from jiuzhu_oversight.adapters.numbering import next_number
from jiuzhu_oversight.domain.accountability import (
    AUTHORITY_RULE,
    RULE,
    Accountability,
    Basis,
    Measure,
    Person,
    Procedure,
    basis_problem,
    measure_problem,
    record_no,
)
from jiuzhu_oversight.domain.inspections import inspection_of
from jiuzhu_oversight.domain.rectification import faults
from jiuzhu_oversight.service_layer.context import Oversight


def _no_basis(message: str) -> DomainRefusal:
    return DomainRefusal(message, rule=RULE + "（追责须有所依据的违规事项）", status=422, field="basis_ref")


async def _basis(session, basis: Basis, ref: str) -> tuple[str | None, str | None]:
    """The jurisdiction and the case the basis concerns; refused when it is not there, or is not a
    fault (a clock met on time, a spot check that found nothing wrong)."""
    if basis is Basis.BREACH:
        clock = await accountability_bases.breached_clock(session, ref)
        if clock is None:
            raise _no_basis(f"没有由事件 {ref} 开始的办理时限 / no clock opened by event {ref}")
        if clock.breached_on is None:
            raise _no_basis(f"案件 {clock.case_id} 的{clock.clock}时限未超时 / that clock was not breached")
        return clock.jurisdiction, clock.case_id
    if basis is Basis.SPOT_CHECK:
        check = await accountability_bases.spot_check(session, ref)
        if check is None or check.completed_on is None:
            raise _no_basis(f"案件 {ref} 没有已完成的备案抽查 / no completed spot check of {ref}")
        if not faults(SpotCheckFindings.model_validate(check.findings)):
            raise _no_basis(f"案件 {ref} 的备案抽查未发现问题 / the spot check of {ref} found no fault")
        return check.jurisdiction, ref
    if basis is Basis.INSPECTION_FINDING:
        inspection = await inspection_register.get(session, inspection_of(ref))
        finding = inspection.finding(ref) if inspection else None
        if finding is None:
            raise _no_basis(f"没有督查问题 {ref} / no inspection finding {ref}")
        return finding.jurisdiction, finding.concerning_case
    if basis is Basis.PETITION:
        petition = await petition_register.get(session, ref)
        if petition is None:
            raise _no_basis(f"没有信访件 {ref} / no petition {ref}")
        case = petition.concerning_case
        return petition.jurisdiction or (case.split("-", 1)[0] if case else None), case
    order = await accountability_bases.rectification(session, ref)
    if order is None:
        raise _no_basis(f"没有整改通知 {ref} / no rectification order {ref}")
    return order.jurisdiction, order.concerning_case


def _jurisdiction_or_district(ctx: Oversight, code: str) -> None:
    if code == ctx.district:
        return
    try:
        ctx.config.jurisdiction(code)
    except KeyError:
        raise DomainRefusal(f"{code} 不是本区或本区的街道（乡镇）/ {code} is neither the district nor one of its "
                            "jurisdictions", rule="exists", status=422, field="jurisdiction") from None


async def record(ctx: Oversight, *, basis: Basis, basis_ref: str, jurisdiction: str, person: Person, facts: str,
                 procedure: Procedure, measure: Measure | None, decided_on: dt.date | None, decided_by: str,
                 notes: str, actor: Actor) -> Accountability:
    today = ctx.clock.today()
    _jurisdiction_or_district(ctx, jurisdiction)
    if problem := measure_problem(procedure, measure):
        raise DomainRefusal(problem, rule=AUTHORITY_RULE, status=422, field="measure")
    if measure is not None:
        decided_on = decided_on or today
        refuse([date_problem("decided_on", decided_on, today=today, limits=ctx.config.limits)])
    async with ctx.unit_of_work() as uow:
        where, case = await _basis(uow.session, basis, basis_ref)
        if problem := basis_problem(where, jurisdiction, ctx.district):
            raise DomainRefusal(problem, rule=RULE + "（追究所在街道（乡镇）工作人员的责任）", status=422,
                                field="jurisdiction")
        number = record_no(ctx.district, today, await next_number(uow.session, "accountability", today.year))
        a = Accountability(number, basis, basis_ref, jurisdiction, person, facts, procedure, today, actor.id,
                           measure=measure, decided_on=decided_on if measure else None,
                           decided_by=decided_by if measure else "", concerning_case=case, notes=notes)
        await accountability_register.store(uow.session).add(a)
        await uow.emit(ctx.wrap(AccountabilityRecorded(
            record_no=number, basis=basis.value, basis_ref=basis_ref, concerning_jurisdiction=jurisdiction,
            recorded_on=today, record_sha256=a.sha256()), actor=actor))
        return a


async def conclude(ctx: Oversight, number: str, *, measure: Measure, decided_on: dt.date, decided_by: str,
                   notes: str, actor: Actor) -> Accountability:
    """The outcome of a referral: the measure the employer, the commission or the court decided."""
    today = ctx.clock.today()
    refuse([date_problem("decided_on", decided_on, today=today, limits=ctx.config.limits)])
    async with ctx.record(ACCOUNTABILITY, number, actor) as record:
        a = record.state = record.state.concluded(measure, decided_on, decided_by, notes)
        await record.uow.emit(ctx.wrap(AccountabilityConcluded(record_no=number, concluded_on=today,
                                                               record_sha256=a.sha256()), actor=actor))
    return a


async def one(ctx: Oversight, number: str) -> Accountability:
    async with ctx.unit_of_work() as uow:
        return await accountability_register.one(uow.session, number)


async def listing(ctx: Oversight, *, jurisdiction: str | None, person: str | None, limit: int) -> list[Accountability]:
    async with ctx.unit_of_work() as uow:
        return await accountability_register.listing(uow.session, jurisdiction=jurisdiction, person=person,
                                                      limit=limit)


async def on_findings(ctx: Oversight, finding_nos: list[str]) -> dict[str, list[str]]:
    """The records resting on each of these findings (an inspection's view links to them)."""
    if not finding_nos:
        return {}
    async with ctx.unit_of_work() as uow:
        found = await accountability_register.listing(uow.session, jurisdiction=None, person=None,
                                                      basis_refs=finding_nos, limit=5000)
    out: dict[str, list[str]] = {}
    for a in found:
        if a.basis is Basis.INSPECTION_FINDING:
            out.setdefault(a.basis_ref, []).append(a.record_no)
    return out
