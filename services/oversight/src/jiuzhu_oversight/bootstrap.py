"""Composition root of the oversight service (once per district; it approves nothing)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.dialects.postgresql import insert as pg_insert

from jiuzhu_runtime.dead_letters import dead_letter_loop
from jiuzhu_runtime.service import ServiceKit
from jiuzhu_runtime.settings import ServiceSettings

from jiuzhu_oversight.adapters.tables import dead_letters
from jiuzhu_oversight.entrypoints import http
from jiuzhu_oversight.service_layer import supervision
from jiuzhu_oversight.service_layer.context import Oversight
from jiuzhu_oversight.service_layer.follow import event_handlers

MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: ServiceSettings, **overrides) -> ServiceKit:
    kit = ServiceKit(settings, MIGRATIONS, title="jiuzhu 区民政局监督 Oversight", **overrides)
    if kit.jurisdiction is not None:
        raise ValueError("oversight runs once per district: leave JZ_JURISDICTION unset")
    ctx = Oversight(config=kit.config, calendar=kit.calendar, clock=kit.clock, unit_of_work=kit.unit_of_work)
    kit.include(http.router(ctx, kit.access))
    kit.consume(event_handlers(ctx))

    async def record(seq: int, consumer: str, subject: str, reason: str, body: bytes) -> None:
        async with kit.unit_of_work() as uow:
            await uow.session.execute(pg_insert(dead_letters).values(
                dlq_seq=seq, consumer=consumer, original_subject=subject, reason=reason, body=body)
                .on_conflict_do_nothing())

    kit.add_loop(dead_letter_loop(prefix=settings.bus_prefix, district=kit.district,
                                  durable=f"{kit.name}-dead-letters", record=record))

    async def supervise(now):
        await supervision.raise_breaches(ctx, now)
        await supervision.escalate_rectifications(ctx, now)
        await supervision.auto_draw(ctx, now)

    kit.every_tick(supervise)
    return kit


def main() -> None:
    build(ServiceSettings()).run()
