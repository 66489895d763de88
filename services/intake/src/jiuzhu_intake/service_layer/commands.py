"""Commands the window gives the intake service (imperative, STYLE 3)."""

from __future__ import annotations

from dataclasses import dataclass

from jiuzhu_contracts.envelope import Actor

from jiuzhu_intake.domain.application import ApplicationContent


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
