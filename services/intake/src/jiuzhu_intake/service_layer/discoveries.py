"""Active discovery (主动发现, plan 四(三)2): a committee's report, and its follow-up by the window —
an application made on the household's behalf through the window's own application path, in the
same unit of work as the report it follows up (both or neither), or the report closed with a reason."""

from __future__ import annotations

import dataclasses
import datetime as dt

from jiuzhu_contracts.base import Role, Signer
from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events.discovery import DiscoveryFollowedUp, HouseholdInDifficultyReported, OnBehalf
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.case_store import CaseStore, UnknownCase, open_case

from jiuzhu_intake.adapters.discovery_reports import DISCOVERY_REPORTS, list_reports
from jiuzhu_intake.adapters.repository import IntakeRepository
from jiuzhu_intake.domain.discovery import FOLLOW_UP_RULE, DiscoveryReport, Reporter, authorised
from jiuzhu_intake.service_layer.commands import (
    ApplyOnBehalf,
    CloseDiscoveryReport,
    ReportHouseholdInDifficulty,
    SubmitApplication,
)
from jiuzhu_intake.service_layer.handlers import Intake, Outcome, check_form, submit_in

CHANNEL = "discovery"  # ApplicationSubmitted.channel: 主动发现后由街道代为申请


def reporter(actor: Actor) -> Reporter:
    return Reporter(id=actor.id, name=actor.name, role=str(actor.role))


def signer(person: Reporter) -> Signer:
    return Signer(id=person.id, name=person.name, role=Role(person.role))


def _check_committee(intake: Intake, committee: str) -> None:
    committees = intake.config.jurisdiction(intake.jurisdiction).committees
    if committees and committee not in committees:
        raise DomainRefusal("not a committee of this jurisdiction", status=422, field="committee",
                            rule=f"须为本辖区的居（村）委会：{'、'.join(committees)} / "
                                 f"must be a committee of this jurisdiction: {', '.join(committees)}")


async def report_household(intake: Intake, cmd: ReportHouseholdInDifficulty) -> DiscoveryReport:
    """主动发现报告: registered with the follow-up's due date (the configured working days)."""
    _check_committee(intake, cmd.committee)
    today = intake.clock.today()
    days = intake.config.deadline("discovery_follow_up", jurisdiction=intake.jurisdiction)
    due = intake.due("discovery_follow_up", today, days, FOLLOW_UP_RULE.format(n=days))
    async with intake.unit_of_work() as uow:
        number = await IntakeRepository(uow.session).next_number(f"discovery-{today.year}")
        report = DiscoveryReport(
            case_id=f"{intake.jurisdiction}-FX-{today.year}-{number:05d}", committee=cmd.committee,
            reported_on=today, household=cmd.household, difficulties=cmd.difficulties, observed=cmd.observed.strip(),
            reported_by=reporter(cmd.actor), follow_up_due=due)
        await CaseStore(DISCOVERY_REPORTS, uow.session).add(report)
        await uow.emit(intake.wrap(HouseholdInDifficultyReported(
            report_no=report.report_no, committee=report.committee, reported_on=today,
            difficulties=report.difficulties, observed=report.observed,
            household_size=report.household.household_size, reported_by=signer(report.reported_by),
            follow_up_due=due), case_id=report.report_no, actor=cmd.actor))
    return report


async def apply_on_behalf(intake: Intake, cmd: ApplyOnBehalf) -> tuple[DiscoveryReport, Outcome]:
    """代为申请: the application, through the window's own path (accepted, or sent back with the
    one-time notice), marked as made on the household's behalf with its authorisation; the report
    followed up in the same transaction."""
    check_form(intake, cmd.content)
    today = intake.clock.today()
    authorisation = authorised(cmd.signed_by, cmd.signed_on, cmd.document, cmd.content.members, today)
    async with open_case(intake, DISCOVERY_REPORTS, cmd.report_no, cmd.actor) as case:
        report: DiscoveryReport = case.state
        content = dataclasses.replace(cmd.content, channel=CHANNEL, on_behalf=OnBehalf(
            report_no=report.report_no, committee=report.committee, authorisation=authorisation))
        report.ensure_open()  # before anything is submitted
        by = reporter(cmd.actor)
        outcome = await submit_in(intake, case.uow, SubmitApplication(content, cmd.actor))
        case.state = report.application_made(on=today, by=by, application_id=outcome.application_id,
                                             case_id=outcome.case_id, authorisation=authorisation, note=cmd.note)
        await case.emit(DiscoveryFollowedUp(
            report_no=report.report_no, followed_up_on=today, on_time=report.on_time(today),
            outcome=case.state.outcome, application_id=outcome.application_id, case_id=outcome.case_id,
            authorisation=authorisation, note=cmd.note, followed_up_by=signer(by)))
        return case.state, outcome


async def close_report(intake: Intake, cmd: CloseDiscoveryReport) -> DiscoveryReport:
    today = intake.clock.today()
    async with open_case(intake, DISCOVERY_REPORTS, cmd.report_no, cmd.actor) as case:
        report: DiscoveryReport = case.state
        by = reporter(cmd.actor)
        case.state = report.closed(on=today, by=by, reason=cmd.reason, note=cmd.note)
        await case.emit(DiscoveryFollowedUp(
            report_no=report.report_no, followed_up_on=today, on_time=report.on_time(today),
            outcome=case.state.outcome, closing_reason=cmd.reason, note=case.state.note,
            followed_up_by=signer(by)))
        return case.state


async def reports(intake: Intake, status: str | None, limit: int, offset: int) -> list[DiscoveryReport]:
    async with intake.unit_of_work() as uow:
        return await list_reports(uow.session, status, limit, offset)


async def report(intake: Intake, report_no: str) -> DiscoveryReport:
    async with intake.unit_of_work() as uow:
        found = await CaseStore(DISCOVERY_REPORTS, uow.session).get(report_no, lock=False)
    if found is None:
        raise UnknownCase(report_no, DISCOVERY_REPORTS.held)
    return found


def working_days_left(intake: Intake, due_on: dt.date, today: dt.date) -> int:
    """Negative: working days overdue."""
    return intake.calendar.between(today, due_on) if due_on >= today else -intake.calendar.between(due_on, today)
