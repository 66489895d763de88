"""Composition root of the oversight service (once per district; it approves nothing)."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from jiuzhu_contracts.subjects import jurisdiction_events
from jiuzhu_runtime.dead_letters import dead_letter_loop
from jiuzhu_runtime.service import ServiceKit
from jiuzhu_runtime.settings import ServiceSettings

from jiuzhu_oversight.adapters.stream_reader import EventStreamReader
from jiuzhu_oversight.entrypoints import alerts as alerts_http
from jiuzhu_oversight.entrypoints import audit as audit_http
from jiuzhu_oversight.entrypoints import calendar as calendar_http
from jiuzhu_oversight.entrypoints import accountability_http, caseload_http, http, inspections_http, petitions_http
from jiuzhu_oversight.service_layer import audit, calendar, caseload, dead_letters, petitions, supervision
from jiuzhu_oversight.service_layer.context import Oversight
from jiuzhu_oversight.service_layer.handlers import event_handlers

MIGRATIONS = Path(__file__).parent / "migrations"


class AuditSettings(BaseSettings):
    """When the audit chain's head is checkpointed on the events stream (docs/foundation.md)."""

    model_config = SettingsConfigDict(env_prefix="JZ_AUDIT_", extra="ignore")

    checkpoint_every_entries: int = Field(100, ge=1, description="A checkpoint after this many new entries.")
    checkpoint_every_minutes: float = Field(60, gt=0, description="…or after this long, if the chain moved.")
    verify_stream_seconds: float = Field(60, gt=0, description="Time bound of each read of the stream.")


def build(settings: ServiceSettings, *, audit_settings: AuditSettings | None = None, **overrides) -> ServiceKit:
    kit = ServiceKit(settings, MIGRATIONS, title="jiuzhu 区民政局监督 Oversight", **overrides)
    if kit.jurisdiction is not None:
        raise ValueError("oversight runs once per district: leave JZ_JURISDICTION unset")
    ctx = Oversight(config=kit.config, calendar=kit.calendar, clock=kit.clock, unit_of_work=kit.unit_of_work)
    audit_settings = audit_settings or AuditSettings()
    stream = EventStreamReader(jetstream=lambda: kit.broker.connection.jetstream(), prefix=settings.bus_prefix,
                               district=kit.district, consumer=kit.name, verifier=kit.verifier,
                               within=audit_settings.verify_stream_seconds)
    kit.include(http.router(ctx, kit.access))
    kit.include(audit_http.router(ctx, kit.access, stream))
    kit.include(alerts_http.router(ctx, kit.access))
    kit.include(calendar_http.router(ctx, kit.access))
    kit.include(petitions_http.router(ctx, kit.access))
    kit.include(caseload_http.router(ctx, kit.access))
    kit.include(inspections_http.router(ctx, kit.access))
    kit.include(accountability_http.router(ctx, kit.access))
    handlers = caseload.also(ctx, event_handlers(ctx))
    # A consumer per jurisdiction, and one for the district's own events, as the operator provisioned
    # them (jiuzhu_contracts.consumers: created after what its one consumer of the whole district,
    # before issue 14, had acknowledged; its claims are theirs, ``claim_as``).
    for chain in audit.chains(ctx):
        kit.consume(handlers, subject=jurisdiction_events(kit.district, chain, settings.bus_prefix),
                    suffix=f"-{chain}", claim_as=kit.name)

    kit.add_loop(dead_letter_loop(prefix=settings.bus_prefix, district=kit.district,
                                  durable=f"{kit.name}-dead-letters", record=partial(dead_letters.record, ctx)))

    async def supervise(now):
        await calendar.sweep_provisional(ctx, now)  # before breaches: a clock that follows the calendar
        await supervision.raise_breaches(ctx, now)
        await supervision.escalate_rectifications(ctx, now)
        await petitions.escalate_overdue(ctx, now)
        await supervision.auto_draw(ctx, now)

    kit.every_tick(supervise)

    policy = audit.CheckpointPolicy(every_entries=audit_settings.checkpoint_every_entries,
                                    every=dt.timedelta(minutes=audit_settings.checkpoint_every_minutes))

    async def checkpoint(now):
        await audit.checkpoint_if_due(ctx, now, policy)

    kit.every_tick(checkpoint)
    return kit


def main() -> None:
    build(ServiceSettings()).run()
