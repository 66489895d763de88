"""Composition root of the disbursement service (once per district)."""

from __future__ import annotations

from pathlib import Path

from jiuzhu_runtime.service import ServiceKit
from jiuzhu_runtime.settings import ServiceSettings

from jiuzhu_disbursement.entrypoints import fund_plan_http, http, one_off_http
from jiuzhu_disbursement.service_layer import caseload, household_changes
from jiuzhu_disbursement.service_layer.handlers import Disbursement, event_handlers

MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: ServiceSettings, **overrides) -> ServiceKit:
    kit = ServiceKit(settings, MIGRATIONS, title="jiuzhu 资金发放 Disbursement", **overrides)
    if kit.jurisdiction is not None:
        raise ValueError("disbursement runs once per district: leave JZ_JURISDICTION unset")
    ctx = Disbursement(config=kit.config, clock=kit.clock, unit_of_work=kit.unit_of_work)
    kit.include(http.router(ctx, kit.access))
    kit.include(fund_plan_http.router(ctx, kit.access))
    kit.include(one_off_http.router(ctx, kit.access))  # temporary assistance outside the roster (issue 16)
    kit.consume(event_handlers(ctx) | caseload.event_handlers(ctx) | household_changes.event_handlers(ctx))
    return kit


def main() -> None:
    build(ServiceSettings()).run()
