"""Commands of the verification service (imperative)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events.verification import AssetLine, IncomeLine
from jiuzhu_contracts.events.intake import Member

from jiuzhu_verification.domain.investigation import Appraisal, CheckReport, Opinion, Person


@dataclass(frozen=True)
class RecordHomeVisit:
    case_id: str
    visited_on: dt.date
    partner: Person  # the second investigator; the caller is the first
    living_conditions: str
    findings: str
    household_signed: bool
    actor: Actor


@dataclass(frozen=True)
class RecordHousehold:
    case_id: str
    members: tuple[Member, ...]
    incomes: tuple[IncomeLine, ...]
    assets: tuple[AssetLine, ...]
    facts: dict[str, str]
    actor: Actor
    tekun_persons: tuple = ()  # service_layer.tekun_persons.TekunPersonEntry, as entered


@dataclass(frozen=True)
class ReceiveCheckReport:
    report: CheckReport
    actor: Actor


@dataclass(frozen=True)
class MarkDisputed:
    case_id: str
    actor: Actor


@dataclass(frozen=True)
class RecordAppraisal:
    case_id: str
    appraisal: Appraisal
    actor: Actor


@dataclass(frozen=True)
class RecordRefusalToCooperate:
    case_id: str
    circumstances: str
    actor: Actor


@dataclass(frozen=True)
class SignReview:
    case_id: str
    opinion: Opinion
    actor: Actor


@dataclass(frozen=True)
class CompleteReinvestigation:
    case_id: str
    partner: Person
    objection_upheld: bool
    findings: str
    actor: Actor
