"""Commands the window gives the intake service (imperative, STYLE 3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events.discovery import AuthorisationDocument, ClosingReason, Difficulty

from jiuzhu_intake.domain.application import ApplicationContent
from jiuzhu_intake.domain.discovery import ReportedHousehold


@dataclass(frozen=True)
class SubmitApplication:
    content: ApplicationContent
    actor: Actor


@dataclass(frozen=True)
class ResubmitApplication:
    application_id: str
    content: ApplicationContent
    actor: Actor


@dataclass(frozen=True)
class WithdrawApplication:
    case_id: str
    reason: str
    actor: Actor


@dataclass(frozen=True)
class RegisterCloseRelative:
    staff_id: str
    staff_name: str
    relative_name: str
    relative_id_number: str
    relation: str
    actor: Actor


# --- active discovery (主动发现, plan 四(三)2; domain/discovery.py) -----------------------------------

@dataclass(frozen=True)
class ReportHouseholdInDifficulty:
    committee: str
    household: ReportedHousehold
    difficulties: tuple[Difficulty, ...]
    observed: str
    actor: Actor


@dataclass(frozen=True)
class ApplyOnBehalf:
    """代为申请: the clerk makes the application the report led to, with the household's authorisation."""

    report_no: str
    content: ApplicationContent
    signed_by: str
    signed_on: dt.date
    document: AuthorisationDocument
    note: str | None
    actor: Actor


@dataclass(frozen=True)
class CloseDiscoveryReport:
    report_no: str
    reason: ClosingReason
    note: str
    actor: Actor
