"""Composition root of the verification service."""

from __future__ import annotations

from pathlib import Path

from jiuzhu_runtime.service import ServiceKit
from jiuzhu_runtime.settings import ServiceSettings

from jiuzhu_verification.adapters.investigations import INVESTIGATIONS
from jiuzhu_verification.entrypoints import http, re_review_http
from jiuzhu_verification.service_layer import re_reviews
from jiuzhu_verification.service_layer.handlers import Verification, event_handlers

MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: ServiceSettings, **overrides) -> ServiceKit:
    kit = ServiceKit(settings, MIGRATIONS, title="jiuzhu 调查核对与审核 Verification", **overrides)
    if kit.jurisdiction is None:
        raise ValueError("verification runs once per jurisdiction: set JZ_JURISDICTION")
    ctx = Verification(config=kit.config, jurisdiction=kit.jurisdiction.code, calendar=kit.calendar,
                       clock=kit.clock, unit_of_work=kit.unit_of_work, cases=INVESTIGATIONS)
    kit.include(http.router(ctx, kit.access))
    kit.include(re_review_http.router(ctx, kit.access))
    investigation_handlers = event_handlers(ctx)
    kit.consume({**investigation_handlers, **re_reviews.event_handlers(ctx, investigation_handlers)})

    async def open_re_reviews(now):
        await re_reviews.open_fallen_due(ctx, now)

    kit.every_tick(open_re_reviews)
    return kit


def main() -> None:
    build(ServiceSettings()).run()
