"""Composition root of the decision service."""

from __future__ import annotations

from pathlib import Path

from jiuzhu_runtime.service import ServiceKit
from jiuzhu_runtime.settings import ServiceSettings

from jiuzhu_decision.adapters.cases import DECISION_CASES
from jiuzhu_decision.adapters.support_tables import SUPPORTED_HOUSEHOLDS
from jiuzhu_decision.adapters.transfer_tables import INCOMING_TRANSFERS
from jiuzhu_decision.entrypoints import assist_first_http
from jiuzhu_decision.entrypoints import (household_http, http, import_http, re_review_http, support_changes_http,
                                         support_http)
from jiuzhu_decision.service_layer import household_transfers, re_review_outcomes, support
from jiuzhu_decision.service_layer.support import SupportContext
from jiuzhu_decision.service_layer.support_changes import end_finished_gradual_exits
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
    kit.include(assist_first_http.router(ctx, kit.access))  # 先行救助 (issue 16 item 1)
    kit.include(import_http.router(supported, kit.access))  # before /supported-households/{case_id}
    kit.include(support_http.router(supported, kit.access))
    kit.include(support_changes_http.router(supported, kit.access))
    kit.include(re_review_http.router(supported, kit.access))

    async def gradual_exits_over(now):
        await end_finished_gradual_exits(supported, now)

    kit.every_tick(gradual_exits_over)
    handlers = {**event_handlers(ctx), **support.event_handlers(supported)}
    kit.consume({**handlers, **re_review_outcomes.event_handlers(supported, handlers)})
    kit.on_start(lambda: announce_authority(ctx))
    # A household moving between jurisdictions (issue 15 item 6): its own router, and one consumer
    # per cross-jurisdiction event type (jiuzhu_contracts.cross_jurisdiction).
    transfers = household_transfers.TransferContext(config=kit.config, jurisdiction=kit.jurisdiction.code,
                                                    calendar=kit.calendar, clock=kit.clock,
                                                    unit_of_work=kit.unit_of_work, cases=INCOMING_TRANSFERS)
    kit.include(household_http.router(supported, transfers, kit.access))
    household_transfers.consume_across_jurisdictions(kit, supported, transfers)
    return kit


def main() -> None:
    build(ServiceSettings()).run()
