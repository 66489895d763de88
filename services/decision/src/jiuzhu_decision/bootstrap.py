"""Composition root of the decision service."""

from __future__ import annotations

from pathlib import Path

from jiuzhu_runtime.service import ServiceKit
from jiuzhu_runtime.settings import ServiceSettings

from jiuzhu_decision.adapters.cases import DECISION_CASES
from jiuzhu_decision.adapters.support_tables import SUPPORTED_HOUSEHOLDS
from jiuzhu_decision.entrypoints import http, re_review_http, support_http
from jiuzhu_decision.service_layer import re_review_outcomes, support
from jiuzhu_decision.service_layer.support import SupportContext
from jiuzhu_decision.service_layer.handlers import DecisionContext, announce_authority, event_handlers

MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: ServiceSettings, **overrides) -> ServiceKit:
    kit = ServiceKit(settings, MIGRATIONS, title="jiuzhu 审核确认 Decision", **overrides)
    if kit.jurisdiction is None:
        raise ValueError("decision runs once per jurisdiction: set JZ_JURISDICTION")
    ctx = DecisionContext(config=kit.config, jurisdiction=kit.jurisdiction.code, calendar=kit.calendar,
                          clock=kit.clock, unit_of_work=kit.unit_of_work, cases=DECISION_CASES)
    supported = SupportContext(config=kit.config, jurisdiction=kit.jurisdiction.code, calendar=kit.calendar,
                               clock=kit.clock, unit_of_work=kit.unit_of_work, cases=SUPPORTED_HOUSEHOLDS)
    kit.include(http.router(ctx, kit.access))
    kit.include(support_http.router(supported, kit.access))
    kit.include(re_review_http.router(supported, kit.access))
    handlers = {**event_handlers(ctx), **support.event_handlers(supported)}
    kit.consume({**handlers, **re_review_outcomes.event_handlers(supported, handlers)})
    kit.on_start(lambda: announce_authority(ctx))
    return kit


def main() -> None:
    build(ServiceSettings()).run()
