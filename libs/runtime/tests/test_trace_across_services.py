"""One trace spans a message from one service to another: HTTP-side span → outbox → relay's
publish → the other service's consumer → its SQL."""

import asyncio
from pathlib import Path

from opentelemetry.trace import SpanKind

from jiuzhu_contracts.examples import EXAMPLES, envelope
from jiuzhu_runtime import migrate
from jiuzhu_runtime.service import ServiceKit
from jiuzhu_runtime.settings import ServiceSettings

from .conftest import eventually

ROOT = Path(__file__).resolve().parents[3]
MIGRATIONS = ROOT / "services" / "intake" / "src" / "jiuzhu_intake" / "migrations"


def kit(infrastructure, prefix, service, jurisdiction) -> ServiceKit:
    settings = ServiceSettings(service=service, district_config=ROOT / "config" / "urho.toml",
                               jurisdiction=jurisdiction, database_url=infrastructure.database(service),
                               nats_url=infrastructure.nats_url, bus_prefix=prefix,
                               jwt_secret="x" * 32, otel_exporter="memory")
    return ServiceKit(settings, MIGRATIONS, title=service)


async def test_one_trace_from_producer_to_consumer(infrastructure, prefix):
    producer = kit(infrastructure, prefix, "intake", "650205001")
    consumer = kit(infrastructure, prefix, "verification", "650205001")
    for k in (producer, consumer):
        await asyncio.to_thread(migrate.upgrade, k.settings.database_url, MIGRATIONS)

    handled = []

    async def on_accepted(env, uow):
        from sqlalchemy import text

        await uow.session.execute(text("SELECT 1"))
        handled.append(env.event_id)

    consumer.consume({"application_accepted": on_accepted})
    await producer.start()
    await consumer.start()
    try:
        tracer = producer.tracer_provider.get_tracer("test")
        with tracer.start_as_current_span("POST /applications") as root:
            async with producer.unit_of_work() as uow:
                await uow.emit(envelope(EXAMPLES[2]))
        trace_id = root.get_span_context().trace_id
        await eventually(lambda: handled)
        await eventually(lambda: any(s.name.startswith("SELECT") or "SELECT" in s.name
                                     for s in consumer.spans.get_finished_spans()))
    finally:
        await consumer.stop()
        await producer.stop()

    produced = [s for s in producer.spans.get_finished_spans() if s.kind == SpanKind.PRODUCER]
    consumed = [s for s in consumer.spans.get_finished_spans() if s.kind == SpanKind.CONSUMER]
    assert produced and consumed
    assert all(s.context.trace_id == trace_id for s in produced)
    assert any(s.context.trace_id == trace_id for s in consumed)
    sql = [s for s in consumer.spans.get_finished_spans() if s.attributes.get("db.system") == "postgresql"
           or s.attributes.get("db.system.name") == "postgresql"]
    assert any(s.context.trace_id == trace_id for s in sql), [s.name for s in consumer.spans.get_finished_spans()]
