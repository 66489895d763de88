"""Composition root of the intake service: settings are read here, once, and everything is wired."""

from __future__ import annotations

from pathlib import Path

from jiuzhu_runtime.service import ServiceKit
from jiuzhu_runtime.settings import ServiceSettings

from jiuzhu_intake.adapters.intake_cases import INTAKE_CASES
from jiuzhu_intake.entrypoints import discovery_http, http
from jiuzhu_intake.entrypoints.documents import Documents
from jiuzhu_intake.service_layer import caseload
from jiuzhu_intake.service_layer.following import event_handlers
from jiuzhu_intake.service_layer.handlers import Intake

MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: ServiceSettings, **overrides) -> ServiceKit:
    kit = ServiceKit(settings, MIGRATIONS, title="jiuzhu 受理 Intake", **overrides)
    if kit.jurisdiction is None:
        raise ValueError("intake runs once per jurisdiction: set JZ_JURISDICTION")
    intake = Intake(config=kit.config, jurisdiction=kit.jurisdiction.code, calendar=kit.calendar, clock=kit.clock,
                    unit_of_work=kit.unit_of_work, cases=INTAKE_CASES)
    kit.include(http.router(intake, kit.access, Documents(kit.config, kit.jurisdiction.code)))
    kit.include(discovery_http.router(intake, kit.access))
    kit.consume(event_handlers(intake) | caseload.event_handlers(intake))
    return kit


def main() -> None:
    build(ServiceSettings()).run()
