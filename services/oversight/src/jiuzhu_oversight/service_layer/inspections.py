"""督查 (plan 六(二)): the bureau records a joint inspection, then its findings one by one; a finding
may order the jurisdiction to rectify at once (the same order as a spot check's, in the same unit
of work) and may be followed through to an accountability record (service_layer/accountability.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events import InspectionFindingRecorded, InspectionRecorded
from jiuzhu_kernel.input_limits import date_problem, refuse
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_oversight.adapters import inspection_register
from jiuzhu_oversight.adapters.inspection_register import INSPECTIONS
from jiuzhu_oversight.adapters.numbering import next_number
from jiuzhu_oversight.domain.inspections import (
    GROUP_RULE,
    RULE,
    Finding,
    FindingKind,
    Inspection,
    InspectionKind,
    Member,
    Severity,
    Staff,
    cases_problem,
    group_problem,
    inspection_no,
    period_problem,
    rectifiable,
)
from jiuzhu_oversight.service_layer import supervision
from jiuzhu_oversight.service_layer.context import Oversight


def _refuse(problem: str | None, *, rule: str, field: str) -> None:
    if problem:
        raise DomainRefusal(problem, rule=rule, status=422, field=field)


def jurisdiction_known(ctx: Oversight, code: str, field: str) -> None:
    try:
        ctx.config.jurisdiction(code)
    except KeyError:
        raise DomainRefusal(f"{code} 不是本区的街道（乡镇）/ {code} is not a jurisdiction of this district",
                            rule="exists", status=422, field=field) from None


async def record(ctx: Oversight, *, kind: InspectionKind, started_on: dt.date, ended_on: dt.date,
                 jurisdictions: tuple[str, ...], members: tuple[Member, ...], scope: str,
                 cases_checked: tuple[str, ...], files_checked: int, actor: Actor) -> Inspection:
    today = ctx.clock.today()
    limits = ctx.config.limits
    refuse([date_problem("started_on", started_on, today=today, limits=limits),
            date_problem("ended_on", ended_on, today=today, limits=limits)])
    _refuse(period_problem(started_on, ended_on), rule=RULE, field="ended_on")
    for code in jurisdictions:
        jurisdiction_known(ctx, code, "jurisdictions")
    _refuse(group_problem(members), rule=GROUP_RULE, field="members")
    _refuse(cases_problem(cases_checked, jurisdictions), rule=RULE, field="cases_checked")
    async with ctx.unit_of_work() as uow:
        number = inspection_no(ctx.district, today, await next_number(uow.session, "inspection", today.year))
        i = Inspection(number, kind, started_on, ended_on, jurisdictions, members, scope, cases_checked,
                       max(files_checked, len(cases_checked)), today)
        await inspection_register.store(uow.session).add(i)
        await uow.emit(ctx.wrap(InspectionRecorded(
            inspection_no=number, kind=kind.value, started_on=started_on, ended_on=ended_on,
            jurisdictions=jurisdictions, bodies=tuple(b.value for b in i.bodies), cases_checked=cases_checked,
            files_checked=i.files_checked), actor=actor))
        return i


async def add_finding(ctx: Oversight, number: str, *, jurisdiction: str, kind: FindingKind, severity: Severity,
                      text: str, concerning_case: str | None, staff: Staff | None, rectify: bool,
                      actor: Actor) -> tuple[Inspection, Finding]:
    """One finding; with ``rectify`` the jurisdiction is ordered in writing to rectify it within the
    configured working days (六(二): 书面限期进行整改) — the order and the finding commit together."""
    if rectify and not rectifiable(kind):
        raise DomainRefusal("工作作风、违规违纪问题追究个人责任，不下达整改通知 / a conduct finding is followed "
                            "through to accountability, not to a rectification order", rule=RULE, status=422,
                            field="rectify")
    today = ctx.clock.today()
    async with ctx.record(INSPECTIONS, number, actor) as inspection:
        finding = Finding(inspection.state.next_finding_no(), jurisdiction, kind, severity, text, today,
                          concerning_case=concerning_case, staff=staff)
        inspection.state.with_finding(finding)  # refused here, before any order is made
        if rectify:
            finding = replace(finding, rectification_order=await supervision.order_within(
                ctx, inspection.uow, jurisdiction=jurisdiction, case_id=concerning_case, kind=kind.value,
                findings=text, actor=actor))
        i = inspection.state = inspection.state.with_finding(finding)
        await inspection.uow.emit(ctx.wrap(InspectionFindingRecorded(
            inspection_no=number, finding_no=finding.finding_no, concerning_case=concerning_case, kind=kind.value,
            severity=severity.value, concerns_staff=staff is not None,
            rectification_order=finding.rectification_order), jurisdiction=jurisdiction, actor=actor))
    return i, finding


async def one(ctx: Oversight, number: str) -> Inspection:
    async with ctx.unit_of_work() as uow:
        return await inspection_register.one(uow.session, number)


async def listing(ctx: Oversight, *, jurisdiction: str | None, limit: int) -> list[Inspection]:
    async with ctx.unit_of_work() as uow:
        return await inspection_register.listing(uow.session, jurisdiction=jurisdiction, limit=limit)
