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
                               nats_url=infrastructure.nats_url, bus_prefix=prefix, otel_exporter="memory",
                               **{k[3:].lower(): v for k, v in infrastructure.credentials.service_env(
                                   f"{service}-{jurisdiction}").items()})
    return ServiceKit(settings, MIGRATIONS, title=service)


async def producer_and_consumer(infrastructure, prefix, on_accepted) -> tuple[ServiceKit, ServiceKit]:
    """Two services of one jurisdiction, started; the second applies ``application_accepted``."""
    from jiuzhu_contracts.consumers import instance_consumers
    from jiuzhu_kernel.district_config import load_district_config
    from jiuzhu_runtime.streams import provision

    nc = await infrastructure.connect()  # the operator: the streams, and the two instances' consumers
    jurisdictions = [j.code for j in load_district_config(ROOT / "config" / "urho.toml").jurisdictions]
    await provision(nc.jetstream(), prefix, consumers=[
        *instance_consumers("intake", "650205001", "650205", jurisdictions, prefix),
        *instance_consumers("verification", "650205001", "650205", jurisdictions, prefix)])
    await nc.close()
    producer = kit(infrastructure, prefix, "intake", "650205001")
    consumer = kit(infrastructure, prefix, "verification", "650205001")
    for k in (producer, consumer):
        await asyncio.to_thread(migrate.upgrade, k.settings.database_url, MIGRATIONS)
    consumer.consume({"application_accepted": on_accepted})
    await producer.start()
    await consumer.start()
    return producer, consumer


async def test_one_trace_from_producer_to_consumer(infrastructure, prefix):
    handled = []

    async def on_accepted(env, uow):
        from sqlalchemy import text

        await uow.session.execute(text("SELECT 1"))
        handled.append(env.event_id)

    producer, consumer = await producer_and_consumer(infrastructure, prefix, on_accepted)
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


def _trace_of(carrier) -> int:
    from opentelemetry import propagate, trace

    return trace.get_current_span(propagate.extract(carrier)).get_span_context().trace_id


async def _outbox_carriers(k: ServiceKit, case_id: str) -> list[dict]:
    from sqlalchemy import select

    from jiuzhu_runtime.db import outbox

    async with k.sessions() as s:
        return [r[0] for r in await s.execute(select(outbox.c.headers).where(outbox.c.case_id == case_id)
                                              .order_by(outbox.c.created_at))]


async def test_every_action_on_a_case_continues_the_cases_trace(infrastructure, prefix):
    """Scenario 10's mechanism: staff actions arrive as new requests (new traces); the events they
    cause still belong to the trace that began with the application, in the service that began it
    and in a service that only met the case through an event."""
    handled = []

    async def on_accepted(env, uow):
        handled.append(env.case_id)

    producer, consumer = await producer_and_consumer(infrastructure, prefix, on_accepted)
    case_id = "case-trace-1"
    try:
        clerk = producer.tracer_provider.get_tracer("test")
        with clerk.start_as_current_span("POST /applications") as root:
            async with producer.unit_of_work() as uow:
                await uow.emit(envelope(EXAMPLES[0], case_id=case_id))
        case_trace_id = root.get_span_context().trace_id
        with clerk.start_as_current_span("POST /applications/x/accept") as accept:
            async with producer.unit_of_work() as uow:
                await uow.emit(envelope(EXAMPLES[2], case_id=case_id))
        assert accept.get_span_context().trace_id != case_trace_id
        await eventually(lambda: handled == [case_id])
        investigator = consumer.tracer_provider.get_tracer("test")
        with investigator.start_as_current_span("POST /cases/x/visits") as visit:
            async with consumer.unit_of_work() as uow:
                await uow.emit(envelope(EXAMPLES[3], case_id=case_id))
                uow.trace_cases([(case_id, uow.case_contexts[case_id])], "on roster R-1")
    finally:
        await consumer.stop()
        await producer.stop()

    assert [_trace_of(c) for c in await _outbox_carriers(producer, case_id)] == [case_trace_id] * 2
    assert [_trace_of(c) for c in await _outbox_carriers(consumer, case_id)] == [case_trace_id]
    continued = [s for s in consumer.spans.get_finished_spans() if s.attributes.get("jiuzhu.case_id") == case_id]
    assert {s.name for s in continued} == {f"{EXAMPLES[3].event_type} {case_id}", "on roster R-1"}
    assert all(s.context.trace_id == case_trace_id for s in continued)
    # …and each points back at the request that caused it.
    caused = next(s for s in continued if s.name.endswith(case_id))
    assert [link.context.span_id for link in caused.links] == [visit.get_span_context().span_id]
    # A redelivered or second event for the case does not move the case's remembered trace.
    from sqlalchemy import select

    from jiuzhu_runtime.db import case_traces
    async with consumer.sessions() as s:
        remembered = (await s.execute(select(case_traces.c.context).where(case_traces.c.case_id == case_id))).scalar_one()
    assert _trace_of(remembered) == case_trace_id
