"""Composition root of the publicity service."""

from __future__ import annotations

from pathlib import Path

from jiuzhu_runtime.service import ServiceKit
from jiuzhu_runtime.settings import ServiceSettings

from jiuzhu_publicity.entrypoints import http
from jiuzhu_publicity.service_layer import caseload, household_changes
from jiuzhu_publicity.service_layer.handlers import Publicity, close_ended_windows, event_handlers

MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: ServiceSettings, **overrides) -> ServiceKit:
    kit = ServiceKit(settings, MIGRATIONS, title="jiuzhu 公示 Publicity", **overrides)
    if kit.jurisdiction is None:
        raise ValueError("publicity runs once per jurisdiction: set JZ_JURISDICTION")
    ctx = Publicity(config=kit.config, jurisdiction=kit.jurisdiction.code, calendar=kit.calendar, clock=kit.clock,
                    unit_of_work=kit.unit_of_work)
    kit.include(http.router(ctx, kit.access))
    kit.consume(event_handlers(ctx) | caseload.event_handlers(ctx) | household_changes.event_handlers(ctx))

    async def close_windows(now):
        await close_ended_windows(ctx, now)

    kit.every_tick(close_windows)

    async def show_due_amounts(now):
        await caseload.show_due_amounts(ctx, now)

    kit.every_tick(show_due_amounts)
    return kit


def main() -> None:
    build(ServiceSettings()).run()
